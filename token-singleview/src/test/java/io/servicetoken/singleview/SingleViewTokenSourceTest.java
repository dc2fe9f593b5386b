package io.servicetoken.singleview;

import static io.servicetoken.singleview.Fixtures.CLIENT_CODE;
import static io.servicetoken.singleview.Fixtures.CLIENT_ID;
import static io.servicetoken.singleview.Fixtures.MERCHANT_ID;
import static io.servicetoken.singleview.Fixtures.SAMPLE_IAT;
import static io.servicetoken.singleview.Fixtures.SAMPLE_TOKEN;
import static io.servicetoken.singleview.Fixtures.httpDate;
import static io.servicetoken.singleview.Fixtures.json;
import static io.servicetoken.singleview.Fixtures.jwt;
import static io.servicetoken.singleview.Fixtures.sourceFor;
import static io.servicetoken.singleview.Fixtures.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SingleViewTokenSourceTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Token fetch() {
    return sourceFor(server).fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  private <T extends TokenException> T fetchFails(Class<T> type) {
    SingleViewTokenSource source = sourceFor(server);
    T failure = assertThrows(type, () -> source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet());
    assertEquals("singleview", failure.vendor());
    SecretScanner.assertNoSecret(failure, CLIENT_CODE);
    return failure;
  }

  private RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) throw new AssertionError("no request within 5 s");
    return request;
  }

  private static Duration lifetime(Token token) {
    return Duration.between(token.receivedAt(), token.expiresAt());
  }

  // --- The documentation's sample -------------------------------------------------------------------------------

  @Test
  void sampleResponseAsPrintedParsesIntoTheSampleToken() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(Fixtures.sampleResponse())));

    Token token = fetch();

    assertEquals(SAMPLE_TOKEN, token.value());
    assertEquals("Bearer", token.type());
    assertEquals("Bearer " + SAMPLE_TOKEN, token.authorization());
  }

  @Test
  void sampleResponseWithoutDateHeaderExpiresOneHourAfterReceptionThroughTheJwtIat() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(Fixtures.sampleResponse())));

    Token token = fetch();

    // expires_in 0000 is "not stated"; the JWT's iat stands for the server's now, so exp - iat = 3600 s.
    assertEquals(Duration.ofSeconds(3600), lifetime(token));
  }

  @Test
  void sampleResponseWithDateHeaderIsCorrectedByTheServerClock() {
    // The server says it is 10 minutes after the token was issued: 50 minutes are left.
    server.enqueue(
        new MockResponse()
            .setHeader("Date", httpDate(Instant.ofEpochSecond(SAMPLE_IAT + 600)))
            .setBody(new Buffer().write(Fixtures.sampleResponse())));

    Token token = fetch();

    assertEquals(Duration.ofSeconds(3000), lifetime(token));
  }

  // --- Expiry --------------------------------------------------------------------------------------------------------

  @Test
  void expiresInWinsOverALongerJwtExpiry() {
    long now = Instant.now().getEpochSecond();
    server.enqueue(success(jwt(now, now + 3600), "120"));

    assertEquals(Duration.ofSeconds(120), lifetime(fetch()));
  }

  @Test
  void shorterJwtExpiryWinsOverALongerExpiresIn() {
    long now = Instant.now().getEpochSecond();
    server.enqueue(success(jwt(now, now + 600), "3600"));

    // The JWT's exp - iat says 600 s; its exp, read on the local clock, a little less (now is whole seconds).
    Duration lifetime = lifetime(fetch());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(598)) >= 0 && lifetime.compareTo(Duration.ofSeconds(600)) <= 0,
        lifetime.toString());
  }

  @Test
  void zeroExpiresInWithATokenThatIsNotAJwtFallsBackToTheDocumentedSixtyMinutes() {
    server.enqueue(success("opaque-token-value", "0"));

    assertEquals(Duration.ofMinutes(60), lifetime(fetch()));
  }

  @Test
  void missingExpiresInWithATokenThatIsNotAJwtFallsBackToTheDocumentedSixtyMinutes() {
    server.enqueue(json(200, "{\"success\":true,\"payload\":{\"access_token\":\"opaque-token-value\"}}"));

    Token token = fetch();

    assertEquals(Duration.ofMinutes(60), lifetime(token));
    assertEquals("Bearer", token.type());
  }

  @Test
  void expiresInWithLeadingZerosCountsInSeconds() {
    server.enqueue(success("opaque-token-value", "0120"));

    assertEquals(Duration.ofSeconds(120), lifetime(fetch()));
  }

  @Test
  void expiresInAsAQuotedNumberIsRead() {
    server.enqueue(success("opaque-token-value", "\"300\""));

    assertEquals(Duration.ofSeconds(300), lifetime(fetch()));
  }

  @Test
  void lowerCaseBearerTypeIsNormalised() {
    server.enqueue(
        json(200, "{\"success\":true,\"payload\":{\"access_token\":\"abc-def-ghi\",\"token_type\":\"bearer\","
            + "\"expires_in\":60}}"));

    assertEquals("Bearer", fetch().type());
  }

  @Test
  void unknownFieldsAreIgnored() {
    server.enqueue(
        json(200, "{\"success\":true,\"requestId\":\"r-1\",\"payload\":{\"access_token\":\"abc-def-ghi\","
            + "\"scope\":[\"a\",\"b\"],\"expires_in\":60,\"extra\":{\"x\":1}}}"));

    assertEquals("abc-def-ghi", fetch().value());
  }

  @Test
  void tokenAlreadyExpiredOnArrivalIsMalformed() {
    // The server's Date is ten minutes past the JWT's exp, and expires_in states nothing.
    long issued = 1_700_000_000L;
    server.enqueue(
        success(jwt(issued, issued + 3600), "0000").setHeader("Date", httpDate(Instant.ofEpochSecond(issued + 4200))));

    MalformedTokenResponseException failure = fetchFails(MalformedTokenResponseException.class);

    assertEquals(200, failure.statusCode());
    assertFalse(failure.isRetryable());
  }

  // --- The request on the wire ---------------------------------------------------------------------------------------

  @Test
  void requestIsAJsonPostToTheTokenPath() throws Exception {
    server.enqueue(success("opaque-token-value", "3600"));
    fetch();

    RecordedRequest request = takeRequest();

    assertEquals("POST", request.getMethod());
    assertEquals("/v1/api/observice/token", request.getPath());
    assertEquals("application/json", request.getHeader("Accept"));
    assertTrue(request.getHeader("Content-Type").startsWith("application/json"), request.getHeader("Content-Type"));
    assertTrue(request.getHeader("User-Agent").startsWith("servicetoken/"), request.getHeader("User-Agent"));
    assertTrue(request.getHeader("User-Agent").endsWith(" token-singleview"), request.getHeader("User-Agent"));
    assertNull(request.getHeader("Authorization"));
  }

  @Test
  void requestBodyCarriesTheFourDocumentedFields() throws Exception {
    server.enqueue(success("opaque-token-value", "3600"));
    fetch();

    Map<String, Object> body = readJson(takeRequest());

    assertEquals(4, body.size(), body.keySet().toString());
    assertEquals(CLIENT_ID, body.get("clientId"));
    assertEquals(CLIENT_CODE, body.get("clientCode"));
    assertEquals(MERCHANT_ID, body.get("merchantId"));
    assertEquals("client_Credentials", body.get("grantType"));
  }

  @Test
  void configuredGrantTypeIsSent() throws Exception {
    server.enqueue(success("opaque-token-value", "3600"));
    Fixtures.builderFor(server).grantType("Client_Credentials").build().fetch().timeout(10, TimeUnit.SECONDS)
        .blockingGet();

    assertEquals("Client_Credentials", readJson(takeRequest()).get("grantType"));
  }

  @Test
  void baseUrlPathPrefixIsKept() throws Exception {
    server.enqueue(success("opaque-token-value", "3600"));
    Fixtures.builderFor(server).baseUrl(server.url("/gateway/singleview").toString()).build().fetch()
        .timeout(10, TimeUnit.SECONDS).blockingGet();

    assertEquals("/gateway/singleview/v1/api/observice/token", takeRequest().getPath());
  }

  @Test
  void fetchIsColdAndEachSubscriptionSendsOneRequest() {
    server.enqueue(success("first-token-value", "3600"));
    server.enqueue(success("second-token-value", "3600"));
    SingleViewTokenSource source = sourceFor(server);

    io.reactivex.rxjava3.core.Single<Token> fetch = source.fetch();
    assertEquals(0, server.getRequestCount());

    assertEquals("first-token-value", fetch.timeout(10, TimeUnit.SECONDS).blockingGet().value());
    assertEquals("second-token-value", fetch.timeout(10, TimeUnit.SECONDS).blockingGet().value());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void redirectIsNotFollowedAndIsAnInvalidRequest() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertEquals(302, failure.statusCode());
    assertEquals(1, server.getRequestCount());
  }

  // --- success: false ----------------------------------------------------------------------------------------------

  @Test
  void successFalseWithHttp200IsAnInvalidRequestCarryingTheVendorMessage() {
    server.enqueue(json(200, "{\"success\":false,\"message\":\"Merchant is not active\"}"));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertEquals(200, failure.statusCode());
    assertNull(failure.errorCode());
    assertFalse(failure.isRetryable());
    assertTrue(failure.getMessage().contains("Merchant is not active"), failure.getMessage());
    assertTrue(failure.getMessage().contains("success"), failure.getMessage());
  }

  @Test
  void successFalseWithoutMessageIsStillAnInvalidRequest() {
    server.enqueue(json(200, "{\"success\":false}"));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertEquals(200, failure.statusCode());
  }

  @Test
  void successFalseMessageEchoingTheClientCodeIsScrubbed() {
    server.enqueue(
        json(200, "{\"success\":false,\"message\":\"clientCode " + CLIENT_CODE + " is not valid\"}"));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertTrue(failure.getMessage().contains("is not valid"), failure.getMessage());
  }

  @Test
  void successFalseWithACredentialErrorCodeRejectsTheCredentials() {
    server.enqueue(json(200, "{\"success\":false,\"errorCode\":\"invalid_client\",\"message\":\"Unknown client\"}"));

    CredentialsRejectedException failure = fetchFails(CredentialsRejectedException.class);

    assertEquals(200, failure.statusCode());
    assertEquals("invalid_client", failure.errorCode());
  }

  @Test
  void successFalseWithAnotherErrorCodeCarriesIt() {
    server.enqueue(json(200, "{\"success\":false,\"errorCode\":\"SV_1002\",\"message\":\"Merchant suspended\"}"));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertEquals("SV_1002", failure.errorCode());
  }

  // --- HTTP errors -------------------------------------------------------------------------------------------------

  @Test
  void http401IsCredentialsRejectedWithTheVendorMessage() {
    server.enqueue(json(401, "{\"success\":false,\"message\":\"Invalid client credentials\"}"));

    CredentialsRejectedException failure = fetchFails(CredentialsRejectedException.class);

    assertEquals(401, failure.statusCode());
    assertFalse(failure.isRetryable());
    assertTrue(failure.getMessage().contains("Invalid client credentials"), failure.getMessage());
  }

  @Test
  void http403IsCredentialsRejected() {
    server.enqueue(json(403, "{\"success\":false,\"message\":\"Forbidden\"}"));

    assertEquals(403, fetchFails(CredentialsRejectedException.class).statusCode());
  }

  @Test
  void http401MessageEchoingTheClientCodeIsScrubbed() {
    server.enqueue(json(401, "{\"success\":false,\"message\":\"bad clientCode " + CLIENT_CODE + "\"}"));

    CredentialsRejectedException failure = fetchFails(CredentialsRejectedException.class);

    assertTrue(failure.getMessage().contains("bad clientCode"), failure.getMessage());
  }

  @Test
  void http401WithAGarbageBodyIsStillCredentialsRejected() {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("<html>Unauthorized</html>"));

    assertEquals(401, fetchFails(CredentialsRejectedException.class).statusCode());
  }

  @Test
  void http400IsAnInvalidRequestCarryingErrorCodeAndMessage() {
    server.enqueue(json(400, "{\"success\":false,\"errorCode\":\"SV_400\",\"message\":\"merchantId is mandatory\"}"));

    InvalidTokenRequestException failure = fetchFails(InvalidTokenRequestException.class);

    assertEquals(400, failure.statusCode());
    assertEquals("SV_400", failure.errorCode());
    assertFalse(failure.isRetryable());
    assertTrue(failure.getMessage().contains("merchantId is mandatory"), failure.getMessage());
  }

  @Test
  void http400WithAnOAuthInvalidClientErrorIsCredentialsRejected() {
    server.enqueue(json(400, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}"));

    CredentialsRejectedException failure = fetchFails(CredentialsRejectedException.class);

    assertEquals(400, failure.statusCode());
    assertEquals("invalid_client", failure.errorCode());
    assertTrue(failure.getMessage().contains("Client authentication failed"), failure.getMessage());
  }

  @Test
  void http500IsARetryableServiceFailure() {
    server.enqueue(json(500, "{\"success\":false,\"message\":\"Internal error\"}"));

    TokenServiceException failure = fetchFails(TokenServiceException.class);

    assertEquals(500, failure.statusCode());
    assertTrue(failure.isRetryable());
    assertTrue(failure.getMessage().contains("Internal error"), failure.getMessage());
  }

  @Test
  void http503CarriesRetryAfter() {
    server.enqueue(json(503, "{\"success\":false}").setHeader("Retry-After", "7"));

    TokenServiceException failure = fetchFails(TokenServiceException.class);

    assertEquals(503, failure.statusCode());
    assertEquals(Duration.ofSeconds(7), failure.retryAfter());
  }

  @Test
  void http502WithAnHtmlBodyIsStillAServiceFailure() {
    server.enqueue(new MockResponse().setResponseCode(502).setBody("<html><body>Bad Gateway</body></html>"));

    assertEquals(502, fetchFails(TokenServiceException.class).statusCode());
  }

  @Test
  void http429IsARetryableServiceFailure() {
    server.enqueue(json(429, "{\"success\":false,\"message\":\"Too many requests\"}"));

    TokenServiceException failure = fetchFails(TokenServiceException.class);

    assertEquals(429, failure.statusCode());
    assertTrue(failure.isRetryable());
  }

  // --- Malformed answers and transport failures ----------------------------------------------------------------------

  @Test
  void successWithoutPayloadIsMalformed() {
    server.enqueue(json(200, "{\"success\":true}"));

    assertEquals(200, fetchFails(MalformedTokenResponseException.class).statusCode());
  }

  @Test
  void payloadWithoutAccessTokenIsMalformed() {
    server.enqueue(json(200, "{\"success\":true,\"payload\":{\"token_type\":\"Bearer\",\"expires_in\":3600}}"));

    MalformedTokenResponseException failure = fetchFails(MalformedTokenResponseException.class);

    assertTrue(failure.getMessage().contains("access_token"), failure.getMessage());
  }

  @Test
  void nullAccessTokenIsMalformed() {
    server.enqueue(json(200, "{\"success\":true,\"payload\":{\"access_token\":null,\"expires_in\":3600}}"));

    fetchFails(MalformedTokenResponseException.class);
  }

  @Test
  void blankAccessTokenIsMalformed() {
    server.enqueue(json(200, "{\"success\":true,\"payload\":{\"access_token\":\"  \",\"expires_in\":3600}}"));

    fetchFails(MalformedTokenResponseException.class);
  }

  @Test
  void unparseableBodyIsMalformed() {
    server.enqueue(new MockResponse().setBody("<html>Welcome to SingleView</html>"));

    MalformedTokenResponseException failure = fetchFails(MalformedTokenResponseException.class);

    assertFalse(failure.isRetryable());
  }

  @Test
  void truncatedJsonIsMalformed() {
    server.enqueue(json(200, "{\"success\":true,\"payload\":{\"access_token\":"));

    fetchFails(MalformedTokenResponseException.class);
  }

  @Test
  void emptyBodyIsMalformed() {
    server.enqueue(new MockResponse().setResponseCode(200));

    fetchFails(MalformedTokenResponseException.class);
  }

  @Test
  void connectionDroppedBeforeTheResponseIsARetryableServiceFailure() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    TokenServiceException failure = fetchFails(TokenServiceException.class);

    assertEquals(TokenException.NO_STATUS, failure.statusCode());
    assertTrue(failure.isRetryable());
  }

  @Test
  void connectionDroppedDuringTheBodyIsARetryableServiceFailure() {
    server.enqueue(
        success("opaque-token-value", "3600").setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    assertTrue(fetchFails(TokenServiceException.class).isRetryable());
  }

  @Test
  void refusedConnectionIsARetryableServiceFailure() throws IOException {
    SingleViewTokenSource source = sourceFor(server);
    server.shutdown();

    TokenServiceException failure =
        assertThrows(TokenServiceException.class, () -> source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet());

    assertEquals(TokenException.NO_STATUS, failure.statusCode());
    SecretScanner.assertNoSecret(failure, CLIENT_CODE);
  }

  private static Map<String, Object> readJson(RecordedRequest request) throws IOException {
    Map<String, Object> body =
        new Moshi.Builder().build().<Map<String, Object>>adapter(
            Types.newParameterizedType(Map.class, String.class, Object.class)).fromJson(request.getBody().readUtf8());
    if (body == null) throw new AssertionError("empty request body");
    return body;
  }
}
