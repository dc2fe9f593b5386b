package io.servicetoken.viveport;

import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.Token;
import io.servicetoken.TokenSource;
import io.servicetoken.internal.Arguments;
import io.servicetoken.internal.BaseUrls;
import io.servicetoken.internal.Redaction;
import io.servicetoken.internal.StoreKey;
import io.servicetoken.internal.TokenHttpClient;
import io.servicetoken.internal.VendorErrors;
import io.servicetoken.internal.VendorRetrofit;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Fetches VIVEPORT service tokens: {@code GET api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=&appSecret=}
 * on {@code https://www.viveport.com/} by default.
 *
 * <pre>{@code
 * TokenSource source = ViveportTokenSource.builder()
 *     .appId("SampleApp")
 *     .appSecret(System.getenv("VIVEPORT_APP_SECRET"))
 *     .build();
 * TokenProvider provider = TokenProvider.create(source);
 * OkHttpClient api = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <p>Expiry: the response's {@code expire} (UNIX seconds on VIVEPORT's clock) and the token's own JWT {@code exp}
 * claim both bound the token, the earlier winning; each is read against the first clock that makes it a plausible
 * lifetime (one second to 24 hours): the response's {@code Date} header, the local clock, then (without a {@code
 * Date}) the JWT's {@code iat}. No token lives longer than its own {@code exp - iat} or 24 hours.
 *
 * <p>Errors: 400 gives an {@link io.servicetoken.InvalidTokenRequestException}, 403 a {@link
 * io.servicetoken.CredentialsRejectedException}, 500 (and other 5xx, 408, 429, connection failures) a retryable
 * {@link io.servicetoken.TokenServiceException}, and a 2xx without a usable token or expiry a {@link
 * io.servicetoken.MalformedTokenResponseException}. The app secret travels in the query string; no message,
 * {@code toString()} or cause chain of this module contains it, and URLs are printed with query values redacted.
 *
 * <p>{@link #fetch()} is cold and does its request on the subscribing thread. Instances are immutable and
 * thread-safe.
 */
public final class ViveportTokenSource implements TokenSource {
  /** VIVEPORT's production base URL, used unless {@link Builder#baseUrl(String)} says otherwise. */
  public static final String DEFAULT_BASE_URL = "https://www.viveport.com/";

  static final String VENDOR = "viveport";
  static final String MODULE = "token-viveport";

  private static final Moshi MOSHI = new Moshi.Builder().build();

  private final String appId;
  private final String appSecret;
  private final HttpUrl baseUrl;
  private final ViveportApi api;
  private final VendorErrors errors;
  private final StoreKey storeKey;

  private ViveportTokenSource(Builder builder, HttpUrl baseUrl) {
    this.appId = Arguments.required(builder.appId, "appId");
    this.appSecret = Arguments.required(builder.appSecret, "appSecret");
    this.baseUrl = baseUrl;
    OkHttpClient client = TokenHttpClient.create(builder.client, MODULE);
    this.api = VendorRetrofit.create(baseUrl, client, MOSHI, null).create(ViveportApi.class);
    // Redaction scrubs the secret's percent-encoded spelling (as it travels in the query) too.
    this.errors = new VendorErrors(VENDOR, appSecret);
    this.storeKey = StoreKey.builder(VENDOR, baseUrl).field("appId", appId).secret(appSecret).build();
  }

  /**
   * Starts a source. {@link Builder#appId(String)} and {@link Builder#appSecret(String)} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One request for a service token per subscription, made on the subscribing thread.
   *
   * @return a cold {@link Single} emitting the token, or a {@link io.servicetoken.TokenException}
   */
  @Override
  public Single<Token> fetch() {
    return api.serviceToken(appId, appSecret).map(this::toToken).onErrorResumeNext(errors::resume);
  }

  /**
   * The key under which a {@link io.servicetoken.TokenStore} shares this source's tokens with other processes: a
   * SHA-256 of the vendor, the base URL, the app ID and a slow hash (PBKDF2) of the app secret. Processes configured
   * alike get the same key; one with another (a rotated or wrong) secret gets another, so its failures cannot poison
   * the others' shared cool-down. None of the fields and not the secret can be read from the key. Computed on the first
   * call (tens of milliseconds), then kept.
   *
   * @return 64 lower-case hex digits
   */
  @Override
  public String storeKey() {
    return storeKey.get();
  }

  /**
   * The app ID (not a secret) and the base URL; never the app secret.
   *
   * @return for example {@code ViveportTokenSource{appId=SampleApp, baseUrl=https://www.viveport.com/}}
   */
  @Override
  public String toString() {
    return "ViveportTokenSource{appId=" + Redaction.field(appId)
        + ", baseUrl=" + baseUrl + '}';
  }

  private Token toToken(Response<ViveportServiceToken> response) {
    if (!response.isSuccessful()) {
      ErrorBody error = ErrorBody.parse(VendorErrors.errorBodyText(response));
      throw errors.httpError(response, error.code, error.message);
    }
    ViveportServiceToken body = response.body();
    if (body == null) throw errors.malformed(response, "HTTP " + response.code() + " without a body");
    String value = errors.requireToken(response, body.serviceToken(), "serviceToken");
    return errors.token(
        response, value, null, errors.expiry(response).expiresAtOnServer(body.expire()).token(value));
  }

  /** Configures a {@link ViveportTokenSource}. Setters validate at once; {@link #build()} checks completeness. */
  public static final class Builder {
    private @Nullable String appId;
    private @Nullable String appSecret;
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable OkHttpClient client;
    private boolean allowInsecureHttp;

    private Builder() {}

    /**
     * The VIVEPORT ID of the title requiring access to VIVEPORT internal services. Required.
     *
     * @param appId the app ID
     * @return this builder
     * @throws NullPointerException if {@code appId} is null
     * @throws IllegalArgumentException if {@code appId} is blank
     */
    public Builder appId(String appId) {
      this.appId = Arguments.nonBlank(appId, "appId");
      return this;
    }

    /**
     * The app secret provided by VIVEPORT support. Required. It is sent in the query string and never printed.
     *
     * @param appSecret the app secret
     * @return this builder
     * @throws NullPointerException if {@code appSecret} is null
     * @throws IllegalArgumentException if {@code appSecret} is blank
     */
    public Builder appSecret(String appSecret) {
      this.appSecret = Arguments.nonBlank(appSecret, "appSecret");
      return this;
    }

    /**
     * The base URL the endpoint's path is resolved against; {@value ViveportTokenSource#DEFAULT_BASE_URL} by
     * default. Must be {@code https}, except for loopback hosts or after {@link #allowInsecureHttp()}; a path
     * prefix is kept and a missing trailing slash added.
     *
     * @param baseUrl for example {@code "https://www.viveport.com/"}
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it is not an http(s) URL, or has user info, a query or a fragment
     */
    public Builder baseUrl(String baseUrl) {
      // The https rule waits for build(), since allowInsecureHttp() may still follow.
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
     * cache are left out, so none of them sees the app secret or the token. Token requests follow no redirects, a
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
     * Permits a plain {@code http://} base URL to a non-loopback host, for test environments behind a trusted
     * network. The app secret then travels unencrypted: never use this in production.
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
     * @throws IllegalStateException if {@code appId} or {@code appSecret} was not set
     * @throws IllegalArgumentException if the base URL is plain {@code http} to a non-loopback host without
     *     {@link #allowInsecureHttp()}
     */
    public ViveportTokenSource build() {
      Arguments.required(appId, "appId");
      Arguments.required(appSecret, "appSecret");
      return new ViveportTokenSource(this, BaseUrls.parse(baseUrl, allowInsecureHttp));
    }

    /**
     * The app ID and base URL set so far; never the app secret.
     *
     * @return a description safe to log
     */
    @Override
    public String toString() {
      return "ViveportTokenSource.Builder{appId=" + Redaction.field(appId)
          + ", baseUrl=" + Redaction.field(baseUrl) + '}';
    }
  }
}
