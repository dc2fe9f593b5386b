package io.servicetoken.samples;

import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo's two modes: the fakes, and a real vendor configured by environment variables (here a fake again). */
class DemoTest {
  private static final String SECRET = "s3cr3t-do-not-print";

  @RegisterExtension final FakeViveport viveport = FakeViveport.accepting("app", SECRET);
  @RegisterExtension final FakeAppViewX appViewX = FakeAppViewX.accepting("client", SECRET);
  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", SECRET);
  @RegisterExtension final FakeSingleView singleView = FakeSingleView.accepting("client", SECRET, "merchant");
  @RegisterExtension final FakeSportradar sportradar = FakeSportradar.accepting(SECRET).products("videostream_manager");

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @Test
  void demoPrintsATokenLinePerVendorAndExitsZero() {
    assertEquals(0, run(Map.of()));

    String out = output();
    for (String vendor : new String[] {"VIVEPORT", "AppViewX", "Vyopta", "SingleView", "Sportradar"}) {
      assertTrue(out.lines().anyMatch(line -> line.startsWith(vendor + " ") && line.contains("Token{")), vendor);
    }
    assertTrue(out.contains("saw 1 request(s) for 3 calls"), out);
    assertTrue(out.contains("{\"city\":\"Oslo\",\"temperature\":-3}"), out);
    assertTrue(out.contains("Demo finished."), out);
  }

  @Test
  void vyoptaVariablesFetchARealTokenFromTheConfiguredServer() {
    assertEquals(0, run(Map.of(
        "SERVICETOKEN_VENDOR", "vyopta",
        "VYOPTA_BASE_URL", vyopta.baseUrl().toString(),
        "VYOPTA_USERNAME", "alice",
        "VYOPTA_PASSWORD", SECRET)));

    assertEquals(1, vyopta.tokensIssued());
    assertTrue(output().lines().anyMatch(line -> line.startsWith("Vyopta ") && line.contains("Token{")), output());
    assertNoSecretPrinted();
  }

  @Test
  void everyVendorIsBuiltFromItsVariables() {
    Map<String, Map<String, String>> envs = Map.of(
        "viveport", Map.of(
            "VIVEPORT_BASE_URL", viveport.baseUrl().toString(), "VIVEPORT_APP_ID", "app",
            "VIVEPORT_APP_SECRET", SECRET),
        "appviewx", Map.of(
            "APPVIEWX_BASE_URL", appViewX.baseUrl().toString(), "APPVIEWX_CLIENT_ID", "client",
            "APPVIEWX_CLIENT_SECRET", SECRET),
        "vyopta", Map.of(
            "VYOPTA_BASE_URL", vyopta.baseUrl().toString(), "VYOPTA_USERNAME", "alice", "VYOPTA_PASSWORD", SECRET),
        "singleview", Map.of(
            "SINGLEVIEW_BASE_URL", singleView.baseUrl().toString(), "SINGLEVIEW_CLIENT_ID", "client",
            "SINGLEVIEW_CLIENT_CODE", SECRET, "SINGLEVIEW_MERCHANT_ID", "merchant"),
        "sportradar", Map.of(
            "SPORTRADAR_BASE_URL", sportradar.baseUrl().toString(), "SPORTRADAR_USER_IDENTITY_TOKEN", SECRET,
            "SPORTRADAR_PRODUCT", "videostream_manager", "SPORTRADAR_CUSTOMER_ID", "345",
            "SPORTRADAR_SCOPES", "read:organization, write:organization"));
    for (Map.Entry<String, Map<String, String>> entry : envs.entrySet()) {
      Map<String, String> env = new HashMap<>(entry.getValue());
      env.put("SERVICETOKEN_VENDOR", entry.getKey());
      assertEquals(0, run(env), entry.getKey() + ": " + output());
    }

    assertEquals(1, viveport.tokensIssued());
    assertEquals(1, appViewX.tokensIssued());
    assertEquals(1, vyopta.tokensIssued());
    assertEquals(1, singleView.tokensIssued());
    assertEquals(1, sportradar.tokensIssued());
    assertTrue(sportradar.takeRequest().getBody().readUtf8()
        .contains("\"scopes\":[\"read:organization\",\"write:organization\"]"));
    assertNoSecretPrinted();
  }

  @Test
  void aWrongPasswordExitsOneWithTheTypedErrorAfterOneRequest() {
    assertEquals(1, run(Map.of(
        "SERVICETOKEN_VENDOR", "vyopta",
        "VYOPTA_BASE_URL", vyopta.baseUrl().toString(),
        "VYOPTA_USERNAME", "alice",
        "VYOPTA_PASSWORD", "wrong-password")));

    String out = output();
    assertTrue(out.contains("CredentialsRejectedException from vyopta: statusCode()=400, errorCode()=invalid_grant, "
        + "isRetryable()=false"), out);
    assertFalse(out.contains("wrong-password"), out);
    assertEquals(1, vyopta.requestCount());
  }

  @Test
  void aMissingVariableExitsTwoNamingIt() {
    assertEquals(2, run(Map.of("SERVICETOKEN_VENDOR", "vyopta", "VYOPTA_USERNAME", "alice")));

    assertEquals(List.of(
            "configuration error: VYOPTA_PASSWORD is not set: vyopta needs VYOPTA_USERNAME, VYOPTA_PASSWORD; "
                + "export it and run again",
            "every vendor's variables: README.md, \"Run the demo against a real vendor\""),
        output().lines().collect(toList()));
    assertEquals(0, vyopta.requestCount());
  }

  @Test
  void everyMissingVariableIsNamedAtOnce() {
    assertEquals(2, run(Map.of("SERVICETOKEN_VENDOR", "appviewx", "APPVIEWX_CLIENT_ID", "client")));

    assertTrue(output().startsWith(
        "configuration error: APPVIEWX_BASE_URL and APPVIEWX_CLIENT_SECRET are not set"), output());
  }

  @Test
  void anUnknownVendorExitsTwoListingTheKnownOnes() {
    assertEquals(2, run(Map.of("SERVICETOKEN_VENDOR", "acme")));

    assertTrue(output().contains("viveport, appviewx, vyopta, singleview, sportradar"), output());
  }

  @Test
  void aPlainHttpBaseUrlToAnotherHostNamesTheVariableAndAsksForHttps() {
    assertEquals(2, run(Map.of(
        "SERVICETOKEN_VENDOR", "singleview",
        "SINGLEVIEW_BASE_URL", "http://singleview.example/",
        "SINGLEVIEW_CLIENT_ID", "client", "SINGLEVIEW_CLIENT_CODE", SECRET, "SINGLEVIEW_MERCHANT_ID", "merchant")));

    assertTrue(output().startsWith("configuration error: SINGLEVIEW_BASE_URL uses plain http, which the SDK accepts "
        + "only for localhost: set it to your server's https:// address"), output());
    assertSpeaksTheUsersLanguage();
    assertNoSecretPrinted();
  }

  @Test
  void aLocalhostBaseUrlWithAQueryIsRefusedForItsQueryNotForPlainHttp() {
    assertEquals(2, run(Map.of(
        "SERVICETOKEN_VENDOR", "singleview",
        "SINGLEVIEW_BASE_URL", "http://localhost:8080/?x=1",
        "SINGLEVIEW_CLIENT_ID", "client", "SINGLEVIEW_CLIENT_CODE", SECRET, "SINGLEVIEW_MERCHANT_ID", "merchant")));

    assertTrue(output().startsWith("configuration error: SINGLEVIEW_BASE_URL must not have a query or fragment: set "
        + "it to your server's https:// address"), output());
    assertSpeaksTheUsersLanguage();
    assertNoSecretPrinted();
  }

  @Test
  void aBaseUrlThatIsNoUrlNamesTheVariableAndTheDefault() {
    assertEquals(2, run(Map.of(
        "SERVICETOKEN_VENDOR", "viveport",
        "VIVEPORT_BASE_URL", "www.viveport.com",
        "VIVEPORT_APP_ID", "app", "VIVEPORT_APP_SECRET", SECRET)));

    assertTrue(output().startsWith("configuration error: VIVEPORT_BASE_URL is not an http or https URL: set it to "
        + "the vendor's https:// address, or unset it for the default https://www.viveport.com/"), output());
    assertSpeaksTheUsersLanguage();
  }

  @Test
  void aRefusedVariableIsNamedInsteadOfTheBuilderField() {
    assertEquals(2, run(Map.of(
        "SERVICETOKEN_VENDOR", "vyopta",
        "VYOPTA_USERNAME", "alice", "VYOPTA_PASSWORD", SECRET,
        "VYOPTA_PATH_PREFIX", "auth")));

    assertTrue(output().startsWith("configuration error: VYOPTA_PATH_PREFIX must be empty or end with /"), output());
    assertSpeaksTheUsersLanguage();
  }

  /**
   * A server that accepts the connection and never answers: the SDK's own bounds end the wait (here a 300 ms read
   * timeout instead of the default 15 s, then the provider's 3 attempts), and the user sees the typed error.
   */
  @Test
  void aServerThatNeverAnswersEndsInTheTypedErrorNotADemoTimeout() throws IOException {
    OkHttpClient impatient = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
    // Bound but never accepted: the kernel completes the handshake, and no byte ever comes back.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertEquals(1, Demo.run(Map.of(
              "SERVICETOKEN_VENDOR", "vyopta",
              "VYOPTA_BASE_URL", "http://127.0.0.1:" + silent.getLocalPort() + "/",
              "VYOPTA_USERNAME", "alice", "VYOPTA_PASSWORD", SECRET),
          new PrintStream(output, true, StandardCharsets.UTF_8), impatient));
    } finally {
      impatient.dispatcher().executorService().shutdown();
      impatient.connectionPool().evictAll();
    }

    String out = output();
    assertTrue(out.contains("TokenServiceException from vyopta: statusCode()=-1, errorCode()=null, "
        + "isRetryable()=true"), out);
    assertTrue(out.contains("attempt 1 of 3 failed (TokenServiceException), retrying"), out);
    assertFalse(out.contains("java.util.concurrent.TimeoutException"), out);   // the demo's own timer, once
    assertFalse(out.contains("did not signal"), out);
    assertTrue(out.lines().count() <= 5, out);
    assertNoSecretPrinted();
  }

  /** The real main, in its own JVM: the exit status the README promises, and the demo's own lines only. */
  @Test
  void mainExitsTwoWithTwoLinesWhenAVariableIsMissing() throws Exception {
    Forked demo = fork(Map.of("SERVICETOKEN_VENDOR", "vyopta", "VYOPTA_USERNAME", "alice"));

    assertEquals(2, demo.status, demo.output);
    assertEquals(2, demo.output.lines().count(), demo.output);
    assertTrue(demo.output.startsWith("configuration error: VYOPTA_PASSWORD is not set"), demo.output);
  }

  @Test
  void mainExitsOneWithThreeLinesWhenThePasswordIsWrong() throws Exception {
    Forked demo = fork(Map.of(
        "SERVICETOKEN_VENDOR", "vyopta",
        "VYOPTA_BASE_URL", vyopta.baseUrl().toString(),
        "VYOPTA_USERNAME", "alice",
        "VYOPTA_PASSWORD", "wrong-password"));

    assertEquals(1, demo.status, demo.output);
    List<String> lines = demo.output.lines().collect(toList());
    assertEquals(3, lines.size(), demo.output);
    assertTrue(lines.get(0).startsWith("fetching one token with "), demo.output);
    assertTrue(lines.get(1).startsWith("CredentialsRejectedException from vyopta: statusCode()=400"), demo.output);
    assertFalse(demo.output.contains("wrong-password"), demo.output);
  }

  /** The demo's main in a JVM of its own with exactly {@code env}; stdout and stderr together; at most 60 s. */
  private static Forked fork(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Demo.class.getName());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(output);
      } catch (IOException ignored) {
        // The process died; what was read is what it printed.
      }
    });
    reader.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the demo did not exit within 60 s: " + output.toString(StandardCharsets.UTF_8));
    }
    reader.join(10_000);
    return new Forked(process.exitValue(), output.toString(StandardCharsets.UTF_8));
  }

  private static final class Forked {
    final int status;
    final String output;

    Forked(int status, String output) {
      this.status = status;
      this.output = output;
    }
  }

  private int run(Map<String, String> env) {
    return Demo.run(env, new PrintStream(output, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  /** Configuration errors name variables, not builder methods a demo user cannot call. */
  private void assertSpeaksTheUsersLanguage() {
    assertFalse(output().contains("allowInsecureHttp"), output());
    assertFalse(output().contains("baseUrl"), output());
    assertFalse(output().contains("pathPrefix"), output());
    assertEquals(2, output().lines().count(), output());
  }

  private void assertNoSecretPrinted() {
    assertFalse(output().contains(SECRET), "a secret was printed");
  }
}
