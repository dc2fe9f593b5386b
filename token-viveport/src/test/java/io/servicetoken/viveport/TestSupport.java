package io.servicetoken.viveport;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.servicetoken.Token;
import io.servicetoken.TokenException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Assertions;

/** Shared fixtures: the doc's credentials, its sample response, JWTs and HTTP dates. */
final class TestSupport {
  /** The credentials of the documentation's curl example. */
  static final String APP_ID = "SampleApp";

  static final String APP_SECRET = "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y";

  /** The sample's token, its {@code iat} and {@code exp}/{@code expire}. */
  static final String SAMPLE_TOKEN =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJleHAiOjE1MjUzMzQ2NzcsImlhdCI6MTUyNTMzMTA3NywiZHVyYXRpb24iOjM2MDB9."
          + "HsdxbtW9-o-d6I_U_gZGS7yE5g4DzD5P39ZnHBq4YU5LCtiz5-UhyNDjEoiqJ-_Z3OJLJYRgD2mX2Gy4YENkdXFA9wV0gi6qC8-5YWHH"
          + "WFBleQyaDmtH0jUdm6P_pGZgvlMniGsnQaAObzcIh2CRGFZycpqmGzFrSYVaJdqrPtcSm-eJGDTihIgoisZrvZmxYLDQi5cwdoCK-Z3VLy"
          + "jgsWNVQ-Hg9t6m1kVuKLdjLFkLzTk18NqlpFZ-8yDU2vgrBNFoSzBlDDGozFBho1AKF_Xc8NVqhfNZzKF7mv0NkVzVo8g5FesPQUpNrZY4"
          + "a2RKdWP0fdIfWL2OfFPx8G-Uqw";

  static final long SAMPLE_IAT = 1525331077L;
  static final long SAMPLE_EXPIRE = 1525334677L;

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private TestSupport() {}

  /** The documentation's sample response body, byte for byte as printed. */
  static byte[] sampleBody() {
    try (InputStream in = TestSupport.class.getResourceAsStream("sample-response.json")) {
      Assertions.assertNotNull(in, "sample-response.json");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse sampleResponse() {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(new Buffer().write(sampleBody()));
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  /** An unsigned-looking JWT with the given {@code iat} and {@code exp} (the SDK never checks signatures). */
  static String jwt(long iat, long exp) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String header = encoder.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        encoder.encodeToString(
            ("{\"exp\":" + exp + ",\"iat\":" + iat + ",\"duration\":" + (exp - iat) + "}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".c2lnbmF0dXJl";
  }

  static ViveportTokenSource source(MockWebServer server) {
    return ViveportTokenSource.builder()
        .baseUrl(server.url("/").toString())
        .appId(APP_ID)
        .appSecret(APP_SECRET)
        .build();
  }

  /** One fetch, bounded in time. */
  static Token fetch(ViveportTokenSource source) {
    return source.fetch().timeout(10, SECONDS).blockingGet();
  }

  /** One failing fetch, bounded in time: its exception, of the expected type. */
  static <T extends TokenException> T fetchError(Class<T> type, ViveportTokenSource source) {
    return Assertions.assertThrows(type, () -> fetch(source));
  }

  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    Assertions.assertNotNull(request, "no request arrived within 5 s");
    return request;
  }
}
