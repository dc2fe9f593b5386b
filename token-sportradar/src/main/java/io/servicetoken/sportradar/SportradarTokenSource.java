package io.servicetoken.sportradar;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.internal.Arguments;
import io.servicetoken.internal.BaseUrls;
import io.servicetoken.internal.Redaction;
import io.servicetoken.internal.StoreKey;
import io.servicetoken.internal.TokenHttpClient;
import io.servicetoken.internal.VendorErrors;
import io.servicetoken.internal.VendorRetrofit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Sportradar (Synergy) product tokens: exchanges a single-sign-on user identity token for a token to one product of
 * one customer ({@code POST v1/products/token}).
 *
 * <pre>{@code
 * TokenSource source = SportradarTokenSource.builder()
 *     .userIdentityToken(ssoProvider)          // or a fixed String, or any TokenSource
 *     .product("videostream_manager")
 *     .customerId(345)
 *     .build();
 * TokenProvider provider = TokenProvider.create(source);
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <p>The identity token itself expires, so it can come from another {@link TokenSource} (an SSO source, or {@code
 * () -> ssoProvider.token()}) or a {@link TokenProvider}: every product-token fetch then first obtains a currently
 * valid identity token and posts it. A failure to obtain it reaches the subscriber as it is.
 *
 * <p>Expiry: {@code data.expiresIn} seconds from reception, bounded by the product token's JWT {@code exp} claim
 * when it has one; one hour (the documentation's sample lifetime) when neither is stated.
 *
 * <p>Errors: HTTP 401 and 403 are a {@link io.servicetoken.CredentialsRejectedException}, other 4xx an {@link
 * io.servicetoken.InvalidTokenRequestException}, 408, 429 and 5xx a {@link io.servicetoken.TokenServiceException};
 * {@code meta.code} of an error body, where present, is the exception's {@code errorCode()}.
 *
 * <p>Each subscription to {@link #fetch()} makes one request, on the subscribing thread. The identity token never
 * appears in {@link #toString()} or in any exception.
 */
public final class SportradarTokenSource implements TokenSource {
  /** The vendor name every error carries. */
  static final String VENDOR = "sportradar";

  /** The documented production host. */
  static final String DEFAULT_BASE_URL = "https://token.connect.sportradar.com/";

  /** The lifetime of the documentation's sample ({@code "expiresIn": 3600}), for an answer that states none. */
  static final Duration FALLBACK_LIFETIME = Duration.ofHours(1);


  private final SportradarApi api;
  private final Moshi moshi;
  private final HttpUrl baseUrl;
  private final @Nullable String fixedIdentityToken;
  private final @Nullable TokenSource identitySource;
  private final @Nullable TokenProvider identityProvider;
  private final @Nullable VendorErrors fixedErrors;
  private final String product;
  private final String customerId;
  private final @Nullable List<String> scopes;
  private final @Nullable StoreKey storeKey;

  private SportradarTokenSource(Builder builder, HttpUrl baseUrl) {
    this.baseUrl = baseUrl;
    this.moshi = new Moshi.Builder().build();
    OkHttpClient client = TokenHttpClient.create(builder.client, "token-sportradar");
    this.api = VendorRetrofit.create(baseUrl, client, moshi, null).create(SportradarApi.class);
    this.fixedIdentityToken = builder.userIdentityToken;
    this.identitySource = builder.identitySource;
    this.identityProvider = builder.identityProvider;
    this.fixedErrors = fixedIdentityToken != null ? new VendorErrors(VENDOR, fixedIdentityToken) : null;
    this.product = Arguments.required(builder.product, "product");
    this.customerId = Arguments.required(builder.customerId, "customerId");
    this.scopes = builder.scopes;
    String fixed = fixedIdentityToken;
    this.storeKey = fixed != null ? accountKey().secret(fixed).build() : null;
  }

  /** The store key's fields besides the identity: vendor, base URL, product, customer, scopes. */
  private StoreKey.Builder accountKey() {
    StoreKey.Builder key =
        StoreKey.builder(VENDOR, baseUrl).field("product", product).field("customerId", customerId);
    List<String> scopeList = scopes;
    key.field("scopes", scopeList == null ? null : Integer.toString(scopeList.size()));
    if (scopeList != null) {
      for (String scope : scopeList) key.field("scope", scope);
    }
    return key;
  }

  /**
   * Starts a source; {@code userIdentityToken}, {@code product} and {@code customerId} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One product-token request: obtains the identity token (from its source, when one was given), posts it, and
   * emits the product token or a {@link io.servicetoken.TokenException}. Cold: each subscription is one request on
   * the subscribing thread.
   *
   * @return the product token
   */
  @Override
  public Single<Token> fetch() {
    String fixed = fixedIdentityToken;
    if (fixed != null) return request(fixed, Objects.requireNonNull(fixedErrors));
    TokenSource source = Objects.requireNonNull(identitySource);
    // The identity source's own failure passes through untouched: it is already what its source meant.
    return source.fetch().flatMap(identity -> {
      String value = identity.value();
      Single<Token> product = request(value, new VendorErrors(VENDOR, value));
      TokenProvider provider = identityProvider;
      if (provider == null) return product;
      // A rejected identity token must not stay cached in the SSO provider until its own expiry.
      return product.doOnError(e -> {
        if (e instanceof CredentialsRejectedException) provider.invalidate(identity);
      });
    });
  }

  private Single<Token> request(String identityToken, VendorErrors errors) {
    ProductTokenRequest body = ProductTokenRequest.create(identityToken, product, customerId, scopes);
    return api.productToken(body)
        .map(response -> toToken(response, errors))
        .onErrorResumeNext(errors::resume);
  }

  private Token toToken(Response<ProductTokenResponse> response, VendorErrors errors) {
    if (!response.isSuccessful()) {
      ErrorBody error = ErrorBody.read(moshi, VendorErrors.errorBodyText(response));
      throw errors.httpError(response, error.code, error.message);
    }
    ProductTokenResponse body = response.body();
    if (body == null) throw errors.malformed(response, "no body");
    ProductTokenResponse.Data data = body.data();
    if (data == null) throw errors.malformed(response, "no data object in the response");
    String token = errors.requireToken(response, data.token(), "data.token");
    return errors.token(
        response,
        token,
        data.tokenType(),
        errors.expiry(response).expiresIn(data.expiresIn()).token(token).fallback(FALLBACK_LIFETIME));
  }

  /**
   * The key under which a {@link io.servicetoken.TokenStore} shares this source's product tokens with other
   * processes: a SHA-256 of the vendor, the base URL, the product, the customer ID, the scopes and either a slow hash
   * (PBKDF2) of a fixed identity token or the store key of the identity source. Processes configured alike get the
   * same key; another (a rotated or wrong) identity token gives another one. None of the fields and not the identity
   * token can be read from the key. Computed on the first call (tens of milliseconds), then kept.
   *
   * <p>Null when the identity token comes from a {@link TokenProvider}, or from a {@link TokenSource} without a store
   * key of its own: product tokens are per user, and such a source could stand for any user, so a store needs an
   * explicit key ({@code TokenProvider.builder(source).store(store, key)}).
   *
   * @return 64 lower-case hex digits, or null
   */
  @Override
  public @Nullable String storeKey() {
    StoreKey key = storeKey;
    if (key != null) return key.get();
    TokenSource source = identitySource;
    if (identityProvider != null || source == null) return null;
    String identityKey = source.storeKey();
    // No secret here (the identity source's key stands for it), so this is one SHA-256: not worth keeping.
    return identityKey == null ? null : accountKey().field("identitySource", identityKey).build().get();
  }

  /** Describes the source without the identity token. */
  @Override
  public String toString() {
    String identity =
        fixedIdentityToken != null ? "██" : identityProvider != null ? "TokenProvider" : "TokenSource";
    return "SportradarTokenSource{baseUrl=" + Redaction.url(baseUrl)
        + ", product=" + Redaction.field(product)
        + ", customerId=" + Redaction.field(customerId)
        + (scopes != null ? ", scopes=" + Redaction.field(String.valueOf(scopes)) : "")
        + ", userIdentityToken=" + identity + '}';
  }

  /** What a non-2xx body says, read leniently: any body, even garbage, yields at worst nothing. */
  static final class ErrorBody {
    static final ErrorBody NONE = new ErrorBody(null, null);

    final @Nullable String code;
    final @Nullable String message;

    private ErrorBody(@Nullable String code, @Nullable String message) {
      this.code = code;
      this.message = message;
    }

    static ErrorBody read(Moshi moshi, String text) {
      if (text.isEmpty()) return NONE;
      try {
        JsonAdapter<Object> adapter = moshi.adapter(Object.class).lenient();
        Object json = adapter.fromJson(text);
        if (!(json instanceof Map)) return NONE;
        Map<?, ?> root = (Map<?, ?>) json;
        Object meta = root.get("meta");
        Object data = root.get("data");
        String code = meta instanceof Map ? text(((Map<?, ?>) meta).get("code")) : null;
        if (code == null) code = text(root.get("code"));
        String message = null;
        for (Object candidate : Arrays.asList(
            meta instanceof Map ? ((Map<?, ?>) meta).get("message") : null,
            data instanceof Map ? ((Map<?, ?>) data).get("message") : null,
            root.get("message"),
            root.get("error_description"),
            root.get("error"))) {
          message = text(candidate);
          if (message != null) break;
        }
        return new ErrorBody(code, message);
      } catch (Exception e) {
        // Not JSON, truncated, or cut off: the HTTP status alone classifies the failure.
        return NONE;
      }
    }

    /** Strings as they are; numbers without a spurious ".0"; anything else (objects, lists) as absent. */
    private static @Nullable String text(@Nullable Object value) {
      if (value instanceof String) return ((String) value).trim().isEmpty() ? null : (String) value;
      if (value instanceof Double) {
        double number = (Double) value;
        if (number == Math.rint(number) && Math.abs(number) < 1e15) return Long.toString((long) number);
        return value.toString();
      }
      if (value instanceof Boolean) return value.toString();
      return null;
    }
  }

  /**
   * Configures a {@link SportradarTokenSource}. Setters validate at once and name the field, never its value.
   */
  public static final class Builder {
    private @Nullable String userIdentityToken;
    private @Nullable TokenSource identitySource;
    private @Nullable TokenProvider identityProvider;
    private @Nullable String product;
    private @Nullable String customerId;
    private @Nullable List<String> scopes;
    private String baseUrl = DEFAULT_BASE_URL;
    private boolean allowInsecureHttp;
    private @Nullable OkHttpClient client;

    private Builder() {}

    /**
     * A fixed user identity token, as received on login to the single sign-on system. Replaces an identity source
     * set before.
     *
     * @param userIdentityToken the identity token: a secret
     * @return this builder
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder userIdentityToken(String userIdentityToken) {
      this.userIdentityToken = Arguments.nonBlank(userIdentityToken, "userIdentityToken");
      this.identitySource = null;
      this.identityProvider = null;
      return this;
    }

    /**
     * Where each fetch obtains a currently valid identity token, for example an SSO token source or {@code () ->
     * ssoProvider.token()}. Its failures reach the subscriber as they are. Replaces a fixed token set before.
     *
     * @param userIdentityToken the source of identity tokens
     * @return this builder
     * @throws NullPointerException if it is null
     */
    public Builder userIdentityToken(TokenSource userIdentityToken) {
      this.identitySource = Objects.requireNonNull(userIdentityToken, "userIdentityToken == null");
      this.identityProvider = null;
      this.userIdentityToken = null;
      return this;
    }

    /**
     * A provider that caches the identity token: each fetch takes its current token, and when Sportradar rejects
     * that token (401 or 403) the provider is told to {@linkplain TokenProvider#invalidate(Token) invalidate} it, so
     * the next fetch uses a fresh one. Replaces a fixed token or a source set before.
     *
     * @param userIdentityToken the provider of identity tokens
     * @return this builder
     * @throws NullPointerException if it is null
     */
    public Builder userIdentityToken(TokenProvider userIdentityToken) {
      Objects.requireNonNull(userIdentityToken, "userIdentityToken == null");
      this.identitySource = userIdentityToken::token;
      this.identityProvider = userIdentityToken;
      this.userIdentityToken = null;
      return this;
    }

    /**
     * The product to get a token for, such as {@code videostream_manager} (the {@code products/list} call names
     * the ones available to the user).
     *
     * @param product the product name
     * @return this builder
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder product(String product) {
      this.product = Arguments.nonBlank(product, "product");
      return this;
    }

    /**
     * The customer to get a token for (the {@code customers/list} call names the ones available). The
     * documentation types it as a string, yet its sample request sends the number {@code 345}: an id that is a plain
     * decimal number (no sign, no leading zero, at most 15 digits) is sent as a JSON number like the sample, any
     * other id as a JSON string.
     *
     * @param customerId the customer id, such as {@code "345"}
     * @return this builder
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder customerId(String customerId) {
      this.customerId = Arguments.nonBlank(customerId, "customerId");
      return this;
    }

    /**
     * The customer to get a token for, as a number; sent as a JSON number (as a JSON string beyond 15 digits).
     *
     * @param customerId the customer id, such as {@code 345}
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder customerId(long customerId) {
      if (customerId < 0) throw new IllegalArgumentException("customerId is negative");
      this.customerId = Long.toString(customerId);
      return this;
    }

    /**
     * Restricts the token to these permission scopes. Without scopes the field is left out of the request and the
     * token gets every permission available to the user.
     *
     * @param scopes one or more scopes, such as {@code "read:organization"}
     * @return this builder
     * @throws NullPointerException if the array or a scope is null
     * @throws IllegalArgumentException if there is none or one is blank
     */
    public Builder scopes(String... scopes) {
      Objects.requireNonNull(scopes, "scopes == null");
      return scopes(Arrays.asList(scopes));
    }

    /**
     * Restricts the token to these permission scopes. Without scopes the field is left out of the request and the
     * token gets every permission available to the user.
     *
     * @param scopes one or more scopes, such as {@code "read:organization"}
     * @return this builder
     * @throws NullPointerException if the list or a scope is null
     * @throws IllegalArgumentException if the list is empty or a scope is blank
     */
    public Builder scopes(List<String> scopes) {
      Objects.requireNonNull(scopes, "scopes == null");
      this.scopes = ProductTokenRequest.copyScopes(scopes);
      return this;
    }

    /**
     * The token service's base URL; {@code https://token.connect.sportradar.com/} by default. The request goes to
     * {@code v1/products/token} below it. Must be {@code https}, except for loopback hosts or after {@link
     * #allowInsecureHttp()}.
     *
     * @param baseUrl the base URL
     * @return this builder
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is not an http(s) URL or has user info, a query or a fragment
     */
    public Builder baseUrl(String baseUrl) {
      BaseUrls.parse(baseUrl, true); // the form now; the scheme at build(), once allowInsecureHttp() is known
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * Allows a plain {@code http} base URL to a host that is not loopback. The identity token then travels
     * unencrypted: for test rigs only.
     *
     * @return this builder
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * The app's {@link OkHttpClient}, of which token requests use the network settings only: connection pool,
     * dispatcher, proxy, proxy selector and proxy authenticator, DNS, socket factory, TLS (SSL socket factory, trust
     * manager, hostname verifier, certificate pinner, connection specs, protocols), timeouts, ping interval and retry
     * on connection failure. Its interceptors and network interceptors (logging, headers, an {@link
     * io.servicetoken.AuthorizationInterceptor}, however wrapped), event listener, authenticator, cookie jar and
     * cache are left out, so none of them sees the identity token or the token. Token requests follow no redirects, a
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
     * @throws IllegalStateException naming a required field that was not set ({@code "userIdentityToken
     *     required"}, {@code "product required"}, {@code "customerId required"})
     * @throws IllegalArgumentException if the base URL is plain http to a non-loopback host without {@link
     *     #allowInsecureHttp()}
     */
    public SportradarTokenSource build() {
      if (userIdentityToken == null && identitySource == null) {
        throw new IllegalStateException("userIdentityToken required");
      }
      Arguments.required(product, "product");
      Arguments.required(customerId, "customerId");
      return new SportradarTokenSource(this, BaseUrls.parse(baseUrl, allowInsecureHttp));
    }
  }
}
