package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.SAMPLE_TOKEN;
import static io.servicetoken.sportradar.Fixtures.resource;
import static io.servicetoken.sportradar.Fixtures.sampleBuilder;
import static io.servicetoken.sportradar.Fixtures.take;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The product token reaches an app's API calls through TokenProvider and AuthorizationInterceptor. */
class ProviderIntegrationTest {
  private final MockWebServer tokenServer = new MockWebServer();
  private final MockWebServer api = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    tokenServer.start();
    api.start();
  }

  @AfterEach
  void stop() throws IOException {
    tokenServer.shutdown();
    api.shutdown();
  }

  @Test
  void apiRequestCarriesTheProductTokenAsBearer() throws Exception {
    tokenServer.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(resource("sample-response.json")));
    api.enqueue(new MockResponse().setBody("ok"));
    try (TokenProvider provider = TokenProvider.create(sampleBuilder(tokenServer).build())) {
      OkHttpClient client = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
      try (Response response = client.newCall(new Request.Builder().url(api.url("/videos")).build()).execute()) {
        assertEquals(200, response.code());
      }
      assertEquals("Bearer " + SAMPLE_TOKEN, take(api).getHeader("Authorization"));
      assertEquals(1, tokenServer.getRequestCount());
    }
  }
}
