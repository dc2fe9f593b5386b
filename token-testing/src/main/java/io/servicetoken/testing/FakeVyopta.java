package io.servicetoken.testing;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.Locale;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * A fake of Vyopta's login server (Keycloak): {@code POST /auth/realms/vyopta/protocol/openid-connect/token} with
 * the password grant for the one user it was created with, answering an OpenID Connect token response with a JWT
 * access token of 300 seconds (Vyopta's documented lifetime) and Keycloak's own errors otherwise.
 *
 * <pre>{@code
 * @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
 *
 * @Test void fetchesAToken() {
 *   VyoptaTokenSource source = VyoptaTokenSource.builder()
 *       .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build();
 *   Token token = source.fetch().blockingGet();
 *   assertEquals(vyopta.lastIssuedToken(), token.value());
 * }
 * }</pre>
 *
 * <p>Answers, as Keycloak gives them:
 *
 * <ul>
 *   <li>wrong user name or password: HTTP 400 {@code {"error":"invalid_grant","error_description":"Invalid user
 *       credentials"}} (Keycloak 26 answers 400 here, as RFC 6749 section 5.2 asks; only a bad client gets 401)
 *   <li>unknown client: HTTP 401 {@code {"error":"invalid_client","error_description":"Invalid client or Invalid
 *       client credentials"}}
 *   <li>a grant type other than {@code password}: HTTP 400 {@code unsupported_grant_type}; a missing form field or
 *       a body that is not a form: HTTP 400 {@code invalid_request}
 *   <li>another realm: HTTP 404 {@code {"error":"Realm does not exist"}}; another path: HTTP 404; another method:
 *       HTTP 405
 *   <li>{@link #failNext(int, int)}: the status with an OAuth error body ({@code temporarily_unavailable} for 503,
 *       {@code server_error} for other 5xx)
 * </ul>
 */
public final class FakeVyopta extends FakeTokenServer {
  /** Vyopta's documented token lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(300);

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String username;
  private final String password;
  private volatile String clientId = "vyopta";
  private volatile String realm = "vyopta";
  private volatile String pathPrefix = "auth/";

  private FakeVyopta(String username, String password) {
    super(DEFAULT_LIFETIME);
    this.username = username;
    this.password = password;
  }

  /**
   * A fake that issues tokens to {@code username} with {@code password}, for client {@code vyopta} in realm {@code
   * vyopta} under {@code /auth/}.
   *
   * @param username the accepted user name
   * @param password the accepted password
   * @return the fake, not yet started
   */
  public static FakeVyopta accepting(String username, String password) {
    return new FakeVyopta(
        Objects.requireNonNull(username, "username == null"), Objects.requireNonNull(password, "password == null"));
  }

  /**
   * Serves the token endpoint under another path prefix: {@code ""} for current Keycloak ({@code /realms/...}).
   *
   * @param pathPrefix empty, or segments each followed by {@code /}
   * @return this fake
   */
  public FakeVyopta pathPrefix(String pathPrefix) {
    this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix == null");
    return this;
  }

  /**
   * Serves another realm than {@code vyopta}.
   *
   * @param realm the realm name
   * @return this fake
   */
  public FakeVyopta realm(String realm) {
    this.realm = Objects.requireNonNull(realm, "realm == null");
    return this;
  }

  /**
   * Accepts another client than {@code vyopta}.
   *
   * @param clientId the client id
   * @return this fake
   */
  public FakeVyopta clientId(String clientId) {
    this.clientId = Objects.requireNonNull(clientId, "clientId == null");
    return this;
  }

  /**
   * The token endpoint's path on this fake, for example {@code /auth/realms/vyopta/protocol/openid-connect/token}.
   *
   * @return the path
   */
  public String tokenPath() {
    return "/" + pathPrefix + "realms/" + realm + "/protocol/openid-connect/token";
  }

  // FakeTokenServer's setters, returning FakeVyopta so that chains keep their type.

  @Override
  public FakeVyopta start() {
    super.start();
    return this;
  }

  @Override
  public FakeVyopta tokenLifetime(Duration lifetime) {
    super.tokenLifetime(lifetime);
    return this;
  }

  @Override
  public FakeVyopta serverClockOffset(Duration offset) {
    super.serverClockOffset(offset);
    return this;
  }

  @Override
  public FakeVyopta failNext(int count) {
    super.failNext(count);
    return this;
  }

  @Override
  public FakeVyopta failNext(int count, int status) {
    super.failNext(count, status);
    return this;
  }

  @Override
  public FakeVyopta slowNext(int count, Duration delay) {
    super.slowNext(count, delay);
    return this;
  }

  @Override
  public FakeVyopta malformedNext(int count) {
    super.malformedNext(count);
    return this;
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    String path = request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
    if (!path.equals(tokenPath())) {
      String realmsPrefix = "/" + pathPrefix + "realms/";
      if (path.startsWith(realmsPrefix) && path.endsWith("/protocol/openid-connect/token")) {
        return json(404, "{\"error\":\"Realm does not exist\"}");
      }
      return json(404, "{\"error\":\"Unable to find matching target resource method\"}");
    }
    if (!"POST".equals(request.getMethod())) {
      return json(405, "{\"error\":\"HTTP 405 Method Not Allowed\"}");
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      return error(400, "invalid_request", "Missing form parameter: grant_type");
    }
    Map<String, String> form = parseForm(request.getBody().clone().readUtf8());
    String grantType = form.get("grant_type");
    if (grantType == null) return error(400, "invalid_request", "Missing form parameter: grant_type");
    String client = form.get("client_id");
    if (client == null || !client.equals(clientId)) {
      return error(401, "invalid_client", "Invalid client or Invalid client credentials");
    }
    if (!grantType.equals("password")) return error(400, "unsupported_grant_type", "Unsupported grant_type");
    if (!username.equals(form.get("username")) || !password.equals(form.get("password"))) {
      return error(400, "invalid_grant", "Invalid user credentials");
    }
    String scope = grantedScope(form.get("scope"));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", request.getRequestUrl().newBuilder().encodedPath("/" + pathPrefix + "realms/" + realm)
        .build().toString());
    claims.put("typ", "Bearer");
    claims.put("azp", clientId);
    claims.put("preferred_username", username);
    claims.put("scope", scope);
    String accessToken = issue(claims);
    long lifetime = tokenLifetime().getSeconds();
    return json(200, "{\"access_token\":" + quote(accessToken)
        + ",\"expires_in\":" + lifetime
        + ",\"refresh_expires_in\":1800"
        + ",\"refresh_token\":" + quote(opaque())
        + ",\"token_type\":\"bearer\""
        + ",\"not-before-policy\":0"
        + ",\"session_state\":" + quote(UUID.randomUUID().toString())
        + ",\"scope\":" + quote(scope) + "}");
  }

  @Override
  protected MockResponse failure(int status) {
    if (status == 401) return error(401, "invalid_grant", "Invalid user credentials");
    if (status == 503) return error(503, "temporarily_unavailable", "Service temporarily unavailable");
    if (status >= 500) return error(status, "server_error", "Internal server error");
    return error(status, "invalid_request", "Request failed with HTTP " + status);
  }

  private MockResponse error(int status, String error, String description) {
    return json(status, "{\"error\":" + quote(error) + ",\"error_description\":" + quote(description) + "}");
  }

  /** Keycloak grants the requested scopes plus the client's default ones. */
  private static String grantedScope(@Nullable String requested) {
    Set<String> scopes = new LinkedHashSet<>();
    if (requested != null) {
      for (String scope : requested.trim().split("\\s+")) {
        if (!scope.isEmpty()) scopes.add(scope);
      }
    }
    scopes.add("email");
    scopes.add("profile");
    return spaceSeparated(scopes);
  }

  private static String opaque() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return ByteString.of(bytes).base64Url().replace("=", "");
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) return form;
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      form.put(decode(name), decode(value));
    }
    return form;
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      return value;
    }
  }
}
