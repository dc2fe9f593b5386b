package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.failure;
import static io.servicetoken.sportradar.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.SecretScanner;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The module against its fake, so that the two cannot drift apart. */
class FakeSportradarTest {
  private static final String IDENTITY = "fake-identity-token-123";

  @RegisterExtension
  final FakeSportradar fake = FakeSportradar.accepting(IDENTITY).products("videostream_manager").customerIds("345");

  private SportradarTokenSource.Builder builder() {
    return SportradarTokenSource.builder()
        .baseUrl(fake.baseUrl().toString())
        .userIdentityToken(IDENTITY)
        .product("videostream_manager")
        .customerId(345);
  }

  @Test
  void issuesATokenToTheAcceptedIdentity() {
    Token token = get(builder().build().fetch());
    assertEquals(fake.lastIssuedToken(), token.value());
    assertEquals("Bearer", token.type());
    assertEquals(1, fake.tokensIssued());
  }

  @Test
  void tokensLastTheDocumentedHourByDefault() {
    Token token = get(builder().build().fetch());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(3598)) >= 0 && lifetime.compareTo(Duration.ofSeconds(3600)) <= 0,
        lifetime.toString());
  }

  @Test
  void configuredLifetimeIsHonoured() {
    fake.tokenLifetime(Duration.ofSeconds(120));
    Token token = get(builder().build().fetch());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(118)) >= 0 && lifetime.compareTo(Duration.ofSeconds(120)) <= 0,
        lifetime.toString());
  }

  @Test
  void skewedServerClockIsCorrected() {
    fake.serverClockOffset(Duration.ofHours(-3));
    Token token = get(builder().build().fetch());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(3598)) >= 0, lifetime.toString());
  }

  @Test
  void wrongIdentityTokenIsRejectedAsCredentials() {
    TokenException e = failure(builder().userIdentityToken("wrong-identity-token").build().fetch());
    assertInstanceOf(CredentialsRejectedException.class, e);
    assertEquals(401, e.statusCode());
    assertEquals("401", e.errorCode());
    SecretScanner.assertNoSecret(e, "wrong-identity-token", IDENTITY);
  }

  @Test
  void unknownProductIsAnInvalidRequest() {
    TokenException e = failure(builder().product("datacore").build().fetch());
    assertInstanceOf(InvalidTokenRequestException.class, e);
    assertEquals(400, e.statusCode());
    assertEquals("400", e.errorCode());
  }

  @Test
  void unknownCustomerIsForbidden() {
    TokenException e = failure(builder().customerId("999").build().fetch());
    assertInstanceOf(CredentialsRejectedException.class, e);
    assertEquals(403, e.statusCode());
  }

  @Test
  void customerIdSentAsStringIsAcceptedToo() {
    Token token = get(builder().customerId("345").build().fetch());
    assertEquals(fake.lastIssuedToken(), token.value());
  }

  @Test
  void failNextIsARetryableServiceFailureCarryingMetaCode() {
    fake.failNext(1);
    TokenException e = failure(builder().build().fetch());
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals(503, e.statusCode());
    assertEquals("503", e.errorCode());
    assertTrue(e.isRetryable());
    assertEquals("Bearer", get(builder().build().fetch()).type());
  }

  @Test
  void failNextWithAStatusUsesThatStatusAsMetaCode() {
    fake.failNext(1, 429);
    TokenException e = failure(builder().build().fetch());
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals("429", e.errorCode());
  }

  @Test
  void malformedNextIsAMalformedResponse() {
    fake.malformedNext(1);
    assertInstanceOf(MalformedTokenResponseException.class, failure(builder().build().fetch()));
  }

  @Test
  void fakeRecordsTheRequestAsSent() throws Exception {
    get(builder().scopes("read:organization").build().fetch());
    RecordedRequest request = fake.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals("/v1/products/token", request.getPath());
    Map<String, Object> body = Fixtures.parseObject(request.getBody().readUtf8());
    assertEquals(IDENTITY, body.get("userIdentityToken"));
    assertEquals(345.0, body.get("customerId"));
  }

  @Test
  void fakeAnswersAnotherPathWith404() {
    TokenException e = failure(builder().baseUrl(fake.baseUrl().resolve("/other/").toString()).build().fetch());
    assertInstanceOf(InvalidTokenRequestException.class, e);
    assertEquals(404, e.statusCode());
  }
}
