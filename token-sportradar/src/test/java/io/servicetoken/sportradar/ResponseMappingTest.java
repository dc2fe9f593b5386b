package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.IDENTITY_TOKEN;
import static io.servicetoken.sportradar.Fixtures.failure;
import static io.servicetoken.sportradar.Fixtures.get;
import static io.servicetoken.sportradar.Fixtures.jsonResponse;
import static io.servicetoken.sportradar.Fixtures.jwt;
import static io.servicetoken.sportradar.Fixtures.sampleBuilder;
import static io.servicetoken.sportradar.Fixtures.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every answer the endpoint can give, mapped to a token or a typed exception that leaks no secret. */
class ResponseMappingTest {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private TokenException failWith(MockResponse response) {
    server.enqueue(response);
    TokenException e = failure(sampleBuilder(server).build().fetch());
    SecretScanner.assertNoSecret(e, IDENTITY_TOKEN);
    assertEquals("sportradar", e.vendor());
    return e;
  }

  private static String errorBody(int code) {
    return "{\"data\":null,\"meta\":{\"code\":" + code + ",\"message\":\"nope\",\"version\":1}}";
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void unauthorizedAndForbiddenRejectTheCredentials(int status) {
    TokenException e = failWith(jsonResponse(status, errorBody(status)));
    assertInstanceOf(CredentialsRejectedException.class, e);
    assertEquals(status, e.statusCode());
    assertEquals(String.valueOf(status), e.errorCode());
    assertFalse(e.isRetryable());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 405, 409, 415, 422})
  void otherClientErrorsAreInvalidRequests(int status) {
    TokenException e = failWith(jsonResponse(status, errorBody(status)));
    assertInstanceOf(InvalidTokenRequestException.class, e);
    assertEquals(status, e.statusCode());
    assertEquals(String.valueOf(status), e.errorCode());
    assertFalse(e.isRetryable());
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504})
  void serverErrorsAndThrottlingAreRetryableServiceFailures(int status) {
    TokenException e = failWith(jsonResponse(status, errorBody(status)));
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals(status, e.statusCode());
    assertEquals(String.valueOf(status), e.errorCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void requestTimeoutIsARetryableServiceFailure() {
    // OkHttp itself repeats a request once after a 408; the second 408 is what the source sees.
    server.enqueue(jsonResponse(408, errorBody(408)));
    TokenException e = failWith(jsonResponse(408, errorBody(408)));
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals(408, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void retryAfterOfAServiceFailureIsKept() {
    TokenException e = failWith(jsonResponse(503, errorBody(503)).setHeader("Retry-After", "7"));
    assertEquals(Duration.ofSeconds(7), ((TokenServiceException) e).retryAfter());
  }

  @Test
  void stringMetaCodeIsCarriedAsIs() {
    TokenException e = failWith(jsonResponse(400, "{\"meta\":{\"code\":\"PRODUCT_UNKNOWN\"}}"));
    assertEquals("PRODUCT_UNKNOWN", e.errorCode());
  }

  @Test
  void metaMessageAppearsInTheExceptionMessage() {
    TokenException e = failWith(jsonResponse(400, errorBody(400)));
    assertTrue(String.valueOf(e.getMessage()).contains("nope"), e.getMessage());
  }

  @Test
  void garbageErrorBodyStillGivesTheStatusBasedException() {
    TokenException e = failWith(new MockResponse().setResponseCode(401).setBody("<html>Unauthorized</html>"));
    assertInstanceOf(CredentialsRejectedException.class, e);
    assertEquals(401, e.statusCode());
    assertNull(e.errorCode());
  }

  @Test
  void emptyErrorBodyStillGivesTheStatusBasedException() {
    TokenException e = failWith(new MockResponse().setResponseCode(502));
    assertInstanceOf(TokenServiceException.class, e);
    assertNull(e.errorCode());
  }

  @Test
  void errorBodyEchoingTheIdentityTokenDoesNotLeakIt() {
    // failWith scans the message, toString and cause chain for the identity token.
    TokenException e = failWith(jsonResponse(401,
        "{\"meta\":{\"code\":401,\"message\":\"invalid token " + IDENTITY_TOKEN + "\"}}"));
    assertInstanceOf(CredentialsRejectedException.class, e);
  }

  @Test
  void redirectIsNotFollowedAndIsAnInvalidRequest() {
    TokenException e = failWith(new MockResponse().setResponseCode(307).setHeader("Location", "https://example.com/"));
    assertInstanceOf(InvalidTokenRequestException.class, e);
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void missingTokenIsMalformed() {
    TokenException e = failWith(jsonResponse(200, "{\"data\":{\"tokenType\":\"bearer\",\"expiresIn\":3600}}"));
    assertInstanceOf(MalformedTokenResponseException.class, e);
    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void blankTokenIsMalformed() {
    assertInstanceOf(MalformedTokenResponseException.class, failWith(jsonResponse(200, success("  ", 3600))));
  }

  @Test
  void missingDataObjectIsMalformed() {
    assertInstanceOf(MalformedTokenResponseException.class,
        failWith(jsonResponse(200, "{\"meta\":{\"code\":200}}")));
  }

  @Test
  void unparseableBodyIsMalformed() {
    assertInstanceOf(MalformedTokenResponseException.class, failWith(jsonResponse(200, "{\"data\": {\"token\": ")));
  }

  @Test
  void nonJsonBodyIsMalformed() {
    assertInstanceOf(MalformedTokenResponseException.class, failWith(jsonResponse(200, "<html>hello</html>")));
  }

  @Test
  void connectionFailureIsARetryableServiceFailureWithoutStatus() {
    TokenException e = failWith(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals(TokenException.NO_STATUS, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void connectionDroppedMidBodyIsARetryableServiceFailure() {
    TokenException e = failWith(
        jsonResponse(200, success("product-token", 3600)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    assertInstanceOf(TokenServiceException.class, e);
  }

  @Test
  void zeroExpiresInCountsAsUnstatedAndFallsBackToOneHour() {
    // expiresIn 0 counts as "not stated"; with no JWT claims the documented one-hour lifetime applies.
    server.enqueue(jsonResponse(200, success("opaque-token", 0)));
    Token token = get(sampleBuilder(server).build().fetch());
    assertEquals(Duration.ofHours(1), Duration.between(token.receivedAt(), token.expiresAt()));
  }

  @Test
  void missingExpiresInFallsBackToOneHour() {
    server.enqueue(jsonResponse(200, "{\"data\":{\"token\":\"opaque-token\"}}"));
    Token token = get(sampleBuilder(server).build().fetch());
    assertEquals(Duration.ofHours(1), Duration.between(token.receivedAt(), token.expiresAt()));
    assertEquals("Bearer", token.type());
  }

  @Test
  void expiresInAsQuotedNumberIsRead() {
    server.enqueue(jsonResponse(200, success("opaque-token", "\"600\"")));
    Token token = get(sampleBuilder(server).build().fetch());
    assertEquals(Duration.ofSeconds(600), Duration.between(token.receivedAt(), token.expiresAt()));
  }

  @Test
  void earlierJwtExpBoundsExpiresInOnTheLocalClock() {
    // The server's clock is two hours ahead; its token expires 600 s after its Date.
    Instant serverNow = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = jwt("{\"iat\":" + serverNow.getEpochSecond() + ",\"exp\":" + (serverNow.getEpochSecond() + 600) + "}");
    server.enqueue(jsonResponse(200, success(token, 3600))
        .setHeader("Date", HTTP_DATE.format(serverNow.atOffset(ZoneOffset.UTC))));
    Token result = get(sampleBuilder(server).build().fetch());
    Duration lifetime = Duration.between(result.receivedAt(), result.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(598)) >= 0 && lifetime.compareTo(Duration.ofSeconds(601)) <= 0,
        lifetime.toString());
  }

  @Test
  void tokenExpiredOnArrivalIsMalformed() {
    Instant now = Instant.now();
    String token = jwt("{\"iat\":" + (now.getEpochSecond() - 7200) + ",\"exp\":" + (now.getEpochSecond() - 3600) + "}");
    server.enqueue(jsonResponse(200, success(token, 3600))
        .setHeader("Date", HTTP_DATE.format(now.atOffset(ZoneOffset.UTC))));
    assertInstanceOf(MalformedTokenResponseException.class, failure(sampleBuilder(server).build().fetch()));
  }

  @Test
  void unknownFieldsAreIgnored() {
    server.enqueue(jsonResponse(200, "{\"data\":{\"token\":\"t0k3n\",\"tokenType\":\"bearer\",\"expiresIn\":3600,"
        + "\"refreshToken\":\"x\"},\"meta\":{\"code\":200,\"extra\":[1,2]},\"links\":{}}"));
    assertEquals("t0k3n", get(sampleBuilder(server).build().fetch()).value());
  }
}
