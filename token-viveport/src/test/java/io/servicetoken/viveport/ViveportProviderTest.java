package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_ID;
import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static io.servicetoken.viveport.TestSupport.SAMPLE_TOKEN;
import static io.servicetoken.viveport.TestSupport.sampleResponse;
import static io.servicetoken.viveport.TestSupport.source;
import static io.servicetoken.viveport.TestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeViveport;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Through TokenProvider and AuthorizationInterceptor, the app's requests carry the VIVEPORT token. */
class ViveportProviderTest {
  private final MockWebServer viveport = new MockWebServer();
  private final MockWebServer api = new MockWebServer();

  @RegisterExtension final FakeViveport fake = FakeViveport.accepting(APP_ID, APP_SECRET);

  @BeforeEach
  void start() throws IOException {
    viveport.start(InetAddress.getByName("127.0.0.1"), 0);
    api.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    viveport.shutdown();
    api.shutdown();
  }

  private OkHttpClient appClient(TokenProvider provider) {
    return new OkHttpClient.Builder()
        .addInterceptor(AuthorizationInterceptor.of(provider))
        .callTimeout(Duration.ofSeconds(10))
        .build();
  }

  private String call(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(api.url("/v1/things")).build()).execute()) {
      return String.valueOf(response.code());
    }
  }

  @Test
  void appRequestCarriesTheSampleTokenAsBearer() throws Exception {
    viveport.enqueue(sampleResponse());
    api.enqueue(new MockResponse().setBody("ok"));

    try (TokenProvider provider = TokenProvider.create(source(viveport))) {
      assertEquals("200", call(appClient(provider)));
    }

    assertEquals("Bearer " + SAMPLE_TOKEN, take(api).getHeader("Authorization"));
    assertEquals(1, viveport.getRequestCount());
  }

  @Test
  void appRequestsShareOneTokenFromTheFake() throws Exception {
    api.enqueue(new MockResponse().setBody("ok"));
    api.enqueue(new MockResponse().setBody("ok"));
    TokenProvider provider =
        TokenProvider.create(
            ViveportTokenSource.builder().baseUrl(fake.baseUrl().toString()).appId(APP_ID).appSecret(APP_SECRET).build());

    try (provider) {
      OkHttpClient client = appClient(provider);
      call(client);
      call(client);
    }

    String expected = "Bearer " + fake.lastIssuedToken();
    assertEquals(expected, take(api).getHeader("Authorization"));
    assertEquals(expected, take(api).getHeader("Authorization"));
    assertEquals(1, fake.tokensIssued());
  }

  @Test
  void appRequestAfter401IsRetriedOnceWithAFreshToken() throws Exception {
    api.enqueue(new MockResponse().setResponseCode(401));
    api.enqueue(new MockResponse().setBody("ok"));
    TokenProvider provider =
        TokenProvider.create(
            ViveportTokenSource.builder().baseUrl(fake.baseUrl().toString()).appId(APP_ID).appSecret(APP_SECRET).build());

    try (provider) {
      assertEquals("200", call(appClient(provider)));
    }

    String first = take(api).getHeader("Authorization");
    String second = take(api).getHeader("Authorization");
    assertEquals("Bearer " + fake.lastIssuedToken(), second);
    assertEquals(2, fake.tokensIssued());
    assertEquals(false, first.equals(second));
  }
}
