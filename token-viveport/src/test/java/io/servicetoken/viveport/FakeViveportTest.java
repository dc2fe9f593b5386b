package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_ID;
import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static io.servicetoken.viveport.TestSupport.fetch;
import static io.servicetoken.viveport.TestSupport.fetchError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The module against its fake, so that neither can drift from the other (or from the doc). */
class FakeViveportTest {
  @RegisterExtension final FakeViveport fake = FakeViveport.accepting(APP_ID, APP_SECRET);

  private ViveportTokenSource source(String appId, String appSecret) {
    return ViveportTokenSource.builder().baseUrl(fake.baseUrl().toString()).appId(appId).appSecret(appSecret).build();
  }

  private int status(String pathAndQuery) throws IOException {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    Request request = new Request.Builder().url(fake.baseUrl().resolve(pathAndQuery)).build();
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }

  @Test
  void fakeIssuesTheTokenTheSourceReturns() {
    Instant before = Instant.now();
    Token token = fetch(source(APP_ID, APP_SECRET));

    assertEquals(fake.lastIssuedToken(), token.value());
    assertEquals("Bearer", token.type());
    assertEquals(1, fake.tokensIssued());
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofMinutes(59)) > 0 && lifetime.compareTo(Duration.ofHours(1)) <= 0, lifetime::toString);
    assertFalse(token.expiresAt().isBefore(before.plus(Duration.ofMinutes(59))));
  }

  @Test
  void fakeSeesTheDocumentedRequest() {
    fetch(source(APP_ID, APP_SECRET));

    RecordedRequest request = fake.takeRequest();
    assertEquals("GET", request.getMethod());
    assertEquals(FakeViveport.PATH, request.getRequestUrl().encodedPath());
    assertEquals("application/json", request.getHeader("Accept"));
  }

  @Test
  void fakeDefaultLifetimeIsOneHour() {
    assertEquals(Duration.ofHours(1), fake.tokenLifetime());
  }

  @Test
  void fakeTokenLifetimeIsHonoured() {
    fake.tokenLifetime(Duration.ofMinutes(5));

    Token token = fetch(source(APP_ID, APP_SECRET));

    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofMinutes(4)) > 0 && lifetime.compareTo(Duration.ofMinutes(5)) <= 0, lifetime::toString);
  }

  @Test
  void serverClockTenMinutesBehindStillGivesAboutOneHour() {
    fake.serverClockOffset(Duration.ofMinutes(-10));

    Token token = fetch(source(APP_ID, APP_SECRET));

    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    assertTrue(lifetime.compareTo(Duration.ofMinutes(59)) > 0 && lifetime.compareTo(Duration.ofMinutes(61)) < 0, lifetime::toString);
  }

  @Test
  void wrongSecretIsForbidden() {
    CredentialsRejectedException e =
        fetchError(CredentialsRejectedException.class, source(APP_ID, "not-the-secret"));

    assertEquals(403, e.statusCode());
    assertEquals("403", e.errorCode());
    assertTrue(e.getMessage().contains("Credentials are invalid"), e.getMessage());
    SecretScanner.assertNoSecret(e, "not-the-secret", APP_SECRET);
    assertEquals(0, fake.tokensIssued());
  }

  @Test
  void unknownAppIdIsForbidden() {
    CredentialsRejectedException e = fetchError(CredentialsRejectedException.class, source("OtherApp", APP_SECRET));

    assertEquals(403, e.statusCode());
    SecretScanner.assertNoSecret(e, APP_SECRET);
  }

  @Test
  void failNextIsARetryableServiceError() {
    fake.failNext(1);

    TokenServiceException e = fetchError(TokenServiceException.class, source(APP_ID, APP_SECRET));

    assertEquals(503, e.statusCode());
    assertTrue(e.isRetryable());
    SecretScanner.assertNoSecret(e, APP_SECRET);
    fetch(source(APP_ID, APP_SECRET));
    assertEquals(1, fake.tokensIssued());
  }

  @Test
  void failNextWithTheDocumented500IsADbException() {
    fake.failNext(1, 500);

    TokenServiceException e = fetchError(TokenServiceException.class, source(APP_ID, APP_SECRET));

    assertEquals(500, e.statusCode());
    assertTrue(e.getMessage().contains("DB exception"), e.getMessage());
  }

  @Test
  void failNextWith400IsAnInvalidRequest() {
    fake.failNext(1, 400);

    InvalidTokenRequestException e = fetchError(InvalidTokenRequestException.class, source(APP_ID, APP_SECRET));

    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("Invalid payload"), e.getMessage());
  }

  @Test
  void malformedNextIsMalformed() {
    fake.malformedNext(1);

    fetchError(MalformedTokenResponseException.class, source(APP_ID, APP_SECRET));
  }

  @Test
  void fakeAnswersMissingParametersWith400() throws IOException {
    assertEquals(400, status("api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=" + APP_ID));
    assertEquals(400, status("api/thirdpartygatewayservice/v1/monitor/servicetoken?appSecret=" + APP_SECRET));
    assertEquals(400, status("api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=&appSecret=x"));
  }

  @Test
  void fakeAnswersOtherPathsWith404() throws IOException {
    assertEquals(404, status("api/servicetoken?appId=" + APP_ID + "&appSecret=" + APP_SECRET));
  }

  @Test
  void fakeToStringShowsNoSecret() {
    SecretScanner.assertNoSecret(fake, APP_SECRET);
  }
}
