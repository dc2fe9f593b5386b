package io.servicetoken.sportradar;

import static io.servicetoken.sportradar.Fixtures.SAMPLE_TOKEN;
import static io.servicetoken.sportradar.Fixtures.get;
import static io.servicetoken.sportradar.Fixtures.resource;
import static io.servicetoken.sportradar.Fixtures.sampleBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.Token;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The documentation's sample response, byte for byte as printed (test resource {@code sample-response.json}). */
class SampleResponseTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Token fetchSample(boolean withDateHeader) {
    MockResponse response = new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setBody(resource("sample-response.json"));
    // The sample's meta.time, as a server clock eight years behind this one would say it.
    if (withDateHeader) response.setHeader("Date", "Tue, 05 Jun 2018 23:43:41 GMT");
    server.enqueue(response);
    return get(sampleBuilder(server).build().fetch());
  }

  @Test
  void sampleResponseYieldsItsTokenValue() {
    assertEquals(SAMPLE_TOKEN, fetchSample(true).value());
  }

  @Test
  void sampleLowerCaseBearerBecomesBearer() {
    Token token = fetchSample(true);
    assertEquals("Bearer", token.type());
    assertEquals("Bearer " + SAMPLE_TOKEN, token.authorization());
  }

  @Test
  void sampleExpiresInCountsFromReceptionWhateverTheServerClockSays() {
    Instant before = Instant.now().minusSeconds(1);
    Token token = fetchSample(true);
    Instant after = Instant.now().plusSeconds(1);
    assertTrue(token.receivedAt().isAfter(before) && token.receivedAt().isBefore(after));
    assertEquals(Duration.ofSeconds(3600), Duration.between(token.receivedAt(), token.expiresAt()));
    assertFalse(token.isExpired(Instant.now()));
  }

  @Test
  void sampleWithoutDateHeaderStillLastsExpiresIn() {
    // The sample JWT has an iat of 2018 and no exp: its claims must not shorten or void the stated lifetime.
    Token token = fetchSample(false);
    assertEquals(Duration.ofSeconds(3600), Duration.between(token.receivedAt(), token.expiresAt()));
  }

  @Test
  void sampleMetaBlockParsesWithNumbersReadAsText() throws IOException {
    ProductTokenResponse response =
        new com.squareup.moshi.Moshi.Builder().build().adapter(ProductTokenResponse.class)
            .fromJson(resource("sample-response.json"));
    ProductTokenResponse.Meta meta = java.util.Objects.requireNonNull(
        java.util.Objects.requireNonNull(response).meta());
    assertEquals("200", meta.code());
    assertEquals("d6cd1e2bd19e03a81132a23b2025920577f84e37", meta.codeVersion());
    assertEquals(0.011604, meta.generationTime());
    assertEquals("2018-06-05 23:43:41.227584", meta.time());
    assertEquals("1", meta.version());
    ProductTokenResponse.Data data = java.util.Objects.requireNonNull(response.data());
    assertEquals("bearer", data.tokenType());
    assertEquals(3600L, data.expiresIn());
    assertFalse(response.toString().contains(SAMPLE_TOKEN));
  }
}
