package io.servicetoken.testing;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * SingleView's token endpoint, {@code POST /v1/api/observice/token}, on a loopback MockWebServer.
 *
 * <p>It accepts the client ID, client code and merchant ID it was created with (and any grant type that reads
 * {@code client_credentials} in any letter case) and answers the documentation's success shape with a fresh JWT,
 * {@code {"success":true,"payload":{"access_token":...,"token_type":"Bearer","expires_in":3600}}}, 60 minutes by
 * default as SingleView documents. Wrong credentials get HTTP 401 {@code {"success":false,"message":"Invalid
 * client credentials"}}; a body without the four fields or with another grant type HTTP 400; another path 404,
 * another method 405; fault switches fail with {@code {"success":false,"message":...}} and the chosen status.
 *
 * <pre>{@code
 * @RegisterExtension final FakeSingleView singleView = FakeSingleView.accepting("client", "code", "merchant");
 *
 * @Test void fetchesAToken() {
 *   SingleViewTokenSource source = SingleViewTokenSource.builder().baseUrl(singleView.baseUrl().toString())
 *       .clientId("client").clientCode("code").merchantId("merchant").build();
 *   assertEquals(singleView.lastIssuedToken(), source.fetch().blockingGet().value());
 * }
 * }</pre>
 */
public final class FakeSingleView extends FakeTokenServer {
  /** The token lifetime SingleView documents. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(60);

  /** The path of the token endpoint. */
  public static final String TOKEN_PATH = "/v1/api/observice/token";

  private final String clientId;
  private final String clientCode;
  private final String merchantId;

  private FakeSingleView(String clientId, String clientCode, String merchantId) {
    super(DEFAULT_LIFETIME);
    this.clientId = clientId;
    this.clientCode = clientCode;
    this.merchantId = merchantId;
  }

  /**
   * A fake that issues tokens for these credentials only.
   *
   * @param clientId the accepted {@code clientId}
   * @param clientCode the accepted {@code clientCode}
   * @param merchantId the accepted {@code merchantId}
   * @return the fake, not started yet (a JUnit extension starts it, as does {@link #baseUrl()})
   */
  public static FakeSingleView accepting(String clientId, String clientCode, String merchantId) {
    return new FakeSingleView(
        Objects.requireNonNull(clientId, "clientId == null"),
        Objects.requireNonNull(clientCode, "clientCode == null"),
        Objects.requireNonNull(merchantId, "merchantId == null"));
  }

  // FakeTokenServer's setters, returning FakeSingleView so that chains keep their type.

  @Override
  public FakeSingleView start() {
    super.start();
    return this;
  }

  @Override
  public FakeSingleView tokenLifetime(Duration lifetime) {
    super.tokenLifetime(lifetime);
    return this;
  }

  @Override
  public FakeSingleView serverClockOffset(Duration offset) {
    super.serverClockOffset(offset);
    return this;
  }

  @Override
  public FakeSingleView failNext(int count) {
    super.failNext(count);
    return this;
  }

  @Override
  public FakeSingleView failNext(int count, int status) {
    super.failNext(count, status);
    return this;
  }

  @Override
  public FakeSingleView slowNext(int count, Duration delay) {
    super.slowNext(count, delay);
    return this;
  }

  @Override
  public FakeSingleView malformedNext(int count) {
    super.malformedNext(count);
    return this;
  }

  /**
   * Checks method, path, body and credentials, and answers a token or SingleView's refusal.
   *
   * @param request the request as recorded
   * @return the response
   */
  @Override
  protected MockResponse answer(RecordedRequest request) {
    String path = request.getPath();
    if (path == null || !path.split("\\?", 2)[0].equals(TOKEN_PATH)) {
      return refusal(404, "Resource not found");
    }
    if (!"POST".equals(request.getMethod())) {
      return refusal(405, "Method not allowed").setHeader("Allow", "POST");
    }
    Map<String, String> fields = readFields(request.getBody().clone());
    if (!fields.containsKey("clientId")
        || !fields.containsKey("clientCode")
        || !fields.containsKey("merchantId")
        || !fields.containsKey("grantType")) {
      return refusal(400, "clientId, clientCode, merchantId and grantType are mandatory");
    }
    if (!"client_credentials".equals(fields.get("grantType").toLowerCase(Locale.ROOT))) {
      return refusal(400, "Unsupported grant type");
    }
    if (!clientId.equals(fields.get("clientId"))
        || !clientCode.equals(fields.get("clientCode"))
        || !merchantId.equals(fields.get("merchantId"))) {
      return refusal(401, "Invalid client credentials");
    }
    String token = issue(Collections.singletonMap("merchantId", merchantId));
    return json(
        200,
        "{\"success\":true,\"payload\":{\"access_token\":" + quote(token)
            + ",\"token_type\":\"Bearer\",\"expires_in\":" + tokenLifetime().getSeconds() + "}}");
  }

  /**
   * A failure in SingleView's refusal shape, {@code {"success":false,"message":...}}.
   *
   * @param status the HTTP status
   * @return the response
   */
  @Override
  protected MockResponse failure(int status) {
    return refusal(status, status >= 500 ? "Service temporarily unavailable" : "Request failed");
  }

  private MockResponse refusal(int status, String message) {
    return json(status, "{\"success\":false,\"message\":" + quote(message) + "}");
  }

  /** The body's top-level string fields; empty when it is not a JSON object. */
  private static Map<String, String> readFields(Buffer body) {
    Map<String, String> fields = new HashMap<>();
    try {
      JsonReader reader = JsonReader.of(body);
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (reader.peek() == JsonReader.Token.STRING) {
          fields.put(name, reader.nextString());
        } else {
          reader.skipValue();
        }
      }
      reader.endObject();
    } catch (IOException | RuntimeException e) {
      return Collections.emptyMap();
    }
    return fields;
  }

  /**
   * A description that names the accepted client ID and merchant ID, never the client code.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "FakeSingleView{clientId=" + clientId + ", merchantId=" + merchantId + "}";
  }
}
