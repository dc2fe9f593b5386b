package io.servicetoken.vyopta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.testing.SecretScanner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source against {@link FakeVyopta}, so that the fake and the module cannot drift apart. */
class VyoptaFakeTest {
  private static final String PASSWORD = "wonderland-42";

  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", PASSWORD);

  private VyoptaTokenSource.Builder builder() {
    return VyoptaTokenSource.builder().baseUrl(vyopta.baseUrl().toString()).username("alice").password(PASSWORD);
  }

  private static Token fetch(VyoptaTokenSource source) {
    return source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  @Test
  void issuesATokenOfTheDocumentedLifetime() {
    Token token = fetch(builder().build());

    assertEquals(vyopta.lastIssuedToken(), token.value());
    assertEquals("Bearer", token.type());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    // expires_in says 300 s; the JWT's exp (whole seconds) may bound it a little earlier.
    assertTrue(lifetime.compareTo(Duration.ofSeconds(299)) >= 0 && lifetime.compareTo(Duration.ofSeconds(300)) <= 0,
        lifetime.toString());
  }

  @Test
  void seesTheDocumentedRequest() {
    fetch(builder().build());

    RecordedRequest request = vyopta.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals("/auth/realms/vyopta/protocol/openid-connect/token", request.getPath());
    assertEquals("grant_type=password&client_id=vyopta&username=alice&password=" + PASSWORD,
        request.getBody().readUtf8());
  }

  @Test
  void configuredLifetimeIsHonoured() {
    vyopta.tokenLifetime(Duration.ofSeconds(60));

    Token token = fetch(builder().build());

    assertTrue(Duration.between(token.receivedAt(), token.expiresAt()).compareTo(Duration.ofSeconds(60)) <= 0);
  }

  @Test
  void serverClockSkewDoesNotShortenTheToken() {
    vyopta.serverClockOffset(Duration.ofHours(-2));

    Token token = fetch(builder().build());

    assertTrue(Duration.between(token.receivedAt(), token.expiresAt()).compareTo(Duration.ofSeconds(298)) >= 0);
  }

  @Test
  void currentKeycloakLayoutWithCustomRealmAndOpenidScopeWorks() {
    vyopta.pathPrefix("").realm("acme");

    Token token = fetch(builder().pathPrefix("").realm("acme").scope("openid").build());

    assertEquals(vyopta.lastIssuedToken(), token.value());
    RecordedRequest request = vyopta.takeRequest();
    assertEquals("/realms/acme/protocol/openid-connect/token", request.getPath());
    assertTrue(request.getBody().readUtf8().endsWith("&scope=openid"));
  }

  @Test
  void wrongPasswordIsInvalidGrant() {
    VyoptaTokenSource source = builder().password("not-" + PASSWORD).build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(400, e.statusCode()); // as Keycloak 26 answers (KeycloakIT)
    assertEquals("invalid_grant", e.errorCode());
    assertEquals(0, vyopta.tokensIssued());
    SecretScanner.assertNoSecret(e, PASSWORD, "not-" + PASSWORD);
  }

  @Test
  void unknownUserIsInvalidGrant() {
    VyoptaTokenSource source = builder().username("bob").build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(400, e.statusCode());
    assertEquals("invalid_grant", e.errorCode());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void unknownClientIsInvalidClient() {
    VyoptaTokenSource source = builder().clientId("other").build();

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(source));

    assertEquals(401, e.statusCode());
    assertEquals("invalid_client", e.errorCode());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void unknownRealmIsInvalidTokenRequest() {
    VyoptaTokenSource source = builder().realm("nowhere").build();

    InvalidTokenRequestException e = assertThrows(InvalidTokenRequestException.class, () -> fetch(source));

    assertEquals(404, e.statusCode());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void failNextIsRetryableTokenServiceException() {
    vyopta.failNext(1);

    TokenServiceException e = assertThrows(TokenServiceException.class, () -> fetch(builder().build()));

    assertEquals(503, e.statusCode());
    assertEquals("temporarily_unavailable", e.errorCode());
    assertTrue(e.isRetryable());
    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void failNextWith500IsServerError() {
    vyopta.failNext(1, 500);

    TokenServiceException e = assertThrows(TokenServiceException.class, () -> fetch(builder().build()));

    assertEquals(500, e.statusCode());
    assertEquals("server_error", e.errorCode());
  }

  @Test
  void failNextWith401IsCredentialsRejected() {
    vyopta.failNext(1, 401);

    CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class, () -> fetch(builder().build()));

    assertEquals("invalid_grant", e.errorCode());
  }

  @Test
  void malformedNextIsMalformedTokenResponse() {
    vyopta.malformedNext(1);

    MalformedTokenResponseException e =
        assertThrows(MalformedTokenResponseException.class, () -> fetch(builder().build()));

    SecretScanner.assertNoSecret(e, PASSWORD);
  }

  @Test
  void recoversAfterTheFailuresRunOut() {
    vyopta.failNext(1);
    VyoptaTokenSource source = builder().build();
    assertThrows(TokenServiceException.class, () -> fetch(source));

    Token token = fetch(source);

    assertEquals(vyopta.lastIssuedToken(), token.value());
    assertEquals(2, vyopta.requestCount());
  }
}
