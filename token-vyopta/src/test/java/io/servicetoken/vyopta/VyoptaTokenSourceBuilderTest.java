package io.servicetoken.vyopta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.servicetoken.testing.SecretScanner;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class VyoptaTokenSourceBuilderTest {
  private static final String PASSWORD = "correct horse battery staple";

  private static VyoptaTokenSource.Builder complete() {
    return VyoptaTokenSource.builder().username("alice").password(PASSWORD);
  }

  private static void assertMessage(Class<? extends Throwable> type, String message, Executable executable) {
    Throwable e = assertThrows(type, executable);
    assertEquals(message, e.getMessage());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void defaultsBuildWithUsernameAndPassword() {
    assertNotNull(complete().build());
  }

  @Test
  void missingUsernameFailsAtBuild() {
    assertMessage(IllegalStateException.class, "username required",
        () -> VyoptaTokenSource.builder().password(PASSWORD).build());
  }

  @Test
  void missingPasswordFailsAtBuild() {
    assertMessage(IllegalStateException.class, "password required",
        () -> VyoptaTokenSource.builder().username("alice").build());
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullUsernameIsRejectedByName() {
    assertMessage(NullPointerException.class, "username == null", () -> VyoptaTokenSource.builder().username(null));
  }

  @Test
  void blankUsernameIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "username is blank", () -> VyoptaTokenSource.builder().username(" "));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullPasswordIsRejectedByName() {
    assertMessage(NullPointerException.class, "password == null", () -> VyoptaTokenSource.builder().password(null));
  }

  @Test
  void blankPasswordIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "password is blank",
        () -> VyoptaTokenSource.builder().password("\t "));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullClientIdIsRejectedByName() {
    assertMessage(NullPointerException.class, "clientId == null", () -> VyoptaTokenSource.builder().clientId(null));
  }

  @Test
  void blankClientIdIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "clientId is blank", () -> VyoptaTokenSource.builder().clientId(""));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullRealmIsRejectedByName() {
    assertMessage(NullPointerException.class, "realm == null", () -> VyoptaTokenSource.builder().realm(null));
  }

  @Test
  void blankRealmIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "realm is blank", () -> VyoptaTokenSource.builder().realm(" "));
  }

  @Test
  void dotDotRealmIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> VyoptaTokenSource.builder().realm(".."));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullScopeIsRejectedByName() {
    assertMessage(NullPointerException.class, "scope == null", () -> VyoptaTokenSource.builder().scope(null));
  }

  @Test
  void blankScopeIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "scope is blank", () -> VyoptaTokenSource.builder().scope(" "));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullPathPrefixIsRejectedByName() {
    assertMessage(NullPointerException.class, "pathPrefix == null",
        () -> VyoptaTokenSource.builder().pathPrefix(null));
  }

  @Test
  void emptyPathPrefixIsAccepted() {
    assertNotNull(complete().pathPrefix("").build());
  }

  @Test
  void pathPrefixWithLeadingSlashIsRejected() {
    assertMessage(IllegalArgumentException.class, "pathPrefix must not start with /",
        () -> VyoptaTokenSource.builder().pathPrefix("/auth/"));
  }

  @Test
  void pathPrefixWithoutTrailingSlashIsRejected() {
    assertMessage(IllegalArgumentException.class, "pathPrefix must be empty or end with /",
        () -> VyoptaTokenSource.builder().pathPrefix("auth"));
  }

  @Test
  void pathPrefixWithEmptySegmentIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> VyoptaTokenSource.builder().pathPrefix("a//"));
  }

  @Test
  void pathPrefixWithDotSegmentIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> VyoptaTokenSource.builder().pathPrefix("../"));
  }

  @Test
  void pathPrefixWithQueryIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> VyoptaTokenSource.builder().pathPrefix("auth?x=1/"));
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullBaseUrlIsRejectedByName() {
    assertMessage(NullPointerException.class, "baseUrl == null", () -> VyoptaTokenSource.builder().baseUrl(null));
  }

  @Test
  void blankBaseUrlIsRejectedByName() {
    assertMessage(IllegalArgumentException.class, "baseUrl is blank", () -> VyoptaTokenSource.builder().baseUrl(" "));
  }

  @Test
  void baseUrlThatIsNotAUrlIsRejectedAtTheSetter() {
    assertThrows(IllegalArgumentException.class, () -> VyoptaTokenSource.builder().baseUrl("login.vyopta.com"));
  }

  @Test
  void baseUrlWithUserInfoIsRejectedWithoutPrintingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VyoptaTokenSource.builder().baseUrl("https://alice:" + "hunter22@login.vyopta.com/"));
    SecretScanner.assertNoSecret(e, "hunter22");
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedAtBuild() {
    VyoptaTokenSource.Builder builder = complete().baseUrl("http://example.com/");

    assertThrows(IllegalArgumentException.class, builder::build);
  }

  @Test
  void allowInsecureHttpPermitsPlainHttp() {
    assertNotNull(complete().baseUrl("http://example.com/").allowInsecureHttp().build());
  }

  @Test
  void plainHttpToLoopbackIsAllowed() {
    assertNotNull(complete().baseUrl("http://localhost:8080/").build());
  }

  @SuppressWarnings("NullAway")
  @Test
  void nullClientIsRejectedByName() {
    assertMessage(NullPointerException.class, "client == null", () -> VyoptaTokenSource.builder().client(null));
  }

  @Test
  void sharedClientIsAccepted() {
    assertNotNull(complete().client(new OkHttpClient()).build());
  }

  @Test
  void toStringShowsNoPassword() {
    SecretScanner.assertNoSecret(complete().build(), PASSWORD);
  }
}
