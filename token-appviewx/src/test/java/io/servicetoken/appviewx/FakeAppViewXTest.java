package io.servicetoken.appviewx;

import static io.servicetoken.appviewx.Fixtures.CLIENT_ID;
import static io.servicetoken.appviewx.Fixtures.CLIENT_SECRET;
import static io.servicetoken.appviewx.Fixtures.fetch;
import static io.servicetoken.appviewx.Fixtures.fetchFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.SecretScanner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AppViewXTokenSource} against {@link FakeAppViewX}: keeps the fake and the module from drifting apart. */
class FakeAppViewXTest {
  @RegisterExtension final FakeAppViewX avx = FakeAppViewX.accepting(CLIENT_ID, CLIENT_SECRET);

  private AppViewXTokenSource source() {
    return Fixtures.source(avx.baseUrl().toString()).build();
  }

  private static void assertLifetime(Token token, Duration expected) {
    Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
    // The JWT and the Date header have whole seconds only.
    assertTrue(lifetime.compareTo(expected.minusSeconds(2)) >= 0 && lifetime.compareTo(expected.plusSeconds(1)) <= 0,
        lifetime.toString());
  }

  @Test
  void issuesTheTokenItAnswered() {
    Token token = fetch(source());
    assertEquals(avx.lastIssuedToken(), token.value());
    assertEquals(1, avx.tokensIssued());
  }

  @Test
  void issuedTokensLiveFifteenMinutesByDefault() {
    assertLifetime(fetch(source()), Duration.ofMinutes(15));
  }

  @Test
  void configuredTokenLifetimeIsHonoured() {
    avx.tokenLifetime(Duration.ofMinutes(5));
    assertLifetime(fetch(source()), Duration.ofMinutes(5));
  }

  @Test
  void serverClockSkewIsCorrected() {
    avx.serverClockOffset(Duration.ofHours(-2));
    assertLifetime(fetch(source()), Duration.ofMinutes(15));
  }

  @Test
  void wrongSecretIsRefusedWithOauthClnt015() {
    AppViewXTokenSource wrong = AppViewXTokenSource.builder().baseUrl(avx.baseUrl().toString())
        .clientId(CLIENT_ID).clientSecret("wrong-secret").build();
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, wrong);
    assertEquals(400, e.statusCode());
    assertEquals("OAUTH_CLNT_015", e.errorCode());
    SecretScanner.assertNoSecret(e, "wrong-secret");
  }

  @Test
  void unknownClientIsRefusedWithAcctSa003() {
    AppViewXTokenSource unknown = AppViewXTokenSource.builder().baseUrl(avx.baseUrl().toString())
        .clientId("someone-else").clientSecret(CLIENT_SECRET).build();
    CredentialsRejectedException e = fetchFailure(CredentialsRejectedException.class, unknown);
    assertEquals(400, e.statusCode());
    assertEquals("ACCT_SA_003", e.errorCode());
  }

  @Test
  void malformedBasicHeaderIsRefusedWithAcctSa001() throws Exception {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(10, TimeUnit.SECONDS).build();
    Request request = new Request.Builder()
        .url(avx.baseUrl().resolve("avxapi/acctmgmt-get-service-token?gwsource=external"))
        .header("Authorization", "Basic not base64!")
        .post(new FormBody.Builder().add("grant_type", "client_credentials").build())
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertEquals(400, response.code());
      String body = response.body().string();
      assertTrue(body.contains("\"appStatusCode\": \"ACCT_SA_001\""), body);
    }
  }

  @Test
  void failNextIsARetryableServiceFailureWithAvxCommon011() {
    avx.failNext(1);
    TokenServiceException e = fetchFailure(TokenServiceException.class, source());
    assertEquals(503, e.statusCode());
    assertEquals("avx-common-011", e.errorCode());
    assertTrue(e.isRetryable());
    assertNull(avx.lastIssuedToken());
    Token next = fetch(source()); // only the next request failed
    assertEquals(avx.lastIssuedToken(), next.value());
  }

  @Test
  void malformedNextIsMalformed() {
    avx.malformedNext(1);
    fetchFailure(MalformedTokenResponseException.class, source());
  }

  @Test
  void wrongGrantTypeIsAnInvalidRequest() {
    AppViewXTokenSource password = Fixtures.source(avx.baseUrl().toString()).grantType("password").build();
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, password);
    assertEquals(400, e.statusCode());
    assertNull(e.errorCode());
  }

  @Test
  void wrongPathIsAnInvalidRequest() {
    AppViewXTokenSource elsewhere = Fixtures.source(avx.baseUrl().resolve("/other/").toString()).build();
    InvalidTokenRequestException e = fetchFailure(InvalidTokenRequestException.class, elsewhere);
    assertEquals(404, e.statusCode());
  }

  @Test
  void fakeToStringShowsNoSecret() {
    String text = avx.toString();
    assertTrue(text.contains(CLIENT_ID), text);
    assertFalse(text.contains(CLIENT_SECRET), text);
  }
}
