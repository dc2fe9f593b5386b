package io.servicetoken.singleview;

import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenSource;
import io.servicetoken.internal.Arguments;
import io.servicetoken.internal.BaseUrls;
import io.servicetoken.internal.ExpiryResolver;
import io.servicetoken.internal.Redaction;
import io.servicetoken.internal.StoreKey;
import io.servicetoken.internal.TokenHttpClient;
import io.servicetoken.internal.VendorErrors;
import io.servicetoken.internal.VendorRetrofit;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Fetches SingleView access tokens: one {@code POST v1/api/observice/token} per subscription to {@link #fetch()},
 * with the client ID, client code, merchant ID and grant type as a JSON body.
 *
 * <pre>{@code
 * SingleViewTokenSource source = SingleViewTokenSource.builder()
 *     .baseUrl("https://api.singleview.example/")
 *     .clientId("abcdef83643f61c975")
 *     .clientCode(System.getenv("SINGLEVIEW_CLIENT_CODE"))
 *     .merchantId("jklmno147852qrstuv")
 *     .build();
 * TokenProvider provider = TokenProvider.create(source);
 * OkHttpClient api = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <p>Expiry: {@code expires_in} when it is above zero, bounded by the token's JWT claims when it is a JWT ({@code exp -
 * iat}, and {@code exp} as read on the local clock: a skew-corrected time never overrules {@code expires_in}); with
 * neither, the documented lifetime of 60 minutes; never more than 24 hours.
 *
 * <p>Failures arrive as {@link TokenException}s: HTTP 401 and 403 as {@link CredentialsRejectedException}; an answer
 * with {@code "success": false} as {@link InvalidTokenRequestException} unless its status or error code is about
 * credentials; 408, 429 and 5xx and connection failures as {@link io.servicetoken.TokenServiceException}; a body
 * without a usable token as {@link io.servicetoken.MalformedTokenResponseException}. No message, cause or {@link
 * #toString()} contains the client code.
 */
public final class SingleViewTokenSource implements TokenSource {
  /** The grant type sent unless {@link Builder#grantType(String)} says otherwise, as in the documentation's sample. */
  public static final String DEFAULT_GRANT_TYPE = "client_Credentials";

  /** The lifetime SingleView documents ("valid for a limited period of 60 minutes"), used when nothing else says. */
  public static final Duration DOCUMENTED_LIFETIME = Duration.ofMinutes(60);

  static final String VENDOR = "singleview";
  static final String MODULE = "token-singleview";

  private static final Moshi MOSHI = new Moshi.Builder().build();

  private final HttpUrl baseUrl;
  private final SingleViewTokenRequest request;
  private final SingleViewApi api;
  private final VendorErrors errors;
  private final StoreKey storeKey;

  private SingleViewTokenSource(Builder builder, HttpUrl baseUrl) {
    this.baseUrl = baseUrl;
    this.request =
        SingleViewTokenRequest.of(
            Arguments.required(builder.clientId, "clientId"),
            Arguments.required(builder.clientCode, "clientCode"),
            Arguments.required(builder.merchantId, "merchantId"),
            builder.grantType);
    OkHttpClient client = TokenHttpClient.create(builder.client, MODULE);
    this.api =
        VendorRetrofit.create(baseUrl, client, MOSHI, LeadingZeroFilter.INSTANCE).create(SingleViewApi.class);
    this.errors = new VendorErrors(VENDOR, request.clientCode());
    this.storeKey =
        StoreKey.builder(VENDOR, baseUrl)
            .field("clientId", request.clientId())
            .field("merchantId", request.merchantId())
            .field("grantType", request.grantType())
            .secret(request.clientCode())
            .build();
  }

  /**
   * Starts a source. {@code baseUrl}, {@code clientId}, {@code clientCode} and {@code merchantId} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One token request per subscription, run on the subscribing thread. Emits the token, or a {@link
   * TokenException}.
   *
   * @return a cold {@code Single}
   */
  @Override
  public Single<Token> fetch() {
    return api.token(request).map(this::toToken).onErrorResumeNext(errors::resume);
  }

  private Token toToken(Response<SingleViewTokenResponse> response) {
    if (!response.isSuccessful()) {
      ErrorBody error = ErrorBody.parse(VendorErrors.errorBodyText(response));
      throw errors.httpError(response, error.errorCode, error.message);
    }
    SingleViewTokenResponse body = response.body();
    if (body == null) throw errors.malformed(response, "the response has no body");
    if (Boolean.FALSE.equals(body.success())) throw errors.refusal(
          response, body.errorCode(), "\"success\": false" + (body.message() == null ? "" : ", " + body.message()));
    SingleViewTokenPayload payload = body.payload();
    if (payload == null) throw errors.malformed(response, "no payload in the response");
    String value = errors.requireToken(response, payload.accessToken(), "payload.access_token");
    ExpiryResolver expiry =
        errors.expiry(response).expiresIn(payload.expiresIn()).token(value).fallback(DOCUMENTED_LIFETIME);
    return errors.token(response, value, payload.tokenType(), expiry);
  }

  /**
   * The key under which a {@link io.servicetoken.TokenStore} shares this source's tokens with other processes: a
   * SHA-256 of the vendor, the base URL, the client ID, the merchant ID and the grant type and a slow hash (PBKDF2) of
   * the client code. Processes configured alike get the same key; one with another (a rotated or wrong) client code
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
   * A description safe to log: base URL, client ID, merchant ID and grant type; the client code is masked.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SingleViewTokenSource{baseUrl=" + Redaction.url(baseUrl)
        + ", clientId=" + Redaction.field(request.clientId())
        + ", clientCode=██"
        + ", merchantId=" + Redaction.field(request.merchantId())
        + ", grantType=" + Redaction.field(request.grantType())
        + '}';
  }

  /**
   * Configures a {@link SingleViewTokenSource}. Setters validate at once: null arguments throw {@link
   * NullPointerException}, blank ones {@link IllegalArgumentException}, each naming the field, never its value.
   */
  public static final class Builder {
    private @Nullable HttpUrl baseUrl;
    private @Nullable String clientId;
    private @Nullable String clientCode;
    private @Nullable String merchantId;
    private String grantType = DEFAULT_GRANT_TYPE;
    private @Nullable OkHttpClient client;
    private boolean allowInsecureHttp;

    private Builder() {}

    /**
     * The base URL the token path ({@code v1/api/observice/token}) is resolved against, for example {@code
     * https://api.singleview.example/}. Required: the documentation names no host. HTTPS only, except for loopback
     * hosts or after {@link #allowInsecureHttp()} (checked by {@link #build()}).
     *
     * @param baseUrl an http or https URL without query, fragment or user info
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it is blank or not such a URL
     */
    public Builder baseUrl(String baseUrl) {
      // The scheme is checked in build(), where allowInsecureHttp() is known whatever the call order.
      this.baseUrl = BaseUrls.parse(Arguments.nonBlank(baseUrl, "baseUrl"), true);
      return this;
    }

    /**
     * The "Client ID" SingleView assigned. Required.
     *
     * @param clientId the client ID
     * @return this builder
     * @throws NullPointerException if {@code clientId} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder clientId(String clientId) {
      this.clientId = Arguments.nonBlank(clientId, "clientId");
      return this;
    }

    /**
     * The "Client Code" SingleView assigned: a secret, never shown in messages or {@code toString()}. Required.
     *
     * @param clientCode the client code
     * @return this builder
     * @throws NullPointerException if {@code clientCode} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder clientCode(String clientCode) {
      this.clientCode = Arguments.nonBlank(clientCode, "clientCode");
      return this;
    }

    /**
     * The "Merchant ID" SingleView assigned. Required.
     *
     * @param merchantId the merchant ID
     * @return this builder
     * @throws NullPointerException if {@code merchantId} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder merchantId(String merchantId) {
      this.merchantId = Arguments.nonBlank(merchantId, "merchantId");
      return this;
    }

    /**
     * The grant type sent; {@value SingleViewTokenSource#DEFAULT_GRANT_TYPE} by default, as in the documentation's
     * sample (its field table spells it {@code Client_Credentials}).
     *
     * @param grantType the grant type, sent as it is
     * @return this builder
     * @throws NullPointerException if {@code grantType} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder grantType(String grantType) {
      this.grantType = Arguments.nonBlank(grantType, "grantType");
      return this;
    }

    /**
     * The app's {@link OkHttpClient}, of which token requests use the network settings only: connection pool,
     * dispatcher, proxy, proxy selector and proxy authenticator, DNS, socket factory, TLS (SSL socket factory, trust
     * manager, hostname verifier, certificate pinner, connection specs, protocols), timeouts, ping interval and retry
     * on connection failure. Its interceptors and network interceptors (logging, headers, an {@link
     * io.servicetoken.AuthorizationInterceptor}, however wrapped), event listener, authenticator, cookie jar and
     * cache are left out, so none of them sees the client code or the token. Token requests follow no redirects, a
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
     * Permits a plain {@code http://} base URL to a host that is not loopback. Credentials then travel unencrypted:
     * for test environments only.
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
     * @throws IllegalStateException naming the first missing field ({@code "baseUrl required"}, ...)
     * @throws IllegalArgumentException if the base URL is plain http to a host that is not loopback and {@link
     *     #allowInsecureHttp()} was not called
     */
    public SingleViewTokenSource build() {
      HttpUrl url = BaseUrls.parse(Arguments.required(baseUrl, "baseUrl").toString(), allowInsecureHttp);
      Arguments.required(clientId, "clientId");
      Arguments.required(clientCode, "clientCode");
      Arguments.required(merchantId, "merchantId");
      return new SingleViewTokenSource(this, url);
    }
  }
}
