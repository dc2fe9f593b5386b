package io.servicetoken.vyopta;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A real Keycloak for integration tests: started once per test class from the distribution the {@code keycloak}
 * Maven profile unpacks, on a free loopback port, with the module's realm files imported, and stopped after the
 * class even when tests fail (plus a JVM shutdown hook as a last resort).
 *
 * <p>Configuration (system properties, set by the profile's failsafe configuration):
 *
 * <ul>
 *   <li>{@code keycloak.dist}: the unpacked {@code keycloak-quarkus-dist}
 *   <li>{@code keycloak.realms}: a directory of realm JSON files to import
 *   <li>{@code keycloak.log}: where the server's output goes (default: next to the distribution)
 *   <li>{@code keycloak.java.home} or the environment variable {@code KEYCLOAK_JAVA_HOME}: the JDK 21+ to run it
 *       on; without either, the newest JDK 21+ in {@code keycloak.jdks} (default {@code /usr/lib/jvm}), or the
 *       test JVM itself if it is 21+
 *   <li>{@code keycloak.startTimeoutSeconds}: how long start-up may take (default 240)
 * </ul>
 *
 * <p>When the distribution or a JDK 21+ is missing, the tests are skipped with a message saying what is missing,
 * unless the environment variable {@code CI} is {@code true}: then they fail.
 */
final class KeycloakServer implements BeforeAllCallback, AfterAllCallback {
  static final int MIN_JAVA = 21;
  /** The realm the readiness probe asks for. Keycloak imports every realm before it opens its port. */
  private static final String READY_REALM = "vyopta-short";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 60;
  private static final int START_ATTEMPTS = 2;

  private @Nullable Process process;
  private @Nullable Thread shutdownHook;
  private int port = -1;
  private Duration startTime = Duration.ZERO;

  /** The server's base URL, for example {@code http://127.0.0.1:41234/}. */
  String baseUrl() {
    if (port < 0) throw new IllegalStateException("Keycloak not started");
    return "http://127.0.0.1:" + port + "/";
  }

  /** How long the last start took, from launching kc.sh to the first 200 of the readiness probe. */
  Duration startTime() {
    return startTime;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dist = requiredPath("keycloak.dist", "the unpacked keycloak-quarkus-dist");
    Path realms = requiredPath("keycloak.realms", "the directory of realm JSON files");
    Path javaHome = javaHome();
    Path log = Paths.get(System.getProperty("keycloak.log", dist.resolveSibling("keycloak.log").toString()));
    Duration timeout = Duration.ofSeconds(Long.getLong("keycloak.startTimeoutSeconds", 240));
    installRealms(realms, dist.resolve("data").resolve("import"));
    start(dist, javaHome, log, timeout);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start(Path dist, Path javaHome, Path log, Duration timeout) throws IOException, InterruptedException {
    OkHttpClient probe = new OkHttpClient.Builder()
        .connectTimeout(1, TimeUnit.SECONDS)
        .readTimeout(5, TimeUnit.SECONDS)
        .callTimeout(5, TimeUnit.SECONDS)
        .build();
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      Process p = launch(dist, javaHome, log, port);
      process = p;
      // The last resort when the JVM exits without afterAll (failsafe's fork timeout, Ctrl-C).
      Thread hook = new Thread(this::stop, "keycloak-stop");
      shutdownHook = hook;
      Runtime.getRuntime().addShutdownHook(hook);
      String failure = awaitReady(p, probe, port, deadline);
      if (failure == null) {
        startTime = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("Keycloak ready on %s after %.1f s (JDK %s, log %s)%n",
            baseUrl(), startTime.toMillis() / 1000.0, javaHome, log);
        return;
      }
      stop();
      String tail = tail(log);
      // The port was free when picked; another process may have taken it before Keycloak bound it.
      if (attempt < START_ATTEMPTS && tail.contains("Port already bound") && System.nanoTime() < deadline) continue;
      throw new IllegalStateException("Keycloak did not start: " + failure + "\n--- last lines of " + log + " ---\n"
          + tail);
    }
  }

  private static Process launch(Path dist, Path javaHome, Path log, int port) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(
        dist.resolve("bin").resolve("kc.sh").toString(),
        "start-dev",
        "--http-host=127.0.0.1",
        "--http-port=" + port,
        "--import-realm",
        "--db=dev-mem",
        "--log-level=WARN,io.quarkus:INFO");
    Map<String, String> env = builder.environment();
    // Keycloak reads every KC_* variable as configuration (an empty KC_BOOTSTRAP_ADMIN_USERNAME breaks start-up),
    // and kc.sh prefers $JAVA over $JAVA_HOME.
    env.keySet().removeIf(name -> name.startsWith("KC_") || name.equals("JAVA"));
    env.put("JAVA_HOME", javaHome.toString());
    builder.directory(dist.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** Null once the readiness probe answers 200; else why not (the process died, or the deadline passed). */
  private static @Nullable String awaitReady(Process process, OkHttpClient probe, int port, long deadline)
      throws InterruptedException {
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + port + "/realms/" + READY_REALM + "/.well-known/openid-configuration")
        .build();
    while (true) {
      if (!process.isAlive()) return "kc.sh exited with status " + process.exitValue();
      try (Response response = probe.newCall(request).execute()) {
        if (response.code() == 200) return null;
      } catch (IOException notYet) {
        // Not listening yet.
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return "no answer within the start timeout";
      // Waits on the process, so a crash ends the wait at once.
      process.waitFor(Math.min(left, POLL_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * SIGTERM to kc.sh (it forwards it to the JVM), a bounded wait for it and every descendant, then SIGKILL for
   * whatever is left. Safe to call more than once.
   */
  synchronized void stop() {
    Process p = process;
    process = null;
    if (p != null) {
      // Collected before the signal: once kc.sh is gone, its java child is no longer its descendant.
      List<ProcessHandle> all = new ArrayList<>();
      all.add(p.toHandle());
      p.descendants().forEach(all::add);
      p.destroy();
      long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
      for (ProcessHandle handle : all) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
          handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (Exception stillRunning) {
          // Killed below.
        }
      }
      for (ProcessHandle handle : all) {
        if (handle.isAlive()) {
          System.err.println("Keycloak process " + handle.pid() + " ignored SIGTERM for " + STOP_TIMEOUT
              + "; killing it");
          handle.destroyForcibly();
        }
      }
    }
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: nothing to remove.
      }
    }
  }

  private static void installRealms(Path realms, Path importDir) throws IOException {
    Files.createDirectories(importDir);
    int copied = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(realms, "*.json")) {
      for (Path file : files) {
        Files.copy(file, importDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        copied++;
      }
    }
    if (copied == 0) throw new IllegalStateException("no realm JSON files in " + realms);
  }

  private static Path requiredPath(String property, String what) {
    String value = System.getProperty(property);
    Path path = value == null ? null : Paths.get(value);
    if (path == null || !Files.exists(path)) {
      throw unavailable("system property " + property + " (" + what + ") "
          + (value == null ? "is not set" : "points to a missing path: " + value)
          + "; run ./mvnw -B verify -Pkeycloak -pl token-vyopta -am");
    }
    return path;
  }

  /** The JDK 21+ to run Keycloak on. */
  static Path javaHome() {
    String configured = System.getProperty("keycloak.java.home");
    String source = "system property keycloak.java.home";
    if (configured == null || configured.isEmpty()) {
      configured = System.getenv("KEYCLOAK_JAVA_HOME");
      source = "environment variable KEYCLOAK_JAVA_HOME";
    }
    if (configured != null && !configured.isEmpty()) {
      Path home = Paths.get(configured);
      int version = javaVersion(home);
      // An explicit choice that does not work is a configuration error, never a reason to skip.
      if (version < MIN_JAVA) {
        throw new IllegalStateException(source + " = " + home + " is not a JDK " + MIN_JAVA + "+ ("
            + (version < 0 ? "no bin/java or release file" : "Java " + version) + ")");
      }
      return home;
    }
    Optional<Path> found = detectJavaHome();
    if (!found.isPresent()) {
      throw unavailable("Keycloak needs a JDK " + MIN_JAVA + "+ and none was found: set KEYCLOAK_JAVA_HOME (or "
          + "-Dkeycloak.java.home) to one; searched " + jdksDir() + "/* and this JVM ("
          + System.getProperty("java.home") + ")");
    }
    return found.get();
  }

  private static Path jdksDir() {
    return Paths.get(System.getProperty("keycloak.jdks", "/usr/lib/jvm"));
  }

  /** The newest JDK 21+ in {@link #jdksDir()}, else this JVM if it is 21+. */
  static Optional<Path> detectJavaHome() {
    List<Path> candidates = new ArrayList<>();
    Path jvms = jdksDir();
    if (Files.isDirectory(jvms)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvms)) {
        for (Path dir : dirs) candidates.add(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Collections.sort(candidates); // stable choice among equal versions
    candidates.add(Paths.get(System.getProperty("java.home")));
    Path best = null;
    int bestVersion = MIN_JAVA - 1;
    for (Path candidate : candidates) {
      int version = javaVersion(candidate);
      if (version > bestVersion) {
        best = candidate;
        bestVersion = version;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The feature version in {@code home/release} (JAVA_VERSION="21.0.2" → 21), or -1 when it is not a JDK. */
  static int javaVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) return -1;
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      properties.load(in);
    } catch (IOException e) {
      return -1;
    }
    String value = properties.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
    if (value.startsWith("1.")) value = value.substring(2); // 1.8.0_402
    int end = 0;
    while (end < value.length() && Character.isDigit(value.charAt(end))) end++;
    return end == 0 ? -1 : Integer.parseInt(value.substring(0, end));
  }

  /** A failure under CI (CI=true), else an aborted assumption that skips the tests, saying why. */
  private static RuntimeException unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return new IllegalStateException(reason + " (CI=true: a missing Keycloak fails the build)");
    }
    String message = "Skipping the real-Keycloak tests: " + reason;
    // Surefire does not print why a whole class was aborted; this line is the user's only clue.
    System.err.println("WARNING: " + message);
    return new TestAbortedException(message);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log not readable: " + e + ")";
    }
  }
}
