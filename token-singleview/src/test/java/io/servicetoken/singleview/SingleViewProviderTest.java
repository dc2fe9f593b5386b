package io.servicetoken.singleview;

import static io.servicetoken.singleview.Fixtures.CLIENT_CODE;
import static io.servicetoken.singleview.Fixtures.CLIENT_ID;
import static io.servicetoken.singleview.Fixtures.MERCHANT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeSingleView;
import java.io.IOException;
import java.time.Instant;
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

/** The source behind a {@link TokenProvider} and an {@link AuthorizationInterceptor}, as apps use it. */
class SingleViewProviderTest {
  @RegisterExtension final FakeSingleView singleView = FakeSingleView.accepting(CLIENT_ID, CLIENT_CODE, MERCHANT_ID);

  private final MockWebServer api = new MockWebServer();
  private TokenProvider provider;

  @BeforeEach
  void start() throws IOException {
    api.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (provider != null) provider.close();
    api.shutdown();
  }

  @Test
  void apiRequestCarriesTheBearerToken() throws Exception {
    provider =
        TokenProvider.create(
            SingleViewTokenSource.builder().baseUrl(singleView.baseUrl().toString()).clientId(CLIENT_ID)
                .clientCode(CLIENT_CODE).merchantId(MERCHANT_ID).build());
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(AuthorizationInterceptor.of(provider))
            .callTimeout(20, TimeUnit.SECONDS)
            .build();
    api.enqueue(new MockResponse().setBody("{\"orders\":[]}"));

    try (Response response = client.newCall(new Request.Builder().url(api.url("/v1/orders")).build()).execute()) {
      assertEquals(200, response.code());
    }

    RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("Bearer " + singleView.lastIssuedToken(), request.getHeader("Authorization"));
  }

  @Test
  void tokenRequestSkipsTheAuthorizationInterceptorOfASharedAppClient() {
    TokenProvider appProvider =
        TokenProvider.create(
            () -> Single.just(Token.builder("app-token-value").expiresAt(Instant.now().plusSeconds(3600)).build()));
    try {
      OkHttpClient appClient =
          new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(appProvider)).build();
      provider =
          TokenProvider.create(
              SingleViewTokenSource.builder().baseUrl(singleView.baseUrl().toString()).clientId(CLIENT_ID)
                  .clientCode(CLIENT_CODE).merchantId(MERCHANT_ID).client(appClient).build());

      Token token = provider.token().timeout(20, TimeUnit.SECONDS).blockingGet();
      assertEquals(singleView.lastIssuedToken(), token.value());
    } finally {
      appProvider.close();
    }

    assertNull(singleView.takeRequest().getHeader("Authorization"));
  }
}
