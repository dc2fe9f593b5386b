package io.servicetoken.testing;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * A fake AppViewX {@code acctmgmt-get-service-token} endpoint: {@code POST
 * /avxapi/acctmgmt-get-service-token?gwsource=...} with HTTP Basic client credentials and the form body {@code
 * grant_type=client_credentials}.
 *
 * <pre>{@code
 * @RegisterExtension final FakeAppViewX avx = FakeAppViewX.accepting("my-client", "my-secret");
 *
 * @Test void fetchesAToken() {
 *   TokenSource source = AppViewXTokenSource.builder()
 *       .baseUrl(avx.baseUrl().toString()).clientId("my-client").clientSecret("my-secret").build();
 *   Token token = source.fetch().blockingGet();
 *   assertEquals(avx.lastIssuedToken(), token.value());
 * }
 * }</pre>
 *
 * <p>Answers as the vendor documents:
 *
 * <ul>
 *   <li>200 with the envelope {@code {"response": <JWT>, "message": null, "appStatusCode": null, "tags": {},
 *       "headers": null}}; the JWT carries {@code iat} and {@code exp} (15 minutes later unless {@link
 *       #tokenLifetime(Duration)} says otherwise) and the sample's claims ({@code sub}, {@code aud}, {@code
 *       clientId}, {@code iss}, {@code grant type}).
 *   <li>400 {@code ACCT_SA_003} for an unknown client ID, 400 {@code OAUTH_CLNT_015} for a wrong secret, 400 {@code
 *       ACCT_SA_001} for a missing or unreadable Basic {@code Authorization} header.
 *   <li>{@link #failNext(int)}: 503 (or the status given) with {@code avx-common-011}, "Error while processing."
 *   <li>Not documented, so chosen here: 404 with a {@code null} code for another method or path, 400 with a {@code
 *       null} code ("Invalid Request") for a missing {@code gwsource} or a {@code grant_type} other than {@code
 *       client_credentials} in any letter case.
 * </ul>
 */
public final class FakeAppViewX extends FakeTokenServer {
  /** The lifetime of the tokens issued unless {@link #tokenLifetime(Duration)} changes it. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

  static final String PATH = "/avxapi/acctmgmt-get-service-token";

  private final String clientId;
  private final String clientSecret;

  private FakeAppViewX(String clientId, String clientSecret) {
    super(DEFAULT_LIFETIME);
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /**
   * A fake that issues tokens to the one service account given.
   *
   * @param clientId the client ID it knows
   * @param clientSecret that client's secret
   * @return the fake, not yet started
   * @throws NullPointerException if either is null
   */
  public static FakeAppViewX accepting(String clientId, String clientSecret) {
    return new FakeAppViewX(
        Objects.requireNonNull(clientId, "clientId == null"),
        Objects.requireNonNull(clientSecret, "clientSecret == null"));
  }

  // FakeTokenServer's setters, returning FakeAppViewX so that chains keep their type.

  @Override
  public FakeAppViewX start() {
    super.start();
    return this;
  }

  @Override
  public FakeAppViewX tokenLifetime(Duration lifetime) {
    super.tokenLifetime(lifetime);
    return this;
  }

  @Override
  public FakeAppViewX serverClockOffset(Duration offset) {
    super.serverClockOffset(offset);
    return this;
  }

  @Override
  public FakeAppViewX failNext(int count) {
    super.failNext(count);
    return this;
  }

  @Override
  public FakeAppViewX failNext(int count, int status) {
    super.failNext(count, status);
    return this;
  }

  @Override
  public FakeAppViewX slowNext(int count, Duration delay) {
    super.slowNext(count, delay);
    return this;
  }

  @Override
  public FakeAppViewX malformedNext(int count) {
    super.malformedNext(count);
    return this;
  }

  /**
   * Checks method, path, {@code gwsource}, the Basic credentials and {@code grant_type}, then answers a fresh token
   * in the success envelope or the documented error.
   *
   * @param request the request as recorded
   * @return the response
   */
  @Override
  protected MockResponse answer(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    if (!"POST".equals(request.getMethod()) || url == null || !PATH.equals(url.encodedPath())) {
      return envelope(404, null, "Not Found");
    }
    String gatewaySource = url.queryParameter("gwsource");
    if (gatewaySource == null || gatewaySource.trim().isEmpty()) {
      return envelope(400, null, "Invalid Request::[gwsource is missing]");
    }
    String[] credentials = basicCredentials(request.getHeader("Authorization"));
    if (credentials == null) {
      return envelope(400, "ACCT_SA_001", "Invalid Request::[Invalid client Id or secret]");
    }
    if (!clientId.equals(credentials[0])) {
      return envelope(400, "ACCT_SA_003", "Service account is invalid/not found::[Service account not found in the database]");
    }
    if (!clientSecret.equals(credentials[1])) {
      return envelope(400, "OAUTH_CLNT_015", "Client Password is incorrect::[Invalid Client credential]");
    }
    String grantType = formField(request.getBody().clone().readUtf8(), "grant_type");
    if (grantType == null || !grantType.toLowerCase(Locale.ROOT).equals("client_credentials")) {
      return envelope(400, null, "Invalid Request::[grant_type must be client_credentials]");
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "platform");
    claims.put("aud", "avx");
    claims.put("clientId", clientId);
    claims.put("iss", "avx");
    claims.put("grant type", "client_credentials");
    String token = issue(claims);
    return json(200,
        "{\"response\": " + quote(token)
            + ", \"message\": null, \"appStatusCode\": null, \"tags\": {}, \"headers\": null}");
  }

  /**
   * The documented server error: {@code avx-common-011}, "Error while processing.", with {@code status}.
   *
   * @param status the HTTP status
   * @return the response
   */
  @Override
  protected MockResponse failure(int status) {
    return envelope(status, "avx-common-011", "Error while processing.");
  }

  private MockResponse envelope(int status, @Nullable String appStatusCode, String message) {
    return json(status,
        "{\"response\": null, \"message\": " + quote(message)
            + ", \"appStatusCode\": " + quote(appStatusCode) + ", \"tags\": {}, \"headers\": null}");
  }

  /** {@code [clientId, clientSecret]} from {@code Basic base64(id:secret)}, or null when that is not what it is. */
  private static String @Nullable [] basicCredentials(@Nullable String header) {
    if (header == null) return null;
    String trimmed = header.trim();
    if (trimmed.length() < 6 || !trimmed.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    ByteString decoded = ByteString.decodeBase64(trimmed.substring(6).trim());
    if (decoded == null) return null;
    String pair = decoded.string(StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0) return null;
    return new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
  }

  private static @Nullable String formField(String body, String name) {
    for (String pair : body.split("&", -1)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (decode(key).equals(name)) return equals < 0 ? "" : decode(pair.substring(equals + 1));
    }
    return null;
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      return value;
    }
  }

  /**
   * A description naming the accepted client ID, never its secret.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "FakeAppViewX{clientId=" + clientId + '}';
  }
}
