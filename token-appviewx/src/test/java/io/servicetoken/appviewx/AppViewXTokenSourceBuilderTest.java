package io.servicetoken.appviewx;

import static io.servicetoken.appviewx.Fixtures.CLIENT_ID;
import static io.servicetoken.appviewx.Fixtures.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class AppViewXTokenSourceBuilderTest {
  private static final String BASE_URL = "https://avx.example.com:31443/";

  private static AppViewXTokenSource.Builder complete() {
    return AppViewXTokenSource.builder().baseUrl(BASE_URL).clientId(CLIENT_ID).clientSecret(CLIENT_SECRET);
  }

  @Test
  void buildsWithTheRequiredFields() {
    assertNotNull(complete().build());
  }

  @Test
  void missingBaseUrlIsReportedAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AppViewXTokenSource.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET).build());
    assertEquals("baseUrl required", e.getMessage());
  }

  @Test
  void missingClientIdIsReportedAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AppViewXTokenSource.builder().baseUrl(BASE_URL).clientSecret(CLIENT_SECRET).build());
    assertEquals("clientId required", e.getMessage());
  }

  @Test
  void missingClientSecretIsReportedAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AppViewXTokenSource.builder().baseUrl(BASE_URL).clientId(CLIENT_ID).build());
    assertEquals("clientSecret required", e.getMessage());
  }

  @Test
  void nullArgumentsAreRefusedNamingTheField() {
    AppViewXTokenSource.Builder builder = AppViewXTokenSource.builder();
    assertEquals("baseUrl == null", assertThrows(NullPointerException.class, () -> builder.baseUrl(null)).getMessage());
    assertEquals("clientId == null",
        assertThrows(NullPointerException.class, () -> builder.clientId(null)).getMessage());
    assertEquals("clientSecret == null",
        assertThrows(NullPointerException.class, () -> builder.clientSecret(null)).getMessage());
    assertEquals("gatewaySource == null",
        assertThrows(NullPointerException.class, () -> builder.gatewaySource(null)).getMessage());
    assertEquals("grantType == null",
        assertThrows(NullPointerException.class, () -> builder.grantType(null)).getMessage());
    assertEquals("defaultLifetime == null",
        assertThrows(NullPointerException.class, () -> builder.defaultLifetime(null)).getMessage());
    assertEquals("client == null", assertThrows(NullPointerException.class, () -> builder.client(null)).getMessage());
  }

  @Test
  void blankArgumentsAreRefusedNamingTheField() {
    AppViewXTokenSource.Builder builder = AppViewXTokenSource.builder();
    assertEquals("clientId is blank",
        assertThrows(IllegalArgumentException.class, () -> builder.clientId(" ")).getMessage());
    assertEquals("clientSecret is blank",
        assertThrows(IllegalArgumentException.class, () -> builder.clientSecret("\t")).getMessage());
    assertEquals("gatewaySource is blank",
        assertThrows(IllegalArgumentException.class, () -> builder.gatewaySource("")).getMessage());
    assertEquals("grantType is blank",
        assertThrows(IllegalArgumentException.class, () -> builder.grantType(" ")).getMessage());
  }

  @Test
  void clientIdWithAColonIsRefusedWithoutQuotingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AppViewXTokenSource.builder().clientId("tenant:svc-42"));
    assertEquals("clientId contains ':'", e.getMessage());
  }

  @Test
  void defaultLifetimeUnderOneSecondIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> AppViewXTokenSource.builder().defaultLifetime(Duration.ofMillis(999)));
    assertThrows(IllegalArgumentException.class,
        () -> AppViewXTokenSource.builder().defaultLifetime(Duration.ofSeconds(-5)));
  }

  @Test
  void baseUrlThatIsNotAUrlIsRefusedAtTheSetter() {
    assertThrows(IllegalArgumentException.class, () -> AppViewXTokenSource.builder().baseUrl("avx.example.com"));
  }

  @Test
  void baseUrlWithUserInfoIsRefusedWithoutQuotingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AppViewXTokenSource.builder().baseUrl("https://svc:" + CLIENT_SECRET.replace("#", "") + "@avx.example.com/"));
    Fixtures.assertNoSecret(e);
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedAtBuild() {
    AppViewXTokenSource.Builder builder = complete().baseUrl("http://example.com/");
    assertThrows(IllegalArgumentException.class, builder::build);
  }

  @Test
  void allowInsecureHttpPermitsPlainHttp() {
    assertNotNull(complete().baseUrl("http://example.com/").allowInsecureHttp().build());
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertNotNull(complete().baseUrl("http://127.0.0.1:8080/").build());
    assertNotNull(complete().baseUrl("http://localhost:8080/").build());
  }

  @Test
  void sharedClientIsAccepted() {
    assertNotNull(complete().client(new OkHttpClient()).build());
  }

  @Test
  void toStringShowsNoSecret() {
    String text = complete().build().toString();
    Fixtures.assertNoSecret(text);
    assertFalse(text.contains("Basic"), text);
  }
}
