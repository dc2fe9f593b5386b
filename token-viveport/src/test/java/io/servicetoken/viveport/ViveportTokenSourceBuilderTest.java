package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_ID;
import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.testing.SecretScanner;
import org.junit.jupiter.api.Test;

/** The builder validates eagerly, names fields never values, and nothing it prints shows the secret. */
class ViveportTokenSourceBuilderTest {
  private static ViveportTokenSource.Builder complete() {
    return ViveportTokenSource.builder().appId(APP_ID).appSecret(APP_SECRET);
  }

  @Test
  void missingAppIdIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ViveportTokenSource.builder().appSecret(APP_SECRET).build());
    assertEquals("appId required", e.getMessage());
  }

  @Test
  void missingAppSecretIsReportedAtBuild() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ViveportTokenSource.builder().appId(APP_ID).build());
    assertEquals("appSecret required", e.getMessage());
  }

  @Test
  void nullAppIdIsRefusedBySetter() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> ViveportTokenSource.builder().appId(null));
    assertEquals("appId == null", e.getMessage());
  }

  @Test
  void blankAppIdIsRefusedBySetter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViveportTokenSource.builder().appId(" \t"));
    assertEquals("appId is blank", e.getMessage());
  }

  @Test
  void nullAppSecretIsRefusedBySetter() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> ViveportTokenSource.builder().appSecret(null));
    assertEquals("appSecret == null", e.getMessage());
  }

  @Test
  void blankAppSecretIsRefusedBySetter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViveportTokenSource.builder().appSecret("   "));
    assertEquals("appSecret is blank", e.getMessage());
  }

  @Test
  void nullBaseUrlIsRefusedBySetter() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> ViveportTokenSource.builder().baseUrl(null));
    assertEquals("baseUrl == null", e.getMessage());
  }

  @Test
  void malformedBaseUrlIsRefusedBySetter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViveportTokenSource.builder().baseUrl("www.viveport.com"));
    assertTrue(e.getMessage().startsWith("baseUrl"), e.getMessage());
  }

  @Test
  void baseUrlWithUserInfoIsRefusedWithoutEchoingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ViveportTokenSource.builder().baseUrl("https://user:" + APP_SECRET + "@www.viveport.com/"));
    SecretScanner.assertNoSecret(e, APP_SECRET);
  }

  @Test
  void nullClientIsRefusedBySetter() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> ViveportTokenSource.builder().client(null));
    assertEquals("client == null", e.getMessage());
  }

  @Test
  void plainHttpToNonLoopbackHostIsRefusedAtBuild() {
    ViveportTokenSource.Builder builder = complete().baseUrl("http://example.com/");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains("https"), e.getMessage());
  }

  @Test
  void allowInsecureHttpPermitsPlainHttp() {
    ViveportTokenSource source = complete().baseUrl("http://example.com/").allowInsecureHttp().build();

    assertTrue(source.toString().contains("baseUrl=http://example.com/"), source.toString());
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertNotNull(complete().baseUrl("http://127.0.0.1:8080/").build());
    assertNotNull(complete().baseUrl("http://localhost:8080/").build());
  }

  @Test
  void defaultBaseUrlIsViveports() {
    ViveportTokenSource source = complete().build();

    assertEquals("https://www.viveport.com/", ViveportTokenSource.DEFAULT_BASE_URL);
    assertTrue(source.toString().contains("baseUrl=https://www.viveport.com/"), source.toString());
  }

  @Test
  void toStringShowsAppIdButNotTheSecret() {
    ViveportTokenSource source = complete().build();

    assertTrue(source.toString().contains("appId=" + APP_ID), source.toString());
    SecretScanner.assertNoSecret(source, APP_SECRET);
    SecretScanner.assertNoSecret(complete(), APP_SECRET);
  }

  @Test
  void buildDoesNoIo() {
    // An unreachable host: build() must not resolve or connect.
    assertNotNull(complete().baseUrl("https://viveport.invalid/").build());
  }

  @Test
  void builderSettersDoNotKeepTheSecretInErrors() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> complete().baseUrl("https://www.viveport.com/?x=" + APP_SECRET));
    SecretScanner.assertNoSecret(e, APP_SECRET);
    assertFalse(e.getMessage().isEmpty());
  }
}
