package io.servicetoken.vyopta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VyoptaTokenSourceTest {
  static final String USERNAME = "alice@example.com";
  static final String PASSWORD = "s3cr3t&p=ss wörd+";
  private static final String TOKEN_PATH = "/auth/realms/vyopta/protocol/openid-connect/token";
  private static final String SERVER_DATE = "Mon, 13 Aug 2018 17:03:55 GMT";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private VyoptaTokenSource.Builder builder() {
    return VyoptaTokenSource.builder().baseUrl(server.url("/").toString()).username(USERNAME).password(PASSWORD);
  }

  private static Token fetch(VyoptaTokenSource source) {
    return source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  private <T extends TokenException> T fetchFails(Class<T> type, VyoptaTokenSource source) {
    T e = assertThrows(type, () -> fetch(source));
    assertEquals("vyopta", e.vendor());
    SecretScanner.assertNoSecret(e, PASSWORD);
    return e;
  }

  private RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request, "no request arrived");
    return request;
  }

  static String docSample() throws IOException {
    try (InputStream in = VyoptaTokenSourceTest.class.getResourceAsStream("doc-sample-response.json")) {
      assertNotNull(in, "doc-sample-response.json");
      byte[] bytes = new byte[8192];
      int length = 0;
      for (int n; (n = in.read(bytes, length, bytes.length - length)) > 0; ) length += n;
      return new String(bytes, 0, length, UTF_8);
    }
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setHeader("Date", SERVER_DATE)
        .setBody(body);
  }

  private static Map<String, String> form(RecordedRequest request) throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : request.getBody().clone().readUtf8().split("&")) {
      int equals = pair.indexOf('=');
      form.put(URLDecoder.decode(pair.substring(0, equals), "UTF-8"), URLDecoder.decode(pair.substring(equals + 1), "UTF-8"));
    }
    return form;
  }

  private static String jwt(Instant expiresAt) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(UTF_8)) + "."
        + encoder.encodeToString(("{\"exp\":" + expiresAt.getEpochSecond() + "}").getBytes(UTF_8)) + ".sig";
  }

  // --- the documented sample ---

  @Test
  void docSampleResponseParsesIntoTokenValueTypeAndExpiry() throws Exception {
    server.enqueue(json(200, docSample()));
    Instant before = Instant.now();

    Token token = fetch(builder().build());

    assertEquals("eyJhb ... -Pdl31W5g", token.value());
    assertEquals("Bearer", token.type());
    assertEquals("Bearer eyJhb ... -Pdl31W5g", token.authorization());
    assertFalse(token.receivedAt().isBefore(before.minusMillis(1)));
    assertFalse(token.receivedAt().isAfter(Instant.now()));
    // expires_in counts from reception, whatever the server's (2018) Date header says.
    assertEquals(Duration.ofSeconds(300), Duration.between(token.receivedAt(), token.expiresAt()));
  }

  @Test
  void docSampleResponseIsStoredExactlyAsPrinted() throws Exception {
    String sample = docSample();
    assertTrue(sample.contains("\"not-before-policy\":1533920635"));
    assertTrue(sample.contains("\"refresh_token\":\"ey J...-H5oAwI8\""));
    assertTrue(sample.contains("\"scope\":\"emailprofile\""));
  }

  @Test
  void tokenTypeIsBearerWhenAbsent() {
    server.enqueue(json(200, "{\"access_token\":\"opaque-token\",\"expires_in\":300}"));

    assertEquals("Bearer", fetch(builder().build()).type());
  }

  // --- the request on the wire ---

  @Test
  void requestIsTheDocumentedPasswordGrantPost() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().build());

    RecordedRequest request = takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals(TOKEN_PATH, request.getPath());
    assertNull(request.getRequestUrl().query());
    assertEquals("application/x-www-form-urlencoded", request.getHeader("Content-Type"));
    assertEquals("application/json", request.getHeader("Accept"));
    assertNull(request.getHeader("Authorization"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("grant_type", "password");
    expected.put("client_id", "vyopta");
    expected.put("username", USERNAME);
    expected.put("password", PASSWORD);
    assertEquals(expected, form(request));
  }

  @Test
  void requestCarriesTheSdkUserAgent() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().build());

    String userAgent = takeRequest().getHeader("User-Agent");
    assertNotNull(userAgent);
    assertTrue(userAgent.startsWith("servicetoken/"), userAgent);
    assertTrue(userAgent.endsWith(" token-vyopta"), userAgent);
  }

  @Test
  void hostHeaderIsTheBaseUrlsHost() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().build());

    assertEquals(server.url("/").host() + ":" + server.getPort(), takeRequest().getHeader("Host"));
  }

  @Test
  void scopeIsNotSentByDefault() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().build());

    assertFalse(form(takeRequest()).containsKey("scope"));
  }

  @Test
  void scopeIsSentWhenSet() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().scope("openid profile").build());

    assertEquals("openid profile", form(takeRequest()).get("scope"));
  }

  @Test
  void emptyPathPrefixAndCustomRealmAndClientShapeTheRequest() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().pathPrefix("").realm("test realm").clientId("my-app").build());

    RecordedRequest request = takeRequest();
    assertEquals("/realms/test%20realm/protocol/openid-connect/token", request.getPath());
    assertEquals("my-app", form(request).get("client_id"));
  }

  @Test
  void multiSegmentPathPrefixIsKept() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().pathPrefix("sso/auth/").build());

    assertEquals("/sso/auth/realms/vyopta/protocol/openid-connect/token", takeRequest().getPath());
  }

  @Test
  void baseUrlWithPathIsKept() throws Exception {
    server.enqueue(json(200, docSample()));

    fetch(builder().baseUrl(server.url("/login").toString()).build());

    assertEquals("/login" + TOKEN_PATH, takeRequest().getPath());
  }

  @Test
  void fetchIsColdOneRequestPerSubscription() throws Exception {
    server.enqueue(json(200, docSample()));
    server.enqueue(json(200, docSample()));
    Single<Token> fetch = builder().build().fetch();
    assertEquals(0, server.getRequestCount());

    fetch.timeout(10, TimeUnit.SECONDS).blockingGet();
    fetch.timeout(10, TimeUnit.SECONDS).blockingGet();

    assertEquals(2, server.getRequestCount());
  }

  // --- expiry ---

  @Test
  void jwtExpiryEarlierThanExpiresInWins() {
    Instant exp = Instant.now().plusSeconds(120);
    server.enqueue(json(200, "{\"access_token\":\"" + jwt(exp) + "\",\"expires_in\":300,\"token_type\":\"bearer\"}")
        .removeHeader("Date"));

    Token token = fetch(builder().build());

    assertEquals(exp.getEpochSecond(), token.expiresAt().getEpochSecond());
  }

  @Test
  void expiresIn300WithADateHeader301SecondsAheadIsAFresh300SecondToken() {
    // Keycloak issues a JWT for 300 s on an honest clock; a proxy in front of it stamps its own Date, 301 s ahead.
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String token = encoder.encodeToString("{\"alg\":\"none\"}".getBytes(UTF_8)) + "."
        + encoder.encodeToString(("{\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plusSeconds(300).getEpochSecond()
            + "}").getBytes(UTF_8)) + ".sig";
    server.enqueue(json(200, "{\"access_token\":\"" + token + "\",\"expires_in\":300,\"token_type\":\"bearer\"}")
        .setHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            now.plusSeconds(301).atOffset(java.time.ZoneOffset.UTC))));

    Token fetched = fetch(builder().build());

    Duration lifetime = Duration.between(fetched.receivedAt(), fetched.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofSeconds(298)) >= 0 && lifetime.compareTo(Duration.ofSeconds(300)) <= 0,
        lifetime.toString());
  }

  @Test
  void missingExpiresInFallsBackToTheDocumented300Seconds() {
    server.enqueue(json(200, "{\"access_token\":\"opaque-token\",\"token_type\":\"bearer\"}"));

    Token token = fetch(builder().build());

    assertEquals(Duration.ofSeconds(300), Duration.between(token.receivedAt(), token.expiresAt()));
  }

  @Test
  void tokenAlreadyExpiredOnArrivalIsMalformed() {
    server.enqueue(json(200, "{\"access_token\":\"" + jwt(Instant.now().minusSeconds(60))
        + "\",\"expires_in\":300,\"token_type\":\"bearer\"}").removeHeader("Date"));

    MalformedTokenResponseException e = fetchFails(MalformedTokenResponseException.class, builder().build());

    assertFalse(e.isRetryable());
  }

  // --- documented errors ---

  @Test
  void wrongPasswordIsCredentialsRejectedWithInvalidGrant() {
    // Keycloak 26's answer, byte for byte (KeycloakIT checks it against the real server).
    server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertEquals("invalid_grant", e.errorCode());
    assertFalse(e.isRetryable());
    assertTrue(e.getMessage().contains("Invalid user credentials"), e.getMessage());
  }

  @Test
  void invalidGrantWithStatus401IsCredentialsRejected() {
    // Older Keycloak versions answered a wrong password with 401.
    server.enqueue(json(401, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(401, e.statusCode());
    assertEquals("invalid_grant", e.errorCode());
  }

  @Test
  void unknownClientIsCredentialsRejectedWithInvalidClient() {
    server.enqueue(json(401,
        "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(401, e.statusCode());
    assertEquals("invalid_client", e.errorCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void invalidClientWithStatus400IsCredentialsRejected() {
    server.enqueue(json(400, "{\"error\":\"invalid_client\"}"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertEquals("invalid_client", e.errorCode());
  }

  @Test
  void clientWithoutDirectAccessGrantsIsCredentialsRejected() {
    server.enqueue(json(400,
        "{\"error\":\"unauthorized_client\",\"error_description\":\"Client not allowed for direct access grants\"}"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertEquals("unauthorized_client", e.errorCode());
  }

  @Test
  void invalidScopeIsInvalidTokenRequest() {
    server.enqueue(json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: nope\"}"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().scope("nope").build());

    assertEquals("invalid_scope", e.errorCode());
  }

  @Test
  void unsupportedGrantTypeIsInvalidTokenRequest() {
    server.enqueue(json(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Unsupported grant_type\"}"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertEquals("unsupported_grant_type", e.errorCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void invalidRequestIsInvalidTokenRequest() {
    server.enqueue(json(400,
        "{\"error\":\"invalid_request\",\"error_description\":\"Missing form parameter: grant_type\"}"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertEquals("invalid_request", e.errorCode());
  }

  @Test
  void unknownRealmIsInvalidTokenRequest() {
    server.enqueue(json(404, "{\"error\":\"Realm does not exist\"}"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().startsWith("vyopta token endpoint was not found (check the base URL and the path prefix"),
        e.getMessage());
  }

  @Test
  void aWrongPathPrefixSaysTheEndpointWasNotFoundAndWhatToCheck() {
    // Current Keycloak serves realms/ at the root; the default "auth/" prefix then finds nothing.
    server.enqueue(new MockResponse().setResponseCode(404).setHeader("Content-Type", "text/html")
        .setBody("<html><body>Resource not found</body></html>"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(
        "vyopta token endpoint was not found (check the base URL and the path prefix: pathPrefix(\"auth/\") by"
            + " default, as Vyopta and Keycloak before 17 serve it, pathPrefix(\"\") for current Keycloak, which"
            + " serves realms/ at the root; and check the realm): HTTP 404 from POST " + server.url(TOKEN_PATH),
        e.getMessage());
  }

  @Test
  void serverErrorIsRetryableTokenServiceException() {
    server.enqueue(json(500, "{\"error\":\"unknown_error\"}"));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertEquals(500, e.statusCode());
    assertEquals("unknown_error", e.errorCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void unavailableServiceCarriesRetryAfter() {
    server.enqueue(json(503, "{\"error\":\"temporarily_unavailable\"}").setHeader("Retry-After", "7"));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertEquals(503, e.statusCode());
    assertEquals(Duration.ofSeconds(7), e.retryAfter());
  }

  @Test
  void tooManyRequestsIsRetryableTokenServiceException() {
    server.enqueue(json(429, ""));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertEquals(429, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void garbageErrorBodyStillGivesTheStatusBasedException() {
    server.enqueue(json(400, "<html><body>Bad Request</body></html>").setHeader("Content-Type", "text/html"));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(400, e.statusCode());
    assertNull(e.errorCode());
  }

  @Test
  void garbageUnauthorizedBodyIsCredentialsRejected() {
    server.enqueue(json(401, "{\"error\": [1, 2"));

    CredentialsRejectedException e = fetchFails(CredentialsRejectedException.class, builder().build());

    assertEquals(401, e.statusCode());
    assertNull(e.errorCode());
  }

  @Test
  void garbageGatewayErrorIsTokenServiceException() {
    server.enqueue(json(502, "<html>Bad Gateway</html>"));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertEquals(502, e.statusCode());
  }

  @Test
  void passwordEchoedInErrorDescriptionIsScrubbed() {
    server.enqueue(json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad value " + PASSWORD + "\"}"));

    fetchFails(InvalidTokenRequestException.class, builder().build());
  }

  @Test
  void redirectIsNotFollowed() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));

    InvalidTokenRequestException e = fetchFails(InvalidTokenRequestException.class, builder().build());

    assertEquals(302, e.statusCode());
    assertEquals(1, server.getRequestCount());
  }

  // --- unusable answers and no answer ---

  @Test
  void missingAccessTokenIsMalformed() {
    server.enqueue(json(200, "{\"expires_in\":300,\"token_type\":\"bearer\"}"));

    MalformedTokenResponseException e = fetchFails(MalformedTokenResponseException.class, builder().build());

    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
  }

  @Test
  void blankAccessTokenIsMalformed() {
    server.enqueue(json(200, "{\"access_token\":\"  \",\"expires_in\":300,\"token_type\":\"bearer\"}"));

    fetchFails(MalformedTokenResponseException.class, builder().build());
  }

  @Test
  void unparseableBodyIsMalformed() {
    server.enqueue(json(200, "<html>Welcome</html>"));

    fetchFails(MalformedTokenResponseException.class, builder().build());
  }

  @Test
  void truncatedBodyIsMalformed() {
    server.enqueue(json(200, "{\"access_token\":\"eyJh"));

    fetchFails(MalformedTokenResponseException.class, builder().build());
  }

  @Test
  void emptyBodyIsMalformed() {
    server.enqueue(json(200, ""));

    fetchFails(MalformedTokenResponseException.class, builder().build());
  }

  @Test
  void connectionFailureIsRetryableTokenServiceException() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertEquals(TokenException.NO_STATUS, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void disconnectDuringBodyIsRetryableTokenServiceException() {
    server.enqueue(json(200, docSampleUnchecked()).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    TokenServiceException e = fetchFails(TokenServiceException.class, builder().build());

    assertTrue(e.isRetryable());
  }

  private static String docSampleUnchecked() {
    try {
      return docSample();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // --- printing ---

  @Test
  void toStringShowsNoPassword() {
    VyoptaTokenSource source = builder().scope("openid").build();

    SecretScanner.assertNoSecret(source, PASSWORD);
    assertTrue(source.toString().contains("/auth/realms/vyopta/protocol/openid-connect/token"), source.toString());
  }
}
