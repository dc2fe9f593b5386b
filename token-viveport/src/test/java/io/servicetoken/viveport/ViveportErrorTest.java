package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static io.servicetoken.viveport.TestSupport.fetchError;
import static io.servicetoken.viveport.TestSupport.json;
import static io.servicetoken.viveport.TestSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.net.InetAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every documented status, and every way a response can be unusable, ends in the right typed exception. */
class ViveportErrorTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static void assertNoSecret(TokenException e) {
    SecretScanner.assertNoSecret(e, APP_SECRET, queryEncoded(APP_SECRET));
    assertEquals("viveport", e.vendor());
  }

  @Test
  void badRequestIsInvalidTokenRequest() {
    server.enqueue(json(400, "{\"code\": 400, \"message\": \"Invalid payload\"}"));

    InvalidTokenRequestException e = fetchError(InvalidTokenRequestException.class, source(server));

    assertEquals(400, e.statusCode());
    assertEquals("400", e.errorCode());
    assertFalse(e.isRetryable());
    assertTrue(e.getMessage().contains("Invalid payload"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void forbiddenIsCredentialsRejected() {
    server.enqueue(
        json(403, "{\"code\": 403, \"message\": \"Credentials are invalid or the appId does not exist\"}"));

    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source(server));

    assertEquals(403, e.statusCode());
    assertEquals("403", e.errorCode());
    assertFalse(e.isRetryable());
    assertNoSecret(e);
  }

  @Test
  void serverErrorIsRetryableTokenServiceException() {
    server.enqueue(json(500, "{\"message\": \"DB exception\"}"));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertEquals(500, e.statusCode());
    assertNull(e.errorCode());
    assertTrue(e.isRetryable());
    assertTrue(e.getMessage().contains("DB exception"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void serverErrorCarriesRetryAfter() {
    server.enqueue(json(500, "{}").setHeader("Retry-After", "7"));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertEquals(Duration.ofSeconds(7), e.retryAfter());
  }

  @Test
  void errorWithoutBodyIsClassifiedByStatus() {
    server.enqueue(new MockResponse().setResponseCode(403));

    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source(server));

    assertEquals(403, e.statusCode());
    assertNull(e.errorCode());
    assertNoSecret(e);
  }

  @Test
  void garbageErrorBodyIsClassifiedByStatus() {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("<html><body>Bad Request</body></html>"));

    InvalidTokenRequestException e = fetchError(InvalidTokenRequestException.class, source(server));

    assertEquals(400, e.statusCode());
    assertNull(e.errorCode());
    assertNoSecret(e);
  }

  @Test
  void errorBodyCutOffIsClassifiedByStatus() {
    server.enqueue(
        json(500, "{\"code\": \"DB_ERROR\", \"message\": \"DB exception and a long tail " + "x".repeat(4000) + "\"}")
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertTrue(e.isRetryable());
    assertNoSecret(e);
  }

  @Test
  void stringErrorCodeIsReported() {
    server.enqueue(json(403, "{\"errorCode\": \"APP_NOT_FOUND\", \"errorMessage\": \"no such app\"}"));

    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source(server));

    assertEquals("APP_NOT_FOUND", e.errorCode());
    assertTrue(e.getMessage().contains("no such app"), e.getMessage());
  }

  @Test
  void nestedErrorObjectIsRead() {
    server.enqueue(json(400, "{\"error\": {\"code\": \"E42\", \"message\": \"appId missing\"}}"));

    InvalidTokenRequestException e = fetchError(InvalidTokenRequestException.class, source(server));

    assertEquals("E42", e.errorCode());
    assertTrue(e.getMessage().contains("appId missing"), e.getMessage());
  }

  @Test
  void errorMessageEchoingTheSecretIsScrubbed() {
    server.enqueue(json(403, "{\"message\": \"appSecret " + APP_SECRET + " is wrong\"}"));

    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source(server));

    assertTrue(e.getMessage().contains("appSecret ██ is wrong"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void printedUrlHasItsQueryValuesRedacted() {
    server.enqueue(new MockResponse().setResponseCode(403));

    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source(server));

    // Core's Redaction.url masks every query value (today as "██", percent-encoded by HttpUrl).
    Matcher url =
        Pattern.compile("GET (\\S+)/api/thirdpartygatewayservice/v1/monitor/servicetoken\\?appId=([^&\\s]+)&appSecret=(\\S+)")
            .matcher(e.getMessage());
    assertTrue(url.find(), e.getMessage());
    assertFalse(url.group(2).contains(TestSupport.APP_ID), e.getMessage());
    assertFalse(url.group(3).isEmpty());
    assertNoSecret(e);
  }

  @Test
  void redirectIsNotFollowed() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));

    InvalidTokenRequestException e = fetchError(InvalidTokenRequestException.class, source(server));

    assertEquals(302, e.statusCode());
    assertEquals(1, server.getRequestCount());
    assertNoSecret(e);
  }

  @Test
  void tooManyRequestsIsRetryable() {
    server.enqueue(json(429, "{}"));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertEquals(429, e.statusCode());
    assertTrue(e.isRetryable());
  }

  @Test
  void missingServiceTokenIsMalformed() {
    server.enqueue(json(200, "{\"expire\": 1525334677}"));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
    assertTrue(e.getMessage().contains("serviceToken"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void nullServiceTokenIsMalformed() {
    server.enqueue(json(200, "{\"serviceToken\": null, \"expire\": 1525334677}"));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertTrue(e.getMessage().contains("serviceToken"), e.getMessage());
  }

  @Test
  void blankServiceTokenIsMalformed() {
    server.enqueue(json(200, "{\"serviceToken\": \"  \", \"expire\": 1525334677}"));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertTrue(e.getMessage().contains("blank"), e.getMessage());
  }

  @Test
  void unparseableBodyIsMalformed() {
    server.enqueue(json(200, "<html>maintenance</html>"));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
    assertNoSecret(e);
  }

  @Test
  void truncatedJsonIsMalformed() {
    server.enqueue(json(200, "{\"serviceToken\": \"abc"));

    fetchError(MalformedTokenResponseException.class, source(server));
  }

  @Test
  void emptySuccessBodyIsMalformed() {
    server.enqueue(json(200, ""));

    fetchError(MalformedTokenResponseException.class, source(server));
  }

  @Test
  void noContentIsMalformed() {
    server.enqueue(new MockResponse().setResponseCode(204));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertEquals(204, e.statusCode());
  }

  @Test
  void connectionDroppedAtStartIsRetryableWithoutStatus() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertEquals(TokenException.NO_STATUS, e.statusCode());
    assertTrue(e.isRetryable());
    assertNoSecret(e);
  }

  @Test
  void connectionDroppedMidBodyIsRetryable() {
    server.enqueue(
        json(200, "{\"serviceToken\": \"" + "a".repeat(64 * 1024) + "\", \"expire\": 1525334677}")
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    TokenServiceException e = fetchError(TokenServiceException.class, source(server));

    assertTrue(e.isRetryable());
    assertNoSecret(e);
  }

  @Test
  void connectionRefusedIsRetryable() throws IOException {
    ViveportTokenSource source = source(server);
    server.shutdown();

    TokenServiceException e = fetchError(TokenServiceException.class, source);

    assertEquals(TokenException.NO_STATUS, e.statusCode());
    assertNoSecret(e);
  }

  @Test
  void readTimeoutIsRetryable() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    ViveportTokenSource source =
        ViveportTokenSource.builder()
            .baseUrl(server.url("/").toString())
            .appId(TestSupport.APP_ID)
            .appSecret(APP_SECRET)
            .client(new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build())
            .build();

    TokenServiceException e = fetchError(TokenServiceException.class, source);

    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void anAppInterceptorThatWouldPrintTheUrlNeverSeesTheTokenRequest() {
    // An app interceptor (or proxy library) that puts the request URL, secret and all, in an IOException: token
    // requests leave every app interceptor out, so it never runs and the fetch succeeds.
    String secret = "s3cr+t/with=reserved&chars";
    List<String> seen = new ArrayList<>();
    server.enqueue(TestSupport.sampleResponse());
    ViveportTokenSource source =
        ViveportTokenSource.builder()
            .baseUrl(server.url("/").toString())
            .appId(TestSupport.APP_ID)
            .appSecret(secret)
            .client(
                new OkHttpClient.Builder()
                    .addInterceptor(
                        chain -> {
                          seen.add(chain.request().url().toString());
                          throw new IOException("proxy refused " + chain.request().url());
                        })
                    .build())
            .build();

    assertEquals(TestSupport.SAMPLE_TOKEN, TestSupport.fetch(source).value());
    assertEquals(List.of(), seen);
  }

  /** {@code value} as Retrofit's {@code @Query} puts it on the wire. */
  private static String queryEncoded(String value) {
    return okhttp3.HttpUrl.get("https://example.com/").newBuilder().addQueryParameter("q", value).build()
        .encodedQuery().substring("q=".length());
  }
}
