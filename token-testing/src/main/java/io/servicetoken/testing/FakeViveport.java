package io.servicetoken.testing;

import io.servicetoken.internal.JwtClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * A fake of VIVEPORT's service token endpoint ({@code GET
 * /api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=&appSecret=}) on a loopback MockWebServer.
 *
 * <p>It answers the documentation's success shape, {@code {"serviceToken": "<JWT>", "expire": <UNIX seconds>}},
 * with a fresh signed JWT (claims {@code iat}, {@code exp} and {@code duration}, like the documentation's sample, plus a unique
 * {@code jti})
 * whose lifetime is one hour unless {@link #tokenLifetime(Duration)} says otherwise, and the documentation's
 * errors otherwise: 403 for an unknown {@code appId} or a wrong {@code appSecret}, 400 for a missing or blank
 * parameter, 404 for another path and 405 for another method. VIVEPORT documents no error body, so errors carry
 * {@code {"code": <status>, "message": "<the documentation's description>"}}.
 *
 * <pre>{@code
 * @RegisterExtension final FakeViveport viveport = FakeViveport.accepting("SampleApp", "s3cr3t");
 *
 * @Test void fetchesAToken() {
 *   TokenSource source = ViveportTokenSource.builder()
 *       .baseUrl(viveport.baseUrl().toString()).appId("SampleApp").appSecret("s3cr3t").build();
 *   assertEquals(viveport.lastIssuedToken(), source.fetch().blockingGet().value());
 * }
 * }</pre>
 */
public final class FakeViveport extends FakeTokenServer {
  /** The endpoint's path, as VIVEPORT documents it. */
  public static final String PATH = "/api/thirdpartygatewayservice/v1/monitor/servicetoken";

  /** The lifetime of the documentation's sample token ({@code iat} to {@code exp}). */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  static final String INVALID_PAYLOAD = "Invalid payload";
  static final String FORBIDDEN =
      "Credentials are invalid or the appId does not exist: please contact VIVEPORT admin for help";
  static final String DB_EXCEPTION = "DB exception";

  private final String appId;
  private final String appSecret;

  private FakeViveport(String appId, String appSecret) {
    super(DEFAULT_LIFETIME);
    this.appId = appId;
    this.appSecret = appSecret;
  }

  /**
   * A fake that issues tokens to {@code appId} with {@code appSecret} and refuses everything else.
   *
   * @param appId the app ID it knows
   * @param appSecret that app's secret
   * @return the fake, not started yet (JUnit starts it when registered with {@code @RegisterExtension})
   * @throws NullPointerException if either is null
   */
  public static FakeViveport accepting(String appId, String appSecret) {
    Objects.requireNonNull(appId, "appId == null");
    Objects.requireNonNull(appSecret, "appSecret == null");
    return new FakeViveport(appId, appSecret);
  }

  // FakeTokenServer's setters, returning FakeViveport so that chains keep their type.

  @Override
  public FakeViveport start() {
    super.start();
    return this;
  }

  @Override
  public FakeViveport tokenLifetime(Duration lifetime) {
    super.tokenLifetime(lifetime);
    return this;
  }

  @Override
  public FakeViveport serverClockOffset(Duration offset) {
    super.serverClockOffset(offset);
    return this;
  }

  @Override
  public FakeViveport failNext(int count) {
    super.failNext(count);
    return this;
  }

  @Override
  public FakeViveport failNext(int count, int status) {
    super.failNext(count, status);
    return this;
  }

  @Override
  public FakeViveport slowNext(int count, Duration delay) {
    super.slowNext(count, delay);
    return this;
  }

  @Override
  public FakeViveport malformedNext(int count) {
    super.malformedNext(count);
    return this;
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    if (url == null || !PATH.equals(url.encodedPath())) return error(404, "Not found");
    if (!"GET".equals(request.getMethod())) return error(405, "Method not allowed");
    String id = url.queryParameter("appId");
    String secret = url.queryParameter("appSecret");
    if (isBlank(id) || isBlank(secret)) return error(400, INVALID_PAYLOAD);
    if (!appId.equals(id) || !appSecret.equals(secret)) return error(403, FORBIDDEN);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("duration", tokenLifetime().getSeconds());
    // Without a unique claim two tokens minted in the same second would be identical, and a refresh after a 401
    // would hand out the very token that was just refused.
    claims.put("jti", UUID.randomUUID().toString());
    String token = issue(claims);
    Instant expiresAt = Objects.requireNonNull(JwtClaims.parse(token).expiresAt(), "exp");
    return json(200, "{\"serviceToken\": " + quote(token) + ", \"expire\": " + expiresAt.getEpochSecond() + "}");
  }

  @Override
  protected MockResponse failure(int status) {
    String message;
    switch (status) {
      case 400:
        message = INVALID_PAYLOAD;
        break;
      case 403:
        message = FORBIDDEN;
        break;
      case 500:
        message = DB_EXCEPTION;
        break;
      default:
        message = "HTTP " + status;
    }
    return error(status, message);
  }

  /**
   * The app ID this fake accepts (not a secret).
   *
   * @return a description without the app secret
   */
  @Override
  public String toString() {
    return "FakeViveport{appId=" + appId + '}';
  }

  private MockResponse error(int status, String message) {
    return json(status, "{\"code\": " + status + ", \"message\": " + quote(message) + "}");
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.trim().isEmpty();
  }
}
