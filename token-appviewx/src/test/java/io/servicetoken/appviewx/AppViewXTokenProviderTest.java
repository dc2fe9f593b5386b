package io.servicetoken.appviewx;

import static io.servicetoken.appviewx.Fixtures.CLIENT_ID;
import static io.servicetoken.appviewx.Fixtures.CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source behind core's {@link TokenProvider} and {@link AuthorizationInterceptor}, against {@link FakeAppViewX}. */
class AppViewXTokenProviderTest {
  @RegisterExtension final FakeAppViewX avx = FakeAppViewX.accepting(CLIENT_ID, CLIENT_SECRET);

  private final MockWebServer api = new MockWebServer();
  private TokenProvider provider;

  @BeforeEach
  void setUp() throws IOException {
    api.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (provider != null) provider.close();
    api.shutdown();
  }

  @Test
  void appRequestsCarryTheTokenAsBearer() throws Exception {
    provider = TokenProvider.create(Fixtures.source(avx.baseUrl().toString()).build());
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(AuthorizationInterceptor.of(provider))
        .callTimeout(10, TimeUnit.SECONDS)
        .build();
    api.enqueue(new MockResponse().setBody("ok"));

    try (Response response = client.newCall(new Request.Builder().url(api.url("/devices")).build()).execute()) {
      assertEquals(200, response.code());
    }

    RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request);
    assertEquals("Bearer " + avx.lastIssuedToken(), request.getHeader("Authorization"));
    assertEquals(1, avx.requestCount());
  }

  @Test
  void wrongSecretIsRequestedOnceForTenTokenCalls() {
    provider = TokenProvider.create(
        AppViewXTokenSource.builder().baseUrl(avx.baseUrl().toString())
            .clientId(CLIENT_ID).clientSecret("not-the-secret").build());

    for (int i = 0; i < 10; i++) {
      CredentialsRejectedException e = assertThrows(CredentialsRejectedException.class,
          () -> provider.token().timeout(10, TimeUnit.SECONDS).blockingGet());
      assertEquals("OAUTH_CLNT_015", e.errorCode());
      SecretScanner.assertNoSecret(e, "not-the-secret", CLIENT_SECRET);
    }

    assertEquals(1, avx.requestCount());
  }
}
