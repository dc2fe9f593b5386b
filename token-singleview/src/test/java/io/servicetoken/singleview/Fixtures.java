package io.servicetoken.singleview;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import okio.ByteString;

/** Credentials from the documentation's sample request, and helpers shared by the tests. */
final class Fixtures {
  static final String CLIENT_ID = "abcdef83643f61c975";
  static final String CLIENT_CODE = "zyxvw95cE163C03b7d1";
  static final String MERCHANT_ID = "jklmno147852qrstuv";

  /** The access token of the documentation's sample response. */
  static final String SAMPLE_TOKEN =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkYXRhIjoiTDNyMmpxV29JS2I4MTNodDBLWDB4QWZHUEs2N095R2lMZ285U1MxMFkzMzR"
          + "RMERqQS96NUh2SXl6ZmF2bktCY05wQ1BpOWJBa0FUK01UT2JodHUrcnd4VkZ2QXhaSGQwWS9ZdzdwYlF4dDRUKytJa2VKN3lNUHQrS2"
          + "RRRXF3VCs5KzU2bGFjWEhoZlJtWk1LS3E1SzhlTU5KMGpleUNNWmpyL1k4ckFmVFZZWXhkVUlkaTlSTldnUS8zNTNQSEV4RHV5bGlI"
          + "dTVxeVRCVkMvLyt3YlJIZ0lQbzZJSUF2NTNoZXIySFlQOVdSQzFNbldGaXc9PSIsImlhdCI6MTczODA2MDUwNiwiZXhwIjoxNzM4MD"
          + "Y0MTA2fQ.fT9ivV_HjhzgNnoH-CetAxl40InDxhTyIQ8UHGRHH7E";

  static final long SAMPLE_IAT = 1738060506L;
  static final long SAMPLE_EXP = 1738064106L;

  private Fixtures() {}

  static SingleViewTokenSource.Builder builderFor(MockWebServer server) {
    return SingleViewTokenSource.builder()
        .baseUrl(server.url("/").toString())
        .clientId(CLIENT_ID)
        .clientCode(CLIENT_CODE)
        .merchantId(MERCHANT_ID);
  }

  static SingleViewTokenSource sourceFor(MockWebServer server) {
    return builderFor(server).build();
  }

  /** The documentation's sample response, byte for byte as printed. */
  static byte[] sampleResponse() {
    try (InputStream in = Fixtures.class.getResourceAsStream("sample-response.json")) {
      if (in == null) throw new IllegalStateException("sample-response.json missing");
      Buffer buffer = new Buffer();
      buffer.readFrom(in);
      return buffer.readByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse success(String token, String expiresIn) {
    return json(
        200,
        "{\"success\":true,\"payload\":{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
            + expiresIn + "}}");
  }

  static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  /** An unsigned JWT with the given claims, enough for the SDK, which never checks signatures. */
  static String jwt(long issuedAt, long expiresAt) {
    return base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
        + "." + base64Url("{\"sub\":\"merchant\",\"iat\":" + issuedAt + ",\"exp\":" + expiresAt + "}")
        + ".c2lnbmF0dXJl";
  }

  private static String base64Url(String json) {
    String encoded = ByteString.encodeString(json, StandardCharsets.UTF_8).base64Url();
    return encoded.replace("=", "");
  }
}
