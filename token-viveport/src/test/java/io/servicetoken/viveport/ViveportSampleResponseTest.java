package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.SAMPLE_EXPIRE;
import static io.servicetoken.viveport.TestSupport.SAMPLE_IAT;
import static io.servicetoken.viveport.TestSupport.SAMPLE_TOKEN;
import static io.servicetoken.viveport.TestSupport.fetch;
import static io.servicetoken.viveport.TestSupport.httpDate;
import static io.servicetoken.viveport.TestSupport.sampleResponse;
import static io.servicetoken.viveport.TestSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.servicetoken.Token;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The documentation's sample response, stored byte for byte as printed, parses into the expected token. */
class ViveportSampleResponseTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void sampleResourceIsTheDocumentsBlockVerbatim() {
    String printed = new String(TestSupport.sampleBody(), StandardCharsets.UTF_8);
    // The oddity kept as printed: the token's value starts on the line after its key.
    assertEquals("{\n\"serviceToken\":\n\"" + SAMPLE_TOKEN + "\",\n\"expire\": " + SAMPLE_EXPIRE + "\n}\n", printed);
  }

  @Test
  void sampleGivesTheServiceTokenAsBearerToken() {
    server.enqueue(sampleResponse());

    Token token = fetch(source(server));

    assertEquals(SAMPLE_TOKEN, token.value());
    assertEquals("Bearer", token.type());
    assertEquals("Bearer " + SAMPLE_TOKEN, token.authorization());
  }

  @Test
  void sampleWithoutDateHeaderExpiresOneHourAfterReceptionUsingJwtIatForSkew() {
    server.enqueue(sampleResponse());

    Instant before = Instant.now();
    Token token = fetch(source(server));
    Instant after = Instant.now();

    // expire (2018) is on VIVEPORT's clock; the JWT's iat stands in for the server's "now": one hour from receipt.
    assertEquals(token.receivedAt().plus(Duration.ofHours(1)), token.expiresAt());
    assertFalse(token.receivedAt().isBefore(before.minusMillis(1)));
    assertFalse(token.receivedAt().isAfter(after.plusMillis(1)));
    assertFalse(token.isExpired(after));
  }

  @Test
  void sampleWithDateHeaderAtIssueTimeExpiresOneHourAfterReception() {
    server.enqueue(sampleResponse().setHeader("Date", httpDate(Instant.ofEpochSecond(SAMPLE_IAT))));

    Token token = fetch(source(server));

    assertEquals("Thu, 03 May 2018 07:04:37 GMT", httpDate(Instant.ofEpochSecond(SAMPLE_IAT)));
    assertEquals(token.receivedAt().plusSeconds(3600), token.expiresAt());
  }

  @Test
  void sampleDateHeaderTakesPrecedenceOverJwtIat() {
    // The server says it is 40 minutes after issue: 20 minutes are left, whatever iat says.
    server.enqueue(sampleResponse().setHeader("Date", httpDate(Instant.ofEpochSecond(SAMPLE_IAT + 2400))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plusSeconds(1200), token.expiresAt());
  }

  @Test
  void sampleParsesIntoTheModelAsPrinted() {
    server.enqueue(sampleResponse());

    ViveportServiceToken body = retrofitApi().serviceToken("SampleApp", "x").blockingGet().body();

    assertNotNull(body);
    assertEquals(SAMPLE_TOKEN, body.serviceToken());
    assertEquals(Long.valueOf(SAMPLE_EXPIRE), body.expire());
    assertFalse(body.toString().contains(SAMPLE_TOKEN.substring(0, 20)), "toString shows the token");
  }

  private ViveportApi retrofitApi() {
    return new retrofit2.Retrofit.Builder()
        .baseUrl(server.url("/"))
        .addConverterFactory(retrofit2.converter.moshi.MoshiConverterFactory.create())
        .addCallAdapterFactory(retrofit2.adapter.rxjava3.RxJava3CallAdapterFactory.createSynchronous())
        .build()
        .create(ViveportApi.class);
  }
}
