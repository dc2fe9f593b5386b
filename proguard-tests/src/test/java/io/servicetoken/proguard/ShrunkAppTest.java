package io.servicetoken.proguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.FakeTokenServer;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.testing.SecretScanner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * The proof that the shrinker rules our jars ship are enough: {@link TokenApp} and its runtime classpath are shrunk
 * and obfuscated by ProGuard with only the {@code META-INF/proguard/*.pro} files found in those jars (ours
 * and the libraries') plus a {@code -keep} for the app's main class; the shrunk jar then runs in its own {@code java
 * -jar} process against the five fake vendor servers, which run here, outside the shrunk jar, as they would be
 * outside a real app.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShrunkAppTest {
  private static final String MAIN_CLASS = "io.servicetoken.proguard.TokenApp";
  private static final Path WORK = Paths.get("target", "proguard");
  private static final Path SHRUNK_JAR = WORK.resolve("token-app-shrunk.jar");
  private static final long RUN_TIMEOUT_SECONDS = 90;

  private final FakeViveport viveport = FakeViveport.accepting("app-1", "vp-s3cR-1Qx9z");
  private final FakeAppViewX appViewX = FakeAppViewX.accepting("client-1", "ax-s3cR-1Qx9z");
  private final FakeVyopta vyopta = FakeVyopta.accepting("alice", "vy-pw0-1Qx9z");
  private final FakeSingleView singleView = FakeSingleView.accepting("client-2", "sv-c0d-1Qx9z", "merchant-2");
  private final FakeSportradar sportradar = FakeSportradar.accepting("sr-1dN-1Qx9z");
  private final Map<String, FakeTokenServer> fakes = new LinkedHashMap<>();

  private final List<String> rulesUsed = new ArrayList<>();
  private long inputBytes;
  private String mapping = "";
  private int exitCode;
  private String output = "";

  @BeforeAll
  void shrinkThenRunAgainstTheFakes() throws Exception {
    fakes.put("viveport", viveport);
    fakes.put("appviewx", appViewX);
    fakes.put("vyopta", vyopta);
    fakes.put("singleview", singleView);
    fakes.put("sportradar", sportradar);
    fakes.values().forEach(FakeTokenServer::start);

    long started = System.nanoTime();
    shrink();
    long shrunk = System.nanoTime();
    run();
    System.out.printf("ProGuard: %d input bytes -> %d bytes shrunk jar in %d ms; app ran in %d ms; rules: %s%n",
        inputBytes, Files.size(SHRUNK_JAR), TimeUnit.NANOSECONDS.toMillis(shrunk - started),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shrunk), rulesUsed);
  }

  @AfterAll
  void stopFakes() {
    fakes.values().forEach(FakeTokenServer::close);
  }

  @Test
  void everyVendorYieldsATokenFromTheShrunkJar() {
    assertEquals(0, exitCode, output);
    for (Map.Entry<String, FakeTokenServer> fake : fakes.entrySet()) {
      String issued = fake.getValue().lastIssuedToken();
      assertTrue(issued != null, fake.getKey() + " issued no token:\n" + output);
      assertTrue(output.contains(fake.getKey() + " ok " + TokenApp.sha256(issued) + "\n"),
          fake.getKey() + " token not handed out:\n" + output);
    }
  }

  @Test
  void shrunkJarIsObfuscated() {
    // The engine and the vendor sources are renamed: only the rules' own classes and the main class keep names.
    assertTrue(mapping.contains("io.servicetoken.TokenProvider -> "), "TokenProvider not in the mapping");
    assertFalse(mapping.contains("io.servicetoken.TokenProvider -> io.servicetoken.TokenProvider:"),
        "TokenProvider kept its name");
    assertFalse(mapping.contains(
        "io.servicetoken.vyopta.VyoptaTokenSource -> io.servicetoken.vyopta.VyoptaTokenSource:"));
    assertTrue(mapping.contains(MAIN_CLASS + " -> " + MAIN_CLASS + ":"), "main class renamed");
  }

  @Test
  void shrunkJarIsSmallerThanItsInput() throws IOException {
    long size = Files.size(SHRUNK_JAR);
    assertTrue(size < inputBytes / 2, size + " bytes of " + inputBytes);
  }

  @Test
  void userAgentStillNamesTheSdkVersionAndModule() {
    String version = System.getProperty("servicetoken.version");
    for (Map.Entry<String, FakeTokenServer> fake : fakes.entrySet()) {
      RecordedRequest request = fake.getValue().takeRequest();
      assertEquals("servicetoken/" + version + " token-" + fake.getKey(), request.getHeader("User-Agent"));
    }
  }

  @Test
  void outputCarriesNoSecret() {
    SecretScanner.assertNoSecret(output, "vp-s3cR-1Qx9z", "ax-s3cR-1Qx9z", "vy-pw0-1Qx9z",
        "sv-c0d-1Qx9z", "sr-1dN-1Qx9z");
  }

  private void shrink() throws Exception {
    Files.createDirectories(WORK);
    Path rulesDir = WORK.resolve("rules");
    Files.createDirectories(rulesDir);
    String classpath = new String(Files.readAllBytes(Paths.get("target", "app-classpath.txt")), StandardCharsets.UTF_8);

    StringBuilder config = new StringBuilder();
    config.append("# Generated by ShrunkAppTest: the app, its runtime classpath, and only the rules those jars ship.\n");
    config.append("-injars ").append(Paths.get("target", "classes").toAbsolutePath()).append('\n');
    for (String entry : classpath.trim().split(File.pathSeparator)) {
      Path jar = Paths.get(entry);
      inputBytes += Files.size(jar);
      // One output jar: the app's manifest wins; multi-release and module descriptors are not needed on Java 8+.
      config.append("-injars ").append(jar.toAbsolutePath())
          .append("(!META-INF/MANIFEST.MF,!META-INF/versions/**,!**module-info.class)\n");
      for (Path rules : extractShippedRules(jar, rulesDir)) {
        config.append("-include ").append(rules.toAbsolutePath()).append('\n');
      }
    }
    config.append("-outjars ").append(SHRUNK_JAR.toAbsolutePath()).append('\n');
    Path jmods = Paths.get(System.getProperty("java.home"), "jmods");
    for (String module : new String[] {"java.base", "java.logging"}) {
      config.append("-libraryjars ").append(jmods.resolve(module + ".jmod").toAbsolutePath())
          .append("(!**.jar;!module-info.class)\n");
    }
    // The Android platform, for the libraries' Android-only code paths (as android.jar is for R8).
    config.append("-libraryjars ").append(Paths.get("target", "proguard-libs", "android.jar").toAbsolutePath())
        .append("(android/**)\n");
    config.append("-printmapping ").append(WORK.resolve("mapping.txt").toAbsolutePath()).append('\n');
    config.append("-printconfiguration ").append(WORK.resolve("configuration.txt").toAbsolutePath()).append('\n');
    // Shrink and obfuscate; no optimization. Optimizing is R8's business on Android and its optimizer is not
    // ProGuard's: ProGuard 7.10's miscompiles okio's @JvmMultifileClass Okio__JvmOkioKt (VerifyError "Bad return
    // type", Guardsquare/proguard#533) and doubles the run time. (With -optimizations
    // !method/specialization/returntype the optimized jar passes too.)
    config.append("-dontoptimize\n");
    // The app's own rule: its entry point. Nothing else is kept by hand.
    config.append("-keep public class ").append(MAIN_CLASS)
        .append(" { public static void main(java.lang.String[]); }\n");
    Path configFile = WORK.resolve("proguard.pro");
    Files.write(configFile, config.toString().getBytes(StandardCharsets.UTF_8));

    Configuration configuration = new Configuration();
    try (ConfigurationParser parser = new ConfigurationParser(configFile.toFile(), System.getProperties())) {
      parser.parse(configuration);
    }
    new ProGuard(configuration).execute();
    mapping = new String(Files.readAllBytes(WORK.resolve("mapping.txt")), StandardCharsets.UTF_8);
  }

  /** Copies every {@code META-INF/proguard/*.pro} of {@code jar} to {@code dir}. */
  private List<Path> extractShippedRules(Path jar, Path dir) throws IOException {
    List<Path> extracted = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!name.startsWith("META-INF/proguard/") || !name.endsWith(".pro")) continue;
        String fileName = name.substring("META-INF/proguard/".length());
        Path target = dir.resolve(fileName);
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        rulesUsed.add(jar.getFileName() + "!/" + name);
        extracted.add(target);
      }
    }
    return extracted;
  }

  private void run() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(SHRUNK_JAR.toAbsolutePath().toString());
    command.add("viveport.url=" + viveport.baseUrl());
    command.add("viveport.appId=app-1");
    command.add("viveport.appSecret=vp-s3cR-1Qx9z");
    command.add("appviewx.url=" + appViewX.baseUrl());
    command.add("appviewx.clientId=client-1");
    command.add("appviewx.clientSecret=ax-s3cR-1Qx9z");
    command.add("vyopta.url=" + vyopta.baseUrl());
    command.add("vyopta.username=alice");
    command.add("vyopta.password=vy-pw0-1Qx9z");
    command.add("singleview.url=" + singleView.baseUrl());
    command.add("singleview.clientId=client-2");
    command.add("singleview.clientCode=sv-c0d-1Qx9z");
    command.add("singleview.merchantId=merchant-2");
    command.add("sportradar.url=" + sportradar.baseUrl());
    command.add("sportradar.userIdentityToken=sr-1dN-1Qx9z");
    command.add("sportradar.product=videostream_manager");
    command.add("sportradar.customerId=345");
    Path log = WORK.resolve("app-output.txt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("the shrunk app did not finish within " + RUN_TIMEOUT_SECONDS + " s");
    }
    exitCode = process.exitValue();
    output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    assertNotEquals("", output, "the shrunk app printed nothing");
  }
}
