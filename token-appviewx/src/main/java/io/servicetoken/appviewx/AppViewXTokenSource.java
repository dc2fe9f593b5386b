package io.servicetoken.appviewx;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenSource;
import io.servicetoken.internal.Arguments;
import io.servicetoken.internal.BaseUrls;
import io.servicetoken.internal.Redaction;
import io.servicetoken.internal.StoreKey;
import io.servicetoken.internal.TokenHttpClient;
import io.servicetoken.internal.VendorErrors;
import io.servicetoken.internal.VendorRetrofit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Fetches AppViewX service tokens from {@code POST avxapi/acctmgmt-get-service-token?gwsource=external} with a
 * service account's client ID and secret.
 *
 * <pre>{@code
 * TokenSource source = AppViewXTokenSource.builder()
 *     .baseUrl("https://avx.example.com:31443/")
 *     .clientId("521c3ad2-ea4e-447b-a51b-9621bb7ea126")
 *     .clientSecret(System.getenv("AVX_CLIENT_SECRET"))
 *     .build();
 * TokenProvider provider = TokenProvider.create(source);
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <p>The token is the envelope's {@code response} field with all whitespace removed. Its expiry is the JWT's {@code
 * exp} claim, read against the first clock that makes it a plausible lifetime (the server's {@code Date} header,
 * the local clock, then without a {@code Date} the JWT's {@code iat}); a token that is not a JWT with {@code exp}
 * lives {@link Builder#defaultLifetime(Duration)} (15 minutes unless configured). No token lives longer than 24
 * hours.
 *
 * <p>Failures arrive as {@link io.servicetoken.TokenException}s: {@code ACCT_SA_*} and {@code OAUTH_CLNT_*} codes,
 * 401 and 403 as {@link CredentialsRejectedException}; 5xx (such as {@code avx-common-011}), 408, 429 and I/O
 * failures as {@link io.servicetoken.TokenServiceException}; other 4xx and redirects as {@link
 * io.servicetoken.InvalidTokenRequestException}; a body without a usable token as {@link
 * MalformedTokenResponseException}. No message or {@code toString()} contains the client secret.
 *
 * <p>{@link #fetch()} is cold: every subscription sends one request, synchronously on the subscribing thread.
 */
public final class AppViewXTokenSource implements TokenSource {
  static final String VENDOR = "appviewx";
  static final String MODULE = "token-appviewx";
  static final String DEFAULT_GATEWAY_SOURCE = "external";
  static final String DEFAULT_GRANT_TYPE = "client_credentials";
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
  /** Error envelopes are small; reading more of a garbage body would only cost memory. */

  private final HttpUrl baseUrl;
  private final String clientId;
  private final String authorization;
  private final String gatewaySource;
  private final String grantType;
  private final Duration defaultLifetime;
  private final AppViewXApi api;
  private final VendorErrors errors;
  private final StoreKey storeKey;
  private final JsonAdapter<Object> errorBodyAdapter;

  private AppViewXTokenSource(Builder builder, HttpUrl baseUrl, String clientId, String clientSecret) {
    this.baseUrl = baseUrl;
    this.clientId = clientId;
    // UTF-8 rather than OkHttp's ISO-8859-1 default (RFC 7617 charset="UTF-8"); identical for ASCII credentials.
    this.authorization = Credentials.basic(clientId, clientSecret, StandardCharsets.UTF_8);
    this.gatewaySource = builder.gatewaySource;
    this.grantType = builder.grantType;
    this.defaultLifetime = builder.defaultLifetime;
    String encoded = authorization.substring("Basic ".length());
    this.errors = new VendorErrors(VENDOR, clientSecret, authorization, encoded);
    this.storeKey =
        StoreKey.builder(VENDOR, baseUrl)
            .field("clientId", clientId)
            .field("gatewaySource", gatewaySource)
            .field("grantType", grantType)
            .secret(clientSecret)
            .build();
    Moshi moshi = new Moshi.Builder().build();
    OkHttpClient client = TokenHttpClient.create(builder.client, MODULE);
    this.api = VendorRetrofit.create(baseUrl, client, moshi, null).create(AppViewXApi.class);
    this.errorBodyAdapter = moshi.adapter(Object.class).lenient();
  }

  /**
   * Starts configuring a source. {@link Builder#baseUrl(String)}, {@link Builder#clientId(String)} and {@link
   * Builder#clientSecret(String)} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Requests one token. Cold: each subscription sends one request on the subscribing thread.
   *
   * @return the token, or a {@link io.servicetoken.TokenException}
   */
  @Override
  public Single<Token> fetch() {
    return api.token(authorization, gatewaySource, grantType)
        .map(this::toToken)
        .onErrorResumeNext(errors::resume);
  }

  private Token toToken(Response<AppViewXTokenResponse> response) {
    if (!response.isSuccessful()) {
      ErrorEnvelope envelope = readErrorBody(VendorErrors.errorBodyText(response));
      throw errors.httpError(response, envelope.appStatusCode, envelope.message);
    }
    AppViewXTokenResponse body = response.body();
    String value = body == null ? null : body.response();
    if ((value == null || value.trim().isEmpty()) && body != null && body.appStatusCode() != null) {
      // The documentation sets appStatusCode only on failure: classify it rather than report a missing token.
      throw errors.refusal(response, body.appStatusCode(), body.message());
    }
    String token = errors.requireToken(response, value == null ? null : removeWhitespace(value), "response");
    return errors.token(
        response, token, null, errors.expiry(response).token(token).fallback(defaultLifetime));
  }

  /** The code and message of an error envelope, or nulls when the body is absent, garbage or not the envelope. */
  private ErrorEnvelope readErrorBody(String text) {
    if (text.isEmpty()) return ErrorEnvelope.NONE;
    try {
      Object json = errorBodyAdapter.fromJson(text);
      if (!(json instanceof Map)) return ErrorEnvelope.NONE;
      Map<?, ?> map = (Map<?, ?>) json;
      return new ErrorEnvelope(scalar(map.get("appStatusCode")), scalar(map.get("message")));
    } catch (IOException | RuntimeException e) {
      // A garbage or truncated error body still yields the status-based exception.
      return ErrorEnvelope.NONE;
    }
  }

  private static @Nullable String scalar(@Nullable Object value) {
    if (value instanceof String) return ((String) value).trim().isEmpty() ? null : (String) value;
    if (value instanceof Double) {
      double number = (Double) value;
      return number == Math.rint(number) && Math.abs(number) < 1e15
          ? Long.toString((long) number)
          : Double.toString(number);
    }
    return null;
  }

  /**
   * The token without whitespace: the documentation prints its sample with stray spaces, and RFC 6750 bearer
   * tokens cannot contain any, so a header carrying them would be refused.
   */
  static String removeWhitespace(String value) {
    StringBuilder result = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        if (result == null) result = new StringBuilder(value.length()).append(value, 0, i);
      } else if (result != null) {
        result.append(c);
      }
    }
    return result != null ? result.toString() : value;
  }

  /**
   * The key under which a {@link io.servicetoken.TokenStore} shares this source's tokens with other processes: a
   * SHA-256 of the vendor, the base URL, the client ID, the gateway source and the grant type and a slow hash (PBKDF2)
   * of the client secret. Processes configured alike get the same key; one with another (a rotated or wrong) secret
   * gets another, so its failures cannot poison the others' shared cool-down. None of the fields and not the secret can
   * be read from the key. Computed on the first call (tens of milliseconds), then kept.
   *
   * @return 64 lower-case hex digits
   */
  @Override
  public String storeKey() {
    return storeKey.get();
  }

  /**
   * A description for logs: base URL, client ID, gateway source, grant type and default lifetime, never the
   * client secret.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "AppViewXTokenSource{baseUrl=" + baseUrl
        + ", clientId=" + Redaction.field(clientId)
        + ", gatewaySource=" + Redaction.field(gatewaySource)
        + ", grantType=" + Redaction.field(grantType)
        + ", defaultLifetime=" + defaultLifetime
        + '}';
  }

  private static final class ErrorEnvelope {
    static final ErrorEnvelope NONE = new ErrorEnvelope(null, null);

    final @Nullable String appStatusCode;
    final @Nullable String message;

    ErrorEnvelope(@Nullable String appStatusCode, @Nullable String message) {
      this.appStatusCode = appStatusCode;
      this.message = message;
    }
  }

  /**
   * Configures an {@link AppViewXTokenSource}. Setters validate at once; {@link #build()} reports what is missing.
   * Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String baseUrl;
    private boolean allowInsecureHttp;
    private @Nullable String clientId;
    private @Nullable String clientSecret;
    private String gatewaySource = DEFAULT_GATEWAY_SOURCE;
    private String grantType = DEFAULT_GRANT_TYPE;
    private Duration defaultLifetime = DEFAULT_LIFETIME;
    private @Nullable OkHttpClient client;

    private Builder() {}

    /**
     * The AppViewX gateway: {@code https://<host or IP>:<gateway port>/} on-prem (the port is typically 31443), the
     * tenant's host on SaaS. Required; there is no default. Plain {@code http} is refused at {@link #build()}
     * except for loopback hosts or after {@link #allowInsecureHttp()}.
     *
     * @param baseUrl the base URL; {@code avxapi/acctmgmt-get-service-token} is resolved against it
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it is not an http(s) URL, or has user info, a query or a fragment
     */
    public Builder baseUrl(String baseUrl) {
      BaseUrls.parse(baseUrl, true);
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * Allows a plain {@code http} base URL to a host other than loopback. Only for test rigs: the client secret
     * then travels in clear text.
     *
     * @return this builder
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * The service account's client ID. Required.
     *
     * @param clientId the client ID; must not contain {@code ':'}, which HTTP Basic uses as separator
     * @return this builder
     * @throws NullPointerException if {@code clientId} is null
     * @throws IllegalArgumentException if it is blank or contains {@code ':'}
     */
    public Builder clientId(String clientId) {
      Arguments.nonBlank(clientId, "clientId");
      if (clientId.indexOf(':') >= 0) throw new IllegalArgumentException("clientId contains ':'");
      this.clientId = clientId;
      return this;
    }

    /**
     * The service account's client secret. Required; never printed.
     *
     * @param clientSecret the secret
     * @return this builder
     * @throws NullPointerException if {@code clientSecret} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder clientSecret(String clientSecret) {
      this.clientSecret = Arguments.nonBlank(clientSecret, "clientSecret");
      return this;
    }

    /**
     * The {@code gwsource} query parameter. Defaults to {@code "external"}.
     *
     * @param gatewaySource the gateway source
     * @return this builder
     * @throws NullPointerException if {@code gatewaySource} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder gatewaySource(String gatewaySource) {
      this.gatewaySource = Arguments.nonBlank(gatewaySource, "gatewaySource");
      return this;
    }

    /**
     * The {@code grant_type} form field. Defaults to {@code "client_credentials"}, the value the issued tokens'
     * own claims carry (the documentation's table spells it {@code Client_Credentials}).
     *
     * @param grantType the grant type
     * @return this builder
     * @throws NullPointerException if {@code grantType} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder grantType(String grantType) {
      this.grantType = Arguments.nonBlank(grantType, "grantType");
      return this;
    }

    /**
     * The lifetime assumed for a token that is not a JWT with an {@code exp} claim; AppViewX's response states no
     * expiry of its own. Defaults to 15 minutes; like every lifetime, at most 24 hours are used.
     *
     * @param defaultLifetime at least one second
     * @return this builder
     * @throws NullPointerException if {@code defaultLifetime} is null
     * @throws IllegalArgumentException if it is under one second
     */
    public Builder defaultLifetime(Duration defaultLifetime) {
      Objects.requireNonNull(defaultLifetime, "defaultLifetime == null");
      if (defaultLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("defaultLifetime is under one second");
      }
      this.defaultLifetime = defaultLifetime;
      return this;
    }

    /**
     * The app's {@link OkHttpClient}, of which token requests use the network settings only: connection pool,
     * dispatcher, proxy, proxy selector and proxy authenticator, DNS, socket factory, TLS (SSL socket factory, trust
     * manager, hostname verifier, certificate pinner, connection specs, protocols), timeouts, ping interval and retry
     * on connection failure. Its interceptors and network interceptors (logging, headers, an {@link
     * io.servicetoken.AuthorizationInterceptor}, however wrapped), event listener, authenticator, cookie jar and
     * cache are left out, so none of them sees the client secret or the token. Token requests follow no redirects, a
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
     * Creates the source.
     *
     * @return the source
     * @throws IllegalStateException naming the first missing field: {@code "baseUrl required"}, {@code "clientId
     *     required"} or {@code "clientSecret required"}
     * @throws IllegalArgumentException if the base URL is plain {@code http} to a non-loopback host without {@link
     *     #allowInsecureHttp()}
     */
    public AppViewXTokenSource build() {
      HttpUrl url = BaseUrls.parse(Arguments.required(baseUrl, "baseUrl"), allowInsecureHttp);
      String id = Arguments.required(clientId, "clientId");
      String secret = Arguments.required(clientSecret, "clientSecret");
      return new AppViewXTokenSource(this, url, id, secret);
    }
  }
}
