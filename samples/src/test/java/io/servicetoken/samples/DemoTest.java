package io.servicetoken.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
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

    assertTrue(output().contains("VYOPTA_PASSWORD is not set"), output());
    assertEquals(0, vyopta.requestCount());
  }

  @Test
  void anUnknownVendorExitsTwoListingTheKnownOnes() {
    assertEquals(2, run(Map.of("SERVICETOKEN_VENDOR", "acme")));

    assertTrue(output().contains("viveport, appviewx, vyopta, singleview, sportradar"), output());
  }

  @Test
  void aPlainHttpBaseUrlToAnotherHostIsAConfigurationError() {
    assertEquals(2, run(Map.of(
        "SERVICETOKEN_VENDOR", "singleview",
        "SINGLEVIEW_BASE_URL", "http://singleview.example/",
        "SINGLEVIEW_CLIENT_ID", "client", "SINGLEVIEW_CLIENT_CODE", SECRET, "SINGLEVIEW_MERCHANT_ID", "merchant")));

    assertTrue(output().startsWith("configuration: "), output());
    assertNoSecretPrinted();
  }

  private int run(Map<String, String> env) {
    return Demo.run(env, new PrintStream(output, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  private void assertNoSecretPrinted() {
    assertFalse(output().contains(SECRET), "a secret was printed");
  }
}
