package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import retrofit2.Response;
import retrofit2.http.GET;
import retrofit2.http.Query;

/** The shared transport against a real loopback server: client rules, body reading and error mapping. */
class TransportTest {
  private static final String SECRET = "s3cr3t-value-42";

  interface TestApi {
    @GET("token")
    Single<Response<TestBody>> token(@Query("secret") String secret);
  }

  static final class TestBody {
    @Nullable String token;
    @Nullable Long expire;
  }

  private final MockWebServer server = new MockWebServer();
  private final VendorErrors errors = new VendorErrors("test", SECRET);
  private TestApi api;

  @BeforeEach
  void setUp() throws Exception {
    server.start();
    api = api(null);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdown();
  }

  private TestApi api(@Nullable OkHttpClient appClient) {
    return VendorRetrofit.create(
            BaseUrls.parse(server.url("/").toString(), false),
            TokenHttpClient.create(appClient, "token-test"),
            new Moshi.Builder().build(),
            null)
        .create(TestApi.class);
  }

  private Response<TestBody> call() {
    return api.token(SECRET).blockingGet();
  }

  private TokenException failure() {
    try {
      Response<TestBody> response = call();
      return errors.httpError(response, null, null);
    } catch (RuntimeException e) {
      return errors.fromThrowable(e.getCause() != null && !(e instanceof UnreadableBodyException) ? e.getCause() : e);
    }
  }

  @Test
  void requestsCarryTheUserAgentAndRunOnTheCallingThread() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"token\":\"abc\"}"));
    String thread = Thread.currentThread().getName();
    String[] seen = new String[1];
    api.token(SECRET).doOnSuccess(r -> seen[0] = Thread.currentThread().getName()).blockingGet();
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(request.getHeader("User-Agent").matches("servicetoken/\\S+ token-test"), request.getHeader("User-Agent"));
    assertEquals(thread, seen[0]);
  }

  @Test
  void aHugeErrorBodyIsCutAt64KibibytesInsteadOfBeingHeldInMemory() {
    char[] tenMegabytes = new char[10 * 1024 * 1024];
    java.util.Arrays.fill(tenMegabytes, 'x');
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"message\": \"" + new String(tenMegabytes) + "\"}"));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    Response<TestBody> response = call();
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertEquals(500, response.code());
    assertEquals(TokenHttpClient.MAX_ERROR_BODY_BYTES, response.errorBody().contentLength());
    assertTrue(allocated < 4 * 1024 * 1024, "allocated " + allocated + " bytes for a 10 MB error body");
    assertInstanceOf(TokenServiceException.class, errors.httpError(response, null, null));
  }

  @Test
  void aShortErrorBodyIsPassedOnWhole() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\": \"invalid_request\"}"));
    Response<TestBody> response = call();
    assertEquals("{\"error\": \"invalid_request\"}", response.errorBody().string());
  }

  @Test
  void defaultTimeoutsAreTenFifteenThirtySeconds() {
    OkHttpClient client = TokenHttpClient.create(null, "token-test");
    assertEquals(10_000, client.connectTimeoutMillis());
    assertEquals(15_000, client.readTimeoutMillis());
    assertEquals(30_000, client.callTimeoutMillis());
    assertFalse(client.followRedirects());
    assertFalse(client.followSslRedirects());
  }

  @Test
  void anAppClientKeepsItsTimeoutsButGetsABoundedCallTimeout() {
    OkHttpClient app = new OkHttpClient.Builder().readTimeout(3, TimeUnit.SECONDS).build();
    OkHttpClient client = TokenHttpClient.create(app, "token-test");
    assertEquals(3_000, client.readTimeoutMillis());
    assertEquals(30_000, client.callTimeoutMillis());
    assertEquals(app.dispatcher(), client.dispatcher());
  }

  @Test
  void theAppsAuthorizationInterceptorIsRemovedFromTheTokenClient() throws Exception {
    TokenProvider provider = TokenProvider.create(() -> Single.error(new AssertionError("must not be asked")));
    OkHttpClient app = new OkHttpClient.Builder()
        .addInterceptor(AuthorizationInterceptor.of(provider))
        .addNetworkInterceptor(AuthorizationInterceptor.of(provider))
        .build();
    server.enqueue(new MockResponse().setBody("{\"token\":\"abc\"}"));
    api(app).token(SECRET).blockingGet();
    assertNull(server.takeRequest(5, TimeUnit.SECONDS).getHeader("Authorization"));
    provider.close();
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    MockWebServer elsewhere = new MockWebServer();
    elsewhere.start();
    try {
      server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", elsewhere.url("/steal")));
      TokenException e = failure();
      assertInstanceOf(InvalidTokenRequestException.class, e);
      assertEquals(302, e.statusCode());
      assertEquals(0, elsewhere.getRequestCount());
    } finally {
      elsewhere.shutdown();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "400, InvalidTokenRequestException, false",
    "401, CredentialsRejectedException, false",
    "403, CredentialsRejectedException, false",
    "404, InvalidTokenRequestException, false",
    "408, TokenServiceException, true",
    "429, TokenServiceException, true",
    "500, TokenServiceException, true",
    "503, TokenServiceException, true",
  })
  void statusesMapToTheExceptionFamily(int status, String type, boolean retryable) {
    server.enqueue(new MockResponse().setResponseCode(status).setBody("{\"message\":\"no\"}"));
    // OkHttp itself repeats a request once after a 408; the second answer is the one that counts.
    if (status == 408) server.enqueue(new MockResponse().setResponseCode(status));
    TokenException e = failure();
    assertEquals(type, e.getClass().getSimpleName());
    assertEquals(retryable, e.isRetryable());
    assertEquals(status, e.statusCode());
    assertEquals("test", e.vendor());
  }

  @Test
  void aCredentialCodeInA400MeansCredentialsRejected() {
    server.enqueue(new MockResponse().setResponseCode(400));
    Response<TestBody> response = call();
    TokenException e = errors.httpError(response, "OAUTH_CLNT_015", "Client Password is incorrect");
    assertInstanceOf(CredentialsRejectedException.class, e);
    assertEquals("OAUTH_CLNT_015", e.errorCode());
    assertTrue(e.getMessage().contains("Client Password is incorrect"));
  }

  @Test
  void errorMessagesRedactTheUrlAndScrubEchoedSecrets() {
    server.enqueue(new MockResponse().setResponseCode(403));
    Response<TestBody> response = call();
    TokenException e = errors.httpError(response, null, "secret " + SECRET + " is wrong");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertTrue(e.getMessage().contains("GET http://"), e.getMessage());
    assertTrue(e.getMessage().contains("/token?secret=***"), e.getMessage());
  }

  @Test
  void retryAfterSecondsAndDatesAreRead() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
    assertEquals(Duration.ofSeconds(7), ((TokenServiceException) failure()).retryAfter());

    server.enqueue(new MockResponse().setResponseCode(503)
        .setHeader("Date", "Sun, 22 Nov 2026 12:00:00 GMT")
        .setHeader("Retry-After", "Sun, 22 Nov 2026 12:02:00 GMT"));
    assertEquals(Duration.ofMinutes(2), ((TokenServiceException) failure()).retryAfter());

    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "999999"));
    assertEquals(Duration.ofHours(1), ((TokenServiceException) failure()).retryAfter());

    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "soon"));
    assertNull(((TokenServiceException) failure()).retryAfter());
  }

  @Test
  void truncatedJsonIsMalformed() {
    server.enqueue(new MockResponse().setBody("{\"token\": \"ab"));
    assertInstanceOf(MalformedTokenResponseException.class, failure());
  }

  @Test
  void emptyBodyIsMalformed() {
    server.enqueue(new MockResponse().setBody(""));
    assertInstanceOf(MalformedTokenResponseException.class, failure());
  }

  @Test
  void htmlIsMalformed() {
    server.enqueue(new MockResponse().setBody("<html><body>Gateway</body></html>"));
    assertInstanceOf(MalformedTokenResponseException.class, failure());
  }

  @Test
  void aBodyOverOneMebibyteIsRefused() {
    Buffer big = new Buffer();
    big.writeUtf8("{\"token\":\"");
    for (int i = 0; i < 2 * 1024 * 1024; i++) big.writeByte('a');
    big.writeUtf8("\"}");
    server.enqueue(new MockResponse().setBody(big));
    TokenException e = failure();
    assertInstanceOf(MalformedTokenResponseException.class, e);
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  @Test
  void aConnectionDroppedBeforeTheResponseIsRetryable() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    TokenException e = failure();
    assertInstanceOf(TokenServiceException.class, e);
    assertEquals(TokenException.NO_STATUS, e.statusCode());
  }

  @Test
  void aConnectionDroppedInTheMiddleOfTheBodyIsRetryable() {
    server.enqueue(new MockResponse().setBody("{\"token\":\"abcdefghijklmnop\"}")
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    TokenException e = failure();
    assertInstanceOf(TokenServiceException.class, e);
  }

  @Test
  void aTokenIsBuiltWithTheResolvedExpiry() {
    server.enqueue(new MockResponse().setBody("{\"token\":\"abc\"}").setHeader("Date", "Sun, 22 Nov 2026 12:00:00 GMT"));
    Response<TestBody> response = call();
    String value = errors.requireToken(response, response.body().token, "token");
    Token token = errors.token(response, value, null, errors.expiry(response).expiresIn(60L));
    assertEquals(Duration.ofSeconds(60), Duration.between(token.receivedAt(), token.expiresAt()));
    assertTrue(token.receivedAt().isAfter(Instant.now().minusSeconds(60)));
  }

  @Test
  void aMissingOrBlankTokenIsMalformed() {
    server.enqueue(new MockResponse().setBody("{\"token\":\"  \"}"));
    Response<TestBody> response = call();
    MalformedTokenResponseException blank =
        org.junit.jupiter.api.Assertions.assertThrows(
            MalformedTokenResponseException.class, () -> errors.requireToken(response, response.body().token, "token"));
    assertEquals("test token response is malformed: token is blank", blank.getMessage());
    MalformedTokenResponseException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            MalformedTokenResponseException.class, () -> errors.requireToken(response, null, "token"));
    assertTrue(missing.getMessage().contains("no token in the response"));
  }

  @Test
  void errorBodyTextIsTheWholeSmallErrorBody() {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"invalid_request\"}"));
    assertEquals("{\"error\":\"invalid_request\"}", VendorErrors.errorBodyText(call()));
  }

  @Test
  void errorBodyTextIsEmptyWithoutABodyOrBeyondTheLimit() {
    server.enqueue(new MockResponse().setResponseCode(503));
    assertEquals("", VendorErrors.errorBodyText(call()));

    StringBuilder page = new StringBuilder("{\"message\":\"");
    for (int i = 0; i < VendorErrors.MAX_ERROR_BODY_BYTES; i++) page.append('x');
    server.enqueue(new MockResponse().setResponseCode(500).setBody(page.append("\"}").toString()));
    assertEquals("", VendorErrors.errorBodyText(call()));
  }

  @Test
  void anErrorCodeThatEchoesTheSecretIsScrubbedInErrorCodeToo() {
    server.enqueue(new MockResponse().setResponseCode(400));
    Response<TestBody> response = call();
    TokenException e = errors.httpError(response, "bad_secret:" + SECRET, "no");
    assertEquals("bad_secret:██", e.errorCode());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    TokenException refusal = errors.refusal(response, SECRET.toUpperCase(java.util.Locale.ROOT) + "/" + SECRET, null);
    assertTrue(refusal.errorCode().endsWith("/██"), refusal.errorCode());
  }

  @Test
  void errorCodesAndMessagesAreCappedAndFreeOfControlCharacters() {
    server.enqueue(new MockResponse().setResponseCode(500));
    Response<TestBody> response = call();
    String forged = "oops\r\n2026-11-22 INFO token ok\u001b[31m\u0085";
    TokenException e = errors.httpError(response, forged + "x".repeat(500), forged + "y".repeat(900_000));
    assertTrue(e.errorCode().length() <= Redaction.MAX_ERROR_CODE, "code length " + e.errorCode().length());
    assertTrue(e.getMessage().length() <= Redaction.MAX_MESSAGE, "message length " + e.getMessage().length());
    for (String exposed : new String[] {e.getMessage(), e.errorCode(), e.toString()}) {
      assertTrue(exposed.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), exposed);
    }
    assertTrue(e.errorCode().startsWith("oops\\r\\n2026-11-22 INFO token ok\\u001B[31m\\u0085"), e.errorCode());
  }

  @Test
  void aSecretStraddlingTheDetailCutLeavesNoRunOfSixCharacters() {
    for (int offset = 280; offset <= 300; offset++) {
      server.enqueue(new MockResponse().setResponseCode(400));
      Response<TestBody> response = call();
      TokenException e = errors.httpError(response, null, "x".repeat(offset) + SECRET + " tail");
      RedactionTest.assertNoRun(e.getMessage(), SECRET, 6);
    }
  }

  @Test
  void aParserMessageNeverQuotesTheIssuedTokenOrAHugeField() {
    // Short enough to reach Moshi's own "Expected a long but was <value>", and a full-size one.
    for (String issued : new String[] {"opaque-Tk7Qm2xWv9-8dk2Lr", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl"}) {
      server.enqueue(new MockResponse().setBody("{\"token\": \"x\", \"expire\": \"" + issued + "\"}"));
      TokenException e = failure();
      assertInstanceOf(MalformedTokenResponseException.class, e);
      assertTrue(e.getMessage().contains(" at path $.expire"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        RedactionTest.assertNoRun(t.toString(), issued, 7);
        for (Throwable s : t.getSuppressed()) RedactionTest.assertNoRun(s.toString(), issued, 7);
      }
    }

    char[] huge = new char[900 * 1024];
    java.util.Arrays.fill(huge, 'z');
    server.enqueue(new MockResponse().setBody("{\"token\": \"x\", \"expire\": \"" + new String(huge) + "\"}"));
    TokenException big = failure();
    for (Throwable t = big; t != null; t = t.getCause()) {
      assertTrue(t.toString().length() <= Redaction.MAX_MESSAGE + 100, "length " + t.toString().length());
    }
  }

  @Test
  void aNumberOf900KilobytesOfDigitsIsRefusedBeforeMoshiSpendsSecondsOnIt() {
    char[] digits = new char[900 * 1024];
    java.util.Arrays.fill(digits, '8');
    digits[0] = '9';
    for (String value : new String[] {new String(digits), "\"" + new String(digits) + "\""}) {
      server.enqueue(new MockResponse().setBody("{\"token\": \"x\", \"expire\": " + value + "}"));
      long start = System.nanoTime();
      TokenException e = failure();
      long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(MalformedTokenResponseException.class, e);
      assertTrue(e.getMessage().contains("Expected a number of at most 40 characters at path $.expire"), e.getMessage());
      assertTrue(millis < 2_000, "took " + millis + " ms");
    }
  }

  @Test
  void numbersAsMoshiReadsThemStillParse() {
    for (String expire : new String[] {"1525334677", "\"1525334677\"", "1525334677.0", "1.525334677E9"}) {
      server.enqueue(new MockResponse().setBody("{\"token\": \"x\", \"expire\": " + expire + "}"));
      assertEquals(1525334677L, call().body().expire, expire);
    }
  }

  @Test
  void suppressedExceptionsOfACauseAreScrubbed() {
    java.io.IOException failure = new java.io.IOException("all routes failed");
    failure.addSuppressed(new java.net.ConnectException("to http://h/token?secret=" + SECRET + " refused"));
    TokenException e = errors.fromThrowable(failure);
    Throwable cause = e.getCause();
    assertEquals(1, cause.getSuppressed().length);
    assertFalse(cause.getSuppressed()[0].getMessage().contains(SECRET), cause.getSuppressed()[0].getMessage());
    assertTrue(cause.getSuppressed()[0].getMessage().contains("secret=██"), cause.getSuppressed()[0].getMessage());
  }

  @Test
  void aTokenOrTypeOkHttpWouldRefuseIsAMalformedResponseThatDoesNotShowIt() {
    server.enqueue(new MockResponse().setBody("{\"token\":\"x\"}"));
    Response<TestBody> response = call();
    for (String[] bad : new String[][] {{"tok\r\nen-4711", null}, {"t\u00f6ken-4711", null}, {"token-4711", "Bea\trer"}}) {
      MalformedTokenResponseException e = org.junit.jupiter.api.Assertions.assertThrows(
          MalformedTokenResponseException.class,
          () -> errors.token(response, bad[0], bad[1], errors.expiry(response).expiresIn(60L)));
      assertTrue(e.getMessage().contains("not printable ASCII"), e.getMessage());
      assertFalse(e.getMessage().contains("4711"), e.getMessage());
    }
  }

  @Test
  void aTokenTypeRepeatingPartOfASecretIsMalformedWithoutShowingIt() {
    // Token.toString() prints the type whole; a server that puts (part of) the credentials there must not get them
    // logged. Found by VendorResponseFuzzTest: a Sportradar type built from the identity token's characters.
    server.enqueue(new MockResponse().setBody("{\"token\":\"x\"}"));
    Response<TestBody> response = call();
    String type = "Bearer" + SECRET.substring(2, 9);
    MalformedTokenResponseException e = org.junit.jupiter.api.Assertions.assertThrows(
        MalformedTokenResponseException.class,
        () -> errors.token(response, "token-4711", type, errors.expiry(response).expiresIn(60L)));
    assertTrue(e.getMessage().contains("token type repeats part of the credentials"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET.substring(2, 9)), e.getMessage());
    assertEquals("MAC",
        errors.token(response, "token-4711", "MAC", errors.expiry(response).expiresIn(60L)).type());
  }

  @ParameterizedTest
  @CsvSource({
    "503, 1000000000",
    "503, 99999999999",
    "503, 99999999999999999999",
    "429, 99999999999999999999",
    "408, 3000000000",
    "500, 1000000000",
  })
  void aRetryAfterOfTenOrMoreDigitsIsCappedAtOneHourLikeANineDigitOne(int status, String retryAfter) {
    server.enqueue(new MockResponse().setResponseCode(status).setHeader("Retry-After", retryAfter));
    // OkHttp itself repeats a 408 once when its Retry-After allows; the clamped one-hour delay does not.
    TokenException e = failure();
    TokenServiceException service = assertInstanceOf(TokenServiceException.class, e, () -> "got " + e);
    assertEquals(status, service.statusCode());
    assertEquals(Duration.ofHours(1), service.retryAfter());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void a404SaysTheEndpointWasNotFoundAndToCheckTheBaseUrl() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("Not Found"));
    TokenException e = failure();
    assertInstanceOf(InvalidTokenRequestException.class, e);
    assertTrue(e.getMessage().startsWith(
        "test token endpoint was not found (check the base URL, including any path prefix it needs): HTTP 404 from GET"),
        e.getMessage());

    server.enqueue(new MockResponse().setResponseCode(404));
    Response<TestBody> response = call();
    TokenException hinted = errors.notFoundHint("check the realm").httpError(response, null, null);
    assertTrue(hinted.getMessage().startsWith("test token endpoint was not found (check the realm): "), hinted.getMessage());
  }
}
