package io.servicetoken.sportradar;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import okio.ByteString;

/** Shared test values and helpers. */
final class Fixtures {
  /** The identity token of the documentation's sample request. */
  static final String IDENTITY_TOKEN =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuYXV0aDAuY29tLyIsImF1XCI6Imh0dHBzOi8vYXBp"
          + "LmV4YW1wbGUuY29tL2NhbGFuZGFyL3YxLyIsInN1YiI6InVzcl8xMjMiLCJpYXQiOjE0NTg3ODU3OTYsImV4cCI6MTQ1ODg3MjE5Nn0"
          + ".CA7eaHjIHz5NxeIJoFK9krqaeZrPLwmEmgI_XiQiIkQ";

  /** The product token of the documentation's sample response. */
  static final String SAMPLE_TOKEN =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IlRoaXMgaXMganVzdCBhIGR1bW15IGV4YW1w"
          + "bGUgdG9rZW4uIFlvdSBkaWRuJ3QgcmVhbGx5IGV4cGVjdCBhbnl0aGluZyBpbnRlcmVzdGluZyBoZXJlIGRpZCB5b3U_IiwiaWF0Ijox"
          + "NTE2MjM5MDIyfQ.kh8vizGTBesLJgW0XuFh4cQ9dhmtOIasg6Hb1Z_KgHg";

  static final String PRODUCT = "videostream_manager";

  private Fixtures() {}

  /** A test resource's bytes, exactly as stored. */
  static Buffer resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      Objects.requireNonNull(in, name);
      return new Buffer().readFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resourceText(String name) {
    return resource(name).readString(StandardCharsets.UTF_8);
  }

  /** A source for the sample request's values against {@code server}. */
  static SportradarTokenSource.Builder sampleBuilder(MockWebServer server) {
    return SportradarTokenSource.builder()
        .baseUrl(server.url("/").toString())
        .userIdentityToken(IDENTITY_TOKEN)
        .product(PRODUCT)
        .customerId(345);
  }

  static MockResponse jsonResponse(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  /** A success body in the documented shape. */
  static String success(String token, Object expiresIn) {
    return "{\"data\":{\"token\":\"" + token + "\",\"tokenType\":\"bearer\",\"expiresIn\":" + expiresIn + "},"
        + "\"meta\":{\"code\":200,\"version\":1}}";
  }

  /** An unsigned JWT with the given claims (the SDK never checks signatures). */
  static String jwt(String claimsJson) {
    return base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64Url(claimsJson) + ".c2lnbmF0dXJl";
  }

  private static String base64Url(String json) {
    return ByteString.encodeUtf8(json).base64Url().replace("=", "");
  }

  static Token get(Single<Token> single) {
    return single.timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  static TokenException failure(Single<Token> single) {
    return assertThrows(TokenException.class, () -> get(single));
  }

  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) throw new AssertionError("no request arrived within 5 s");
    return request;
  }

  /** A JSON text as maps, lists, strings, doubles: for comparing bodies regardless of layout. */
  static Object parseJson(String json) throws IOException {
    return new Moshi.Builder().build().adapter(Object.class).fromJson(json);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String json) throws IOException {
    return (Map<String, Object>) Objects.requireNonNull(parseJson(json));
  }
}
