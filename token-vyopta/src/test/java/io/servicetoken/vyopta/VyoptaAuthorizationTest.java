package io.servicetoken.vyopta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeVyopta;
import java.io.IOException;
import java.net.InetAddress;
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

class VyoptaAuthorizationTest {
  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");

  private final MockWebServer api = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    api.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    api.shutdown();
  }

  @Test
  void apiRequestCarriesTheBearerToken() throws Exception {
    VyoptaTokenSource source = VyoptaTokenSource.builder()
        .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build();
    api.enqueue(new MockResponse().setBody("ok"));

    try (TokenProvider provider = TokenProvider.create(source)) {
      OkHttpClient client = new OkHttpClient.Builder()
          .addInterceptor(AuthorizationInterceptor.of(provider))
          .callTimeout(10, TimeUnit.SECONDS)
          .build();
      try (Response response = client.newCall(new Request.Builder().url(api.url("/v1/calls")).build()).execute()) {
        assertEquals(200, response.code());
      }
    }

    RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request);
    assertEquals("Bearer " + vyopta.lastIssuedToken(), request.getHeader("Authorization"));
    assertEquals(1, vyopta.requestCount());
  }
}
