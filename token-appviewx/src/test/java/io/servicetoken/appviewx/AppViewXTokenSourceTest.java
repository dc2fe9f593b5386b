package io.servicetoken.appviewx;

import static io.servicetoken.appviewx.Fixtures.BASIC;
import static io.servicetoken.appviewx.Fixtures.CLIENT_ID;
import static io.servicetoken.appviewx.Fixtures.SAMPLE_EXP;
import static io.servicetoken.appviewx.Fixtures.SAMPLE_TOKEN;
import static io.servicetoken.appviewx.Fixtures.assertNoSecret;
import static io.servicetoken.appviewx.Fixtures.envelope;
import static io.servicetoken.appviewx.Fixtures.fetch;
import static io.servicetoken.appviewx.Fixtures.fetchFailure;
import static io.servicetoken.appviewx.Fixtures.json;
import static io.servicetoken.appviewx.Fixtures.jwt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenServiceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppViewXTokenSourceTest {
  private final MockWebServer server = new MockWebServer();
  private AppViewXTokenSource source;

  @BeforeEach
  void setUp() throws IOException {
    server.start();
    source = Fixtures.source(server.url("/").toString()).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.shutdown();
  }

  private RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request, "no request arrived");
    return request;
  }

  // --- the documented request ---

  @Test
  void requestIsAPostToTheDocumentedPathWithGatewaySourceExternal() throws Exception {
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(source);
    RecordedRequest request = takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals("/avxapi/acctmgmt-get-service-token?gwsource=external", request.getPath());
  }

  @Test
  void requestCarriesBasicClientCredentials() throws Exception {
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(source);
    assertEquals(BASIC, takeRequest().getHeader("Authorization"));
  }

  @Test
  void basicCredentialIsTheDocumentedOneWithoutItsPrintedTrailingNewline() throws Exception {
    // The doc's sample header encodes "<id>:<secret>\n" (an echo artifact); the SDK encodes exactly "<id>:<secret>".
    String printed = "NTIxYzNhZDItZWE0ZS00NDdiLWE1MWItOTYyMWJiN2VhMTI2OjU1QVUjTk84JSpaaGd2TmZhWVVtdHZYMGRrRWhvZGJpCg==";
    ByteString decoded = ByteString.decodeBase64(printed);
    assertNotNull(decoded);
    String withoutNewline = decoded.utf8().replace("\n", "");
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(source);
    assertEquals("Basic " + ByteString.encodeUtf8(withoutNewline).base64(), takeRequest().getHeader("Authorization"));
  }

  @Test
  void requestIsAFormWithGrantTypeClientCredentials() throws Exception {
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(source);
    RecordedRequest request = takeRequest();
    assertTrue(request.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"),
        request.getHeader("Content-Type"));
    assertEquals("grant_type=client_credentials", request.getBody().readUtf8());
  }

  @Test
  void requestAcceptsJsonAndNamesTheSdkAsUserAgent() throws Exception {
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(source);
    RecordedRequest request = takeRequest();
    assertEquals("application/json", request.getHeader("Accept"));
    String userAgent = request.getHeader("User-Agent");
    assertTrue(userAgent.startsWith("servicetoken/") && userAgent.endsWith(" token-appviewx"), userAgent);
  }

  @Test
  void gatewaySourceAndGrantTypeAreConfigurable() throws Exception {
    AppViewXTokenSource custom = Fixtures.source(server.url("/").toString())
        .gatewaySource("internal").grantType("Client_Credentials").build();
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(custom);
    RecordedRequest request = takeRequest();
    assertEquals("/avxapi/acctmgmt-get-service-token?gwsource=internal", request.getPath());
    assertEquals("grant_type=Client_Credentials", request.getBody().readUtf8());
  }

  @Test
  void baseUrlPathPrefixIsKeptEvenWithoutTrailingSlash() throws Exception {
    AppViewXTokenSource prefixed = Fixtures.source(server.url("/tenant-a").toString()).build();
    server.enqueue(json(200, envelope("\"opaque\"", "null", "null")));
    fetch(prefixed);
    assertEquals("/tenant-a/avxapi/acctmgmt-get-service-token?gwsource=external", takeRequest().getPath());
  }

  @Test
  void fetchIsColdEverySubscriptionSendsOneRequest() {
    server.enqueue(json(200, envelope("\"first\"", "null", "null")));
    server.enqueue(json(200, envelope("\"second\"", "null", "null")));
    Single<Token> single = source.fetch();
    assertEquals(0, server.getRequestCount());
    assertEquals("first", single.timeout(10, TimeUnit.SECONDS).blockingGet().value());
    assertEquals("second", single.timeout(10, TimeUnit.SECONDS).blockingGet().value());
    assertEquals(2, server.getRequestCount());
  }

  // --- the documented sample response ---

  @Test
  void sampleResponseAsPrintedGivesTheTokenWithoutItsStraySpaces() {
    server.enqueue(new MockResponse().setBody(Fixtures.sampleResponse())
        .setHeader("Content-Type", "application/json")
        .setHeader("Date", Fixtures.httpDate(SAMPLE_EXP.minusSeconds(600))));
    Token token = fetch(source);
    assertEquals(SAMPLE_TOKEN, token.value());
    assertEquals("Bearer", token.type());
    assertEquals("Bearer " + SAMPLE_TOKEN, token.authorization());
  }

  @Test
  void sampleResponseExpiresWhenItsJwtExpSaysCorrectedByTheDateHeader() {
    server.enqueue(new MockResponse().setBody(Fixtures.sampleResponse())
        .setHeader("Content-Type", "application/json")
        .setHeader("Date", Fixtures.httpDate(SAMPLE_EXP.minusSeconds(600))));
    Token token = fetch(source);
    assertEquals(token.receivedAt().plusSeconds(600), token.expiresAt());
  }

  @Test
  void sampleResponseWithoutDateHeaderIsExpiredOnArrival() {
    // exp is April 2022 and the JWT has no iat: without the server's clock the token is long expired.
    server.enqueue(new MockResponse().setBody(Fixtures.sampleResponse())
        .setHeader("Content-Type", "application/json"));
    MalformedTokenResponseException e = fetchFailure(MalformedTokenResponseException.class, source);
    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
    assertTrue(e.getMessage().contains("expired on arrival"), e.getMessage());
  }

  // --- expiry ---

  @Test
  void jwtExpIsReadOnTheServerClockFromTheDateHeader() {
    Instant serverNow = Instant.now().plus(Duration.ofHours(3)); // server clock 3 h ahead
    String token = jwt("{\"exp\":" + serverNow.plusSeconds(300).getEpochSecond() + "}");
    server.enqueue(json(200, envelope("\"" + token + "\"", "null", "null"), serverNow));
    Token result = fetch(source);
    Duration lifetime = Duration.between(result.receivedAt(), result.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(298)) >= 0 && lifetime.compareTo(Duration.ofSeconds(301)) <= 0,
        lifetime.toString());
  }

  @Test
  void jwtWithADateHeaderFiveYearsOldIsNotCachedForYears() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = jwt("{\"exp\":" + now.plusSeconds(900).getEpochSecond() + "}");
    server.enqueue(json(200, envelope("\"" + token + "\"", "null", "null"), now.minus(Duration.ofDays(5 * 365))));
    Token result = fetch(source);
    assertEquals(now.plusSeconds(900), result.expiresAt());
  }

  @Test
  void aReusedJwtIssuedFiftyMinutesAgoWithoutADateHeaderLivesItsLastTenMinutes() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = jwt("{\"iat\":" + now.minusSeconds(3000).getEpochSecond()
        + ",\"exp\":" + now.plusSeconds(600).getEpochSecond() + "}");
    server.enqueue(json(200, envelope("\"" + token + "\"", "null", "null")));
    Token result = fetch(source);
    assertEquals(now.plusSeconds(600), result.expiresAt());
  }

  @Test
  void tokenWithoutExpLivesTheDefaultFifteenMinutes() {
    server.enqueue(json(200, envelope("\"opaque-token\"", "null", "null")));
    Token token = fetch(source);
    assertEquals(token.receivedAt().plus(Duration.ofMinutes(15)), token.expiresAt());
  }

  @Test
  void jwtWithoutExpLivesTheDefaultLifetime() {
    server.enqueue(json(200, envelope("\"" + jwt("{\"sub\":\"platform\"}") + "\"", "null", "null")));
    Token token = fetch(source);
    assertEquals(token.receivedAt().plus(Duration.ofMinutes(15)), token.expiresAt());
  }

  @Test
  void defaultLifetimeIsConfigurable() {
    AppViewXTokenSource custom =
        Fixtures.source(server.url("/").toString()).defaultLifetime(Duration.ofMinutes(5)).build();
    server.enqueue(json(200, envelope("\"opaque-token\"", "null", "null")));
    Token token = fetch(custom);
    assertEquals(token.receivedAt().plus(Duration.ofMinutes(5)), token.expiresAt());
  }

  @Test
  void jwtExpEarlierThanTheDefaultLifetimeWins() {
    Instant serverNow = Instant.now();
    String token = jwt("{\"iat\":" + serverNow.getEpochSecond() + ",\"exp\":" + (serverNow.getEpochSecond() + 120) + "}");
    server.enqueue(json(200, envelope("\"" + token + "\"", "null", "null"), serverNow));
    Token result = fetch(source);
    assertTrue(result.expiresAt().isBefore(result.receivedAt().plusSeconds(122)), result.toString());
  }

  @Test
  void whitespaceOfAnyKindIsRemovedFromTheToken() {
    server.enqueue(json(200, envelope("\" abc\\tdef\\n ghi \"", "null", "null")));
    assertEquals("abcdefghi", fetch(source).value());
  }

  // --- malformed answers ---

  @Test
  void missingResponseFieldIsMalformed() {
    server.enqueue(json(200, "{\"message\": \"Successful\"}"));
    MalformedTokenResponseException e = fetchFailure(MalformedTokenResponseException.class, source);
    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void nullResponseFieldIsMalformed() {
    server.enqueue(json(200, envelope("null", "null", "null")));
    fetchFailure(MalformedTokenResponseException.class, source);
  }

  @Test
  void blankResponseFieldIsMalformed() {
    server.enqueue(json(200, envelope("\"  \"", "null", "null")));
    fetchFailure(MalformedTokenResponseException.class, source);
  }

  @Test
  void responseOfOnlyUnicodeSpacesIsMalformed() {
    server.enqueue(json(200, envelope("\"\\u00a0\\u2003\"", "null", "null")));
    MalformedTokenResponseException e = fetchFailure(MalformedTokenResponseException.class, source);
    assertEquals(200, e.statusCode());
  }

  @Test
  void unparseableBodyIsMalformed() {
    server.enqueue(json(200, "<html>gateway</html>"));
    fetchFailure(MalformedTokenResponseException.class, source);
  }

  @Test
  void emptyBodyIsMalformed() {
    server.enqueue(json(200, ""));
    fetchFailure(MalformedTokenResponseException.class, source);
  }

  @Test
  void successEnvelopeWithACredentialCodeAndNoTokenIsCredentialsRejected() {
    server.enqueue(json(200, envelope("null", "\"Client Password is incorrect::[Invalid Client credential]\"",
        "\"OAUTH_CLNT_015\"")));
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, source);
    assertEquals(200, e.statusCode());
    assertEquals("OAUTH_CLNT_015", e.errorCode());
  }

  @Test
  void successEnvelopeWithAnotherCodeAndNoTokenIsAnInvalidRequestWithThatCode() {
    server.enqueue(json(200, envelope("null", "\"Error while processing.\"", "\"avx-common-011\"")));
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, source);
    assertEquals("avx-common-011", e.errorCode());
    assertTrue(e.getMessage().contains("Error while processing."), e.getMessage());
  }

  // --- documented errors ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ACCT_SA_003|Service account is invalid/not found::[Service account not found in the database]",
      "OAUTH_CLNT_015|Client Password is incorrect::[Invalid Client credential]",
      "ACCT_SA_001|Invalid Request::[Invalid client Id or secret]",
  })
  void documentedBadRequestCodesAreCredentialsRejected(String code, String message) {
    server.enqueue(json(400, envelope("null", "\"" + message + "\"", "\"" + code + "\"")));
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, source);
    assertEquals(400, e.statusCode());
    assertEquals(code, e.errorCode());
    assertEquals("appviewx", e.vendor());
    assertFalse(e.isRetryable());
    assertTrue(e.getMessage().contains(code), e.getMessage());
  }

  @Test
  void documentedServerErrorIsARetryableServiceFailure() {
    server.enqueue(json(500, envelope("null", "\"Error while processing.\"", "\"avx-common-011\"")));
    TokenServiceException e = fetchFailure(TokenServiceException.class, source);
    assertEquals(500, e.statusCode());
    assertEquals("avx-common-011", e.errorCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void serverErrorWithGarbageBodyIsStillAServiceFailure() {
    server.enqueue(json(502, "<html>Bad Gateway</html>"));
    TokenServiceException e = fetchFailure(TokenServiceException.class, source);
    assertEquals(502, e.statusCode());
    assertNull(e.errorCode());
  }

  @Test
  void badRequestWithGarbageBodyIsAnInvalidRequest() {
    server.enqueue(json(400, "{\"appStatusCode\": "));
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, source);
    assertEquals(400, e.statusCode());
    assertNull(e.errorCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void badRequestWithAnUndocumentedCodeIsAnInvalidRequestCarryingTheCode() {
    server.enqueue(json(400, envelope("null", "\"Invalid Request\"", "\"avx-common-400\"")));
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, source);
    assertEquals("avx-common-400", e.errorCode());
  }

  @Test
  void unauthorizedWithoutBodyIsCredentialsRejected() {
    server.enqueue(new MockResponse().setResponseCode(401));
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, source);
    assertEquals(401, e.statusCode());
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() {
    server.enqueue(json(429, "").setHeader("Retry-After", "7"));
    TokenServiceException e = fetchFailure(TokenServiceException.class, source);
    assertEquals(429, e.statusCode());
    assertEquals(Duration.ofSeconds(7), e.retryAfter());
  }

  @Test
  void redirectIsNotFollowed() {
    HttpUrl elsewhere = server.url("/elsewhere");
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", elsewhere.toString()));
    server.enqueue(json(200, envelope("\"should-not-be-fetched\"", "null", "null")));
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, source);
    assertEquals(302, e.statusCode());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void connectionFailureIsARetryableServiceFailureWithoutStatus() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    TokenServiceException e = fetchFailure(TokenServiceException.class, source);
    assertEquals(-1, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void errorMessageEchoingTheSecretIsScrubbed() {
    String echo = "Client Password is incorrect::[" + Fixtures.CLIENT_SECRET + " / " + BASIC + "]";
    server.enqueue(json(400, envelope("null", "\"" + echo.replace("\\", "\\\\") + "\"", "\"OAUTH_CLNT_015\"")));
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, source);
    assertTrue(e.getMessage().contains("Client Password is incorrect"), e.getMessage());
  }

  @Test
  void toStringShowsTheClientIdButNoSecret() {
    String text = source.toString();
    assertTrue(text.contains(CLIENT_ID), text);
    assertNoSecret(text);
  }
}
