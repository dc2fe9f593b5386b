package io.servicetoken.appviewx;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import okio.ByteString;

/** Credentials, canned answers and helpers shared by this module's tests. */
final class Fixtures {
  /** The client ID and secret encoded in the documentation's sample {@code Authorization} header. */
  static final String CLIENT_ID = "521c3ad2-ea4e-447b-a51b-9621bb7ea126";
  static final String CLIENT_SECRET = "55AU#NO8%*ZhgvNfaYUmtvX0dkEhodbi";
  /** The Basic credential and its base64 part: secrets as well. */
  static final String BASIC = "Basic "
      + ByteString.encodeUtf8(CLIENT_ID + ":" + CLIENT_SECRET).base64();
  static final String BASIC_ENCODED = BASIC.substring("Basic ".length());

  /** The sample token, as printed (with its two stray spaces) and as the SDK cleans it. */
  static final String SAMPLE_TOKEN_PRINTED =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGF0Zm9ybSIsImF1ZCI6ImF2eCIsImNsaWVudElkIjoiOTcwNzRlNDEtOGFmOS00NTZkLTlhNjQtZjBj"
          + " NGJiOTA4MDQ4IiwiaXNzIjoiYXZ4IiwiZXhwIjoxNjUwMzY5MzY3LCJncmFudCB0eXBlIjoiY2xpZW50X2NyZWRlbnRpYWxzIn0.HZnkuUEjXIeqJWqpqiNWFHqIDI7"
          + " GYf4cWx6VwbjGD_0";
  static final String SAMPLE_TOKEN = SAMPLE_TOKEN_PRINTED.replace(" ", "");
  /** The sample JWT's {@code exp} claim (2022-04-19T11:56:07Z); it has no {@code iat}. */
  static final Instant SAMPLE_EXP = Instant.ofEpochSecond(1650369367L);

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private Fixtures() {}

  /** The documentation's sample response, byte for byte as printed. */
  static Buffer sampleResponse() {
    try (InputStream in = Fixtures.class.getResourceAsStream("sample-response.json")) {
      if (in == null) throw new IllegalStateException("sample-response.json missing");
      return new Buffer().readFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant.atOffset(ZoneOffset.UTC));
  }

  /** An unsigned JWT with the given JSON claims; the SDK never checks signatures. */
  static String jwt(String claimsJson) {
    return base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64Url(claimsJson) + ".c2lnbmF0dXJl";
  }

  private static String base64Url(String json) {
    String encoded = ByteString.encodeUtf8(json).base64Url();
    return encoded.replace("=", "");
  }

  /** The envelope AppViewX answers with. */
  static String envelope(String responseJson, String messageJson, String appStatusCodeJson) {
    return "{\"response\": " + responseJson + ", \"message\": " + messageJson
        + ", \"appStatusCode\": " + appStatusCodeJson + ", \"tags\": {}, \"headers\": null}";
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  static MockResponse json(int status, String body, Instant serverDate) {
    return json(status, body).setHeader("Date", httpDate(serverDate));
  }

  static AppViewXTokenSource.Builder source(String baseUrl) {
    return AppViewXTokenSource.builder().baseUrl(baseUrl).clientId(CLIENT_ID).clientSecret(CLIENT_SECRET);
  }

  /** One fetch, bounded in time. */
  static Token fetch(AppViewXTokenSource source) {
    return source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
  }

  /** The failure of one fetch, after checking that no secret appears in it. */
  static <E extends TokenException> E fetchFailure(Class<E> type, AppViewXTokenSource source) {
    E failure = assertThrows(type, () -> fetch(source));
    assertNoSecret(failure);
    return failure;
  }

  static void assertNoSecret(Object subject) {
    SecretScanner.assertNoSecret(subject, CLIENT_SECRET, BASIC, BASIC_ENCODED);
  }
}
