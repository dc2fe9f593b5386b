package io.servicetoken.vyopta;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenServiceException;
import io.servicetoken.TokenSource;
import io.servicetoken.internal.Arguments;
import io.servicetoken.internal.BaseUrls;
import io.servicetoken.internal.ExpiryResolver;
import io.servicetoken.internal.Redaction;
import io.servicetoken.internal.StoreKey;
import io.servicetoken.internal.TokenHttpClient;
import io.servicetoken.internal.VendorErrors;
import io.servicetoken.internal.VendorRetrofit;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Fetches Vyopta access tokens with the OpenID Connect password grant: each subscription to {@link #fetch()} is
 * one {@code POST https://login.vyopta.com/auth/realms/vyopta/protocol/openid-connect/token} with {@code
 * grant_type=password}, the client id, the user name and the password, run on the subscribing thread.
 *
 * <p>Refresh tokens are not used (Vyopta documents refreshing as not implemented): when a token nears its expiry, a
 * {@link TokenProvider} simply fetches a new one with the password grant.
 *
 * <pre>{@code
 * VyoptaTokenSource source = VyoptaTokenSource.builder()
 *     .username("alice@example.com")
 *     .password(System.getenv("VYOPTA_PASSWORD"))
 *     .build();
 * TokenProvider provider = TokenProvider.create(source);
 * OkHttpClient api = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <p>Errors arrive as {@link CredentialsRejectedException} (HTTP 401/403, or {@code invalid_grant} / {@code
 * invalid_client}), {@link InvalidTokenRequestException} (other 4xx such as {@code unsupported_grant_type} or
 * {@code invalid_request}), {@link TokenServiceException} (5xx, 408, 429, network failures) and {@link
 * MalformedTokenResponseException} (no usable token in a 2xx answer), each with {@link TokenException#statusCode()}
 * and the OAuth {@code error} as {@link TokenException#errorCode()}. No message or {@link #toString()} contains the
 * password.
 */
public final class VyoptaTokenSource implements TokenSource {
  /** Vyopta's login server. */
  public static final String DEFAULT_BASE_URL = "https://login.vyopta.com/";

  /** Vyopta's OAuth client. */
  public static final String DEFAULT_CLIENT_ID = "vyopta";

  /** Vyopta's Keycloak realm. */
  public static final String DEFAULT_REALM = "vyopta";

  /** The path before {@code realms/} on Vyopta's server (and on Keycloak before version 17). */
  public static final String DEFAULT_PATH_PREFIX = "auth/";

  /** The token lifetime Vyopta documents, assumed only when a response states none. */
  static final Duration DOCUMENTED_LIFETIME = Duration.ofSeconds(300);

  static final String VENDOR = "vyopta";
  static final String MODULE = "token-vyopta";
  private static final String GRANT_TYPE = "password";
  private static final Moshi MOSHI = new Moshi.Builder().build();

  private final HttpUrl baseUrl;
  private final String pathPrefix;
  private final String realm;
  private final String clientId;
  private final String username;
  private final String password;
  private final @Nullable String scope;
  private final VyoptaApi api;
  private final JsonAdapter<VyoptaErrorResponse> errorAdapter;
  private final VendorErrors errors;
  private final StoreKey storeKey;

  private VyoptaTokenSource(Builder builder, HttpUrl baseUrl, String username, String password) {
    this.baseUrl = baseUrl;
    this.pathPrefix = builder.pathPrefix;
    this.realm = builder.realm;
    this.clientId = builder.clientId;
    this.username = username;
    this.password = password;
    this.scope = builder.scope;
    OkHttpClient client = TokenHttpClient.create(builder.client, MODULE);
    this.api = VendorRetrofit.create(baseUrl, client, MOSHI, null).create(VyoptaApi.class);
    this.errorAdapter = MOSHI.adapter(VyoptaErrorResponse.class).lenient();
    this.storeKey =
        StoreKey.builder(VENDOR, baseUrl)
            .field("pathPrefix", pathPrefix)
            .field("realm", realm)
            .field("clientId", clientId)
            .field("username", username)
            .field("scope", scope)
            .secret(password)
            .build();
    this.errors =
        new VendorErrors(VENDOR, password)
            .notFoundHint(
                "check the base URL and the path prefix: pathPrefix(\"auth/\") by default, as Vyopta and Keycloak"
                    + " before 17 serve it, pathPrefix(\"\") for current Keycloak, which serves realms/ at the root;"
                    + " and check the realm");
  }

  /**
   * Starts a source; {@link Builder#username(String)} and {@link Builder#password(String)} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One token request. Cold: every subscription sends one request, on the subscribing thread, and emits the token
   * or a {@link TokenException}.
   *
   * @return the token, expiring {@code expires_in} seconds after the response arrived
   */
  @Override
  public Single<Token> fetch() {
    return api.token(pathPrefix, realm, GRANT_TYPE, clientId, username, password, scope)
        .map(this::toToken)
        .onErrorResumeNext(errors::resume);
  }

  private Token toToken(Response<VyoptaTokenResponse> response) {
    if (!response.isSuccessful()) {
      VyoptaErrorResponse error = readError(response);
      throw errors.httpError(
          response, error == null ? null : error.error(), error == null ? null : error.errorDescription());
    }
    VyoptaTokenResponse body = response.body();
    if (body == null) throw errors.malformed(response, "no body in the response");
    String value = errors.requireToken(response, body.accessToken(), "access_token");
    ExpiryResolver expiry =
        errors.expiry(response).expiresIn(body.expiresIn()).token(value).fallback(DOCUMENTED_LIFETIME);
    return errors.token(response, value, body.tokenType(), expiry);
  }

  /** The OAuth error body, or null when there is none or it is not the OAuth shape (an HTML error page...). */
  private @Nullable VyoptaErrorResponse readError(Response<?> response) {
    String text = VendorErrors.errorBodyText(response);
    if (text.isEmpty()) return null;
    try {
      return errorAdapter.fromJson(text);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The key under which a {@link io.servicetoken.TokenStore} shares this source's tokens with other processes: a
   * SHA-256 of the vendor, the base URL, the path prefix, the realm, the client ID, the user name and the scope and a
   * slow hash (PBKDF2) of the password. Processes configured alike get the same key; one with another (a rotated or
   * wrong) password gets another, so its failures cannot poison the others' shared cool-down. None of the fields and
   * not the secret can be read from the key. Computed on the first call (tens of milliseconds), then kept.
   *
   * @return 64 lower-case hex digits
   */
  @Override
  public String storeKey() {
    return storeKey.get();
  }

  /**
   * Where and as whom this source authenticates; never the password.
   *
   * @return a description without secrets
   */
  @Override
  public String toString() {
    return "VyoptaTokenSource{url=" + Redaction.url(baseUrl)
        + Redaction.field(pathPrefix + "realms/" + realm)
        + "/protocol/openid-connect/token, clientId=" + Redaction.field(clientId)
        + ", username=" + Redaction.field(username)
        + (scope != null ? ", scope=" + Redaction.field(scope) : "")
        + ", password=██}";
  }

  /**
   * Configures a {@link VyoptaTokenSource}. Setters validate at once: null values throw {@link
   * NullPointerException} and blank ones {@link IllegalArgumentException}, naming the field, never its value.
   */
  public static final class Builder {
    private @Nullable String username;
    private @Nullable String password;
    private String clientId = DEFAULT_CLIENT_ID;
    private String realm = DEFAULT_REALM;
    private String pathPrefix = DEFAULT_PATH_PREFIX;
    private @Nullable String scope;
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable OkHttpClient client;
    private boolean allowInsecureHttp;

    private Builder() {}

    /**
     * The Vyopta user name (form field {@code username}). Required.
     *
     * @param username the user name
     * @return this builder
     * @throws NullPointerException if {@code username} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder username(String username) {
      this.username = Arguments.nonBlank(username, "username");
      return this;
    }

    /**
     * The Vyopta password (form field {@code password}), sent only in the request body and never printed.
     * Required.
     *
     * @param password the password
     * @return this builder
     * @throws NullPointerException if {@code password} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder password(String password) {
      this.password = Arguments.nonBlank(password, "password");
      return this;
    }

    /**
     * The OAuth client (form field {@code client_id}); default {@code "vyopta"}. It must be a
     * public client with direct access grants enabled: no client secret is sent.
     *
     * @param clientId the client id
     * @return this builder
     * @throws NullPointerException if {@code clientId} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder clientId(String clientId) {
      this.clientId = Arguments.nonBlank(clientId, "clientId");
      return this;
    }

    /**
     * The Keycloak realm, the {@code {realm}} in the path; default {@code "vyopta"}.
     *
     * @param realm the realm name
     * @return this builder
     * @throws NullPointerException if {@code realm} is null
     * @throws IllegalArgumentException if it is blank, {@code "."} or {@code ".."}
     */
    public Builder realm(String realm) {
      Arguments.nonBlank(realm, "realm");
      if (realm.equals(".") || realm.equals("..")) throw new IllegalArgumentException("realm is a dot segment");
      this.realm = realm;
      return this;
    }

    /**
     * The path between the base URL and {@code realms/}: {@code "auth/"} by default, as Vyopta (and Keycloak
     * before version 17) serves it, or {@code ""} for current Keycloak, which serves {@code /realms/...} at the
     * root. Several segments such as {@code "sso/auth/"} are allowed.
     *
     * @param pathPrefix empty, or path segments each followed by {@code /}, with no leading {@code /}
     * @return this builder
     * @throws NullPointerException if {@code pathPrefix} is null
     * @throws IllegalArgumentException if it starts with {@code /}, does not end with {@code /}, has an empty or
     *     dot segment, or contains {@code ?}, {@code #}, {@code \} or whitespace
     */
    public Builder pathPrefix(String pathPrefix) {
      Objects.requireNonNull(pathPrefix, "pathPrefix == null");
      if (!pathPrefix.isEmpty()) {
        if (pathPrefix.startsWith("/")) throw new IllegalArgumentException("pathPrefix must not start with /");
        if (!pathPrefix.endsWith("/")) throw new IllegalArgumentException("pathPrefix must be empty or end with /");
        for (String segment : pathPrefix.substring(0, pathPrefix.length() - 1).split("/", -1)) {
          if (segment.isEmpty()) throw new IllegalArgumentException("pathPrefix has an empty segment");
          if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("pathPrefix has a dot segment");
          }
          for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c <= ' ' || c == '?' || c == '#' || c == '\\' || c == 0x7f) {
              throw new IllegalArgumentException("pathPrefix must be a plain URL path");
            }
          }
        }
      }
      this.pathPrefix = pathPrefix;
      return this;
    }

    /**
     * The OAuth scope to request (form field {@code scope}), for example {@code "openid"}, which Keycloak's
     * {@code userinfo} endpoint requires. Not sent unless set: Vyopta's documented request has none.
     *
     * @param scope space-separated scopes
     * @return this builder
     * @throws NullPointerException if {@code scope} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder scope(String scope) {
      this.scope = Arguments.nonBlank(scope, "scope");
      return this;
    }

    /**
     * The server; default {@value VyoptaTokenSource#DEFAULT_BASE_URL}. Must be {@code https}, except for loopback
     * hosts or after {@link #allowInsecureHttp()} (checked at {@link #build()}).
     *
     * @param baseUrl the base URL, such as {@code https://login.vyopta.com/}
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it is blank or not an http(s) URL, or has user info, a query or a
     *     fragment
     */
    public Builder baseUrl(String baseUrl) {
      Arguments.nonBlank(baseUrl, "baseUrl");
      BaseUrls.parse(baseUrl, true);
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * The app's {@link OkHttpClient}, of which token requests use the network settings only: connection pool,
     * dispatcher, proxy, proxy selector and proxy authenticator, DNS, socket factory, TLS (SSL socket factory, trust
     * manager, hostname verifier, certificate pinner, connection specs, protocols), timeouts, ping interval and retry
     * on connection failure. Its interceptors and network interceptors (logging, headers, an {@link
     * io.servicetoken.AuthorizationInterceptor}, however wrapped), event listener, authenticator, cookie jar and
     * cache are left out, so none of them sees the password or the token. Token requests follow no redirects, a
     * plain-http request to a loopback host goes through no proxy, and an unbounded call timeout becomes 30 s. By
     * default a client of the SDK's own is used (timeouts: connect 10 s, read and write 15 s, call 30 s).
     *
     * @param client the app's client
     * @return this builder
     * @throws NullPointerException if {@code client} is null
     */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /**
     * Permits a plain {@code http://} base URL to a non-loopback host, which sends the password unencrypted. For
     * test environments only.
     *
     * @return this builder
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * Creates the source.
     *
     * @return the source
     * @throws IllegalStateException if the username or password is missing ({@code "username required"})
     * @throws IllegalArgumentException if the base URL is plain http to a non-loopback host without {@link
     *     #allowInsecureHttp()}
     */
    public VyoptaTokenSource build() {
      String username = Arguments.required(this.username, "username");
      String password = Arguments.required(this.password, "password");
      HttpUrl url = BaseUrls.parse(baseUrl, allowInsecureHttp);
      return new VyoptaTokenSource(this, url, username, password);
    }
  }
}
