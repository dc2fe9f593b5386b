package io.servicetoken.singleview;

import static io.servicetoken.singleview.Fixtures.CLIENT_CODE;
import static io.servicetoken.singleview.Fixtures.CLIENT_ID;
import static io.servicetoken.singleview.Fixtures.MERCHANT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The module's source against its fake, so that the two cannot drift apart. */
class FakeSingleViewTest {
  private static final String WRONG_CODE = "wr0ng-Cc0de-4711";
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  @RegisterExtension final FakeSingleView singleView = FakeSingleView.accepting(CLIENT_ID, CLIENT_CODE, MERCHANT_ID);

  private final OkHttpClient raw = new OkHttpClient.Builder().callTimeout(10, TimeUnit.SECONDS).build();

  private SingleViewTokenSource.Builder builder() {
    return SingleViewTokenSource.builder()
        .baseUrl(singleView.baseUrl().toString())
        .clientId(CLIENT_ID)
        .clientCode(CLIENT_CODE)
        .merchantId(MERCHANT_ID);
  }

  private static Token fetch(SingleViewTokenSource source) {
    return source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  private static <T extends TokenException> T fetchFails(Class<T> type, SingleViewTokenSource source) {
    T failure = assertThrows(type, () -> fetch(source));
    SecretScanner.assertNoSecret(failure, CLIENT_CODE, WRONG_CODE);
    return failure;
  }

  private static Duration lifetime(Token token) {
    return Duration.between(token.receivedAt(), token.expiresAt());
  }

  @Test
  void sourceGetsTheTokenTheFakeIssued() {
    Token token = fetch(builder().build());

    assertEquals(singleView.lastIssuedToken(), token.value());
    assertEquals("Bearer", token.type());
    assertEquals(1, singleView.tokensIssued());
  }

  @Test
  void fakeTokensLiveTheDocumentedSixtyMinutesByDefault() {
    Duration lifetime = lifetime(fetch(builder().build()));

    // expires_in says 3600 s; the JWT's exp, corrected by a Date header of one-second resolution, may say 1 s less.
    assertTrue(lifetime.compareTo(Duration.ofSeconds(3599)) >= 0 && lifetime.compareTo(Duration.ofHours(1)) <= 0,
        lifetime.toString());
  }

  @Test
  void configuredLifetimeIsWhatTheSourceResolves() {
    singleView.tokenLifetime(Duration.ofMinutes(5));

    Duration lifetime = lifetime(fetch(builder().build()));

    assertTrue(lifetime.compareTo(Duration.ofSeconds(299)) >= 0 && lifetime.compareTo(Duration.ofMinutes(5)) <= 0,
        lifetime.toString());
  }

  @Test
  void serverClockTwoHoursAheadStillYieldsSixtyMinutesOnTheLocalClock() {
    singleView.serverClockOffset(Duration.ofHours(2));

    Duration lifetime = lifetime(fetch(builder().build()));

    assertTrue(lifetime.compareTo(Duration.ofSeconds(3598)) >= 0 && lifetime.compareTo(Duration.ofHours(1)) <= 0,
        lifetime.toString());
  }

  @Test
  void wrongClientCodeIsRejectedWithTheFakesMessage() {
    CredentialsRejectedException failure =
        fetchFails(CredentialsRejectedException.class, builder().clientCode(WRONG_CODE).build());

    assertEquals(401, failure.statusCode());
    assertTrue(failure.getMessage().contains("Invalid client credentials"), failure.getMessage());
    assertEquals(0, singleView.tokensIssued());
  }

  @Test
  void wrongMerchantIdIsRejected() {
    CredentialsRejectedException failure =
        fetchFails(CredentialsRejectedException.class, builder().merchantId("another-merchant").build());

    assertEquals(401, failure.statusCode());
  }

  @Test
  void unsupportedGrantTypeIsAnInvalidRequest() {
    InvalidTokenRequestException failure =
        fetchFails(InvalidTokenRequestException.class, builder().grantType("password").build());

    assertEquals(400, failure.statusCode());
  }

  @Test
  void grantTypeSpelledAsInTheFieldTableIsAccepted() {
    assertNotNull(fetch(builder().grantType("Client_Credentials").build()));
  }

  @Test
  void failNextIsARetryableServiceFailureAndThenTokensFlowAgain() {
    singleView.failNext(1);
    SingleViewTokenSource source = builder().build();

    TokenServiceException failure = fetchFails(TokenServiceException.class, source);
    assertEquals(503, failure.statusCode());
    assertTrue(failure.isRetryable());
    assertTrue(failure.getMessage().contains("Service temporarily unavailable"), failure.getMessage());

    Token token = fetch(source);
    assertEquals(singleView.lastIssuedToken(), token.value());
    assertEquals(2, singleView.requestCount());
  }

  @Test
  void failNextWithA500IsAServiceFailure() {
    singleView.failNext(1, 500);

    assertEquals(500, fetchFails(TokenServiceException.class, builder().build()).statusCode());
  }

  @Test
  void malformedNextIsAMalformedResponse() {
    singleView.malformedNext(1);

    assertEquals(200, fetchFails(MalformedTokenResponseException.class, builder().build()).statusCode());
  }

  @Test
  void fakeAnswersTheDocumentedSuccessShape() throws IOException {
    String body =
        "{\"clientId\":\"" + CLIENT_ID + "\",\"clientCode\":\"" + CLIENT_CODE + "\",\"merchantId\":\"" + MERCHANT_ID
            + "\",\"grantType\":\"client_Credentials\"}";

    Map<String, Object> answer = post(FakeSingleView.TOKEN_PATH, body, 200);

    assertEquals(Boolean.TRUE, answer.get("success"));
    @SuppressWarnings("unchecked")
    Map<String, Object> payload = (Map<String, Object>) answer.get("payload");
    assertEquals(singleView.lastIssuedToken(), payload.get("access_token"));
    assertEquals("Bearer", payload.get("token_type"));
    assertEquals(3600.0, payload.get("expires_in"));
  }

  @Test
  void fakeRefusesABodyWithoutTheMandatoryFields() throws IOException {
    Map<String, Object> answer = post(FakeSingleView.TOKEN_PATH, "{\"clientId\":\"" + CLIENT_ID + "\"}", 400);

    assertEquals(Boolean.FALSE, answer.get("success"));
  }

  @Test
  void fakeAnswersAnotherPathWith404() throws IOException {
    post("/v1/api/token", "{}", 404);
  }

  @Test
  void fakeAnswersAnotherMethodWith405() throws IOException {
    Request get = new Request.Builder().url(singleView.baseUrl().resolve(FakeSingleView.TOKEN_PATH)).build();
    try (Response response = raw.newCall(get).execute()) {
      assertEquals(405, response.code());
    }
  }

  @Test
  void fakeSeesTheDocumentedRequest() {
    fetch(builder().build());

    RecordedRequest request = singleView.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals(FakeSingleView.TOKEN_PATH, request.getPath());
  }

  @Test
  void fakeToStringShowsNoClientCode() {
    SecretScanner.assertNoSecret(singleView, CLIENT_CODE);
  }

  private Map<String, Object> post(String path, String json, int expectedStatus) throws IOException {
    Request request =
        new Request.Builder().url(singleView.baseUrl().resolve(path)).post(RequestBody.create(json, JSON)).build();
    try (Response response = raw.newCall(request).execute()) {
      assertEquals(expectedStatus, response.code());
      Map<String, Object> body =
          new Moshi.Builder().build().<Map<String, Object>>adapter(
              Types.newParameterizedType(Map.class, String.class, Object.class)).fromJson(response.body().string());
      if (body == null) throw new AssertionError("empty body");
      return body;
    }
  }
}
