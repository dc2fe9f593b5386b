package io.servicetoken.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link OkHttpClient} token requests go through. When the app gave its own client, the token client keeps what
 * that client says about the network and nothing else:
 *
 * <ul>
 *   <li><b>Kept</b>: connection pool, dispatcher, proxy, proxy selector and proxy authenticator, DNS, socket
 *       factory, SSL socket factory and trust manager, hostname verifier, certificate pinner, connection specs,
 *       protocols, timeouts (connect, read, write, call), ping interval, retry on connection failure.
 *   <li><b>Dropped</b>: every application and network interceptor (logging, headers, an {@code
 *       AuthorizationInterceptor} however wrapped), the event listener (factory), the authenticator, the cookie
 *       jar and the cache. None of them ever sees a credential, a token request or a token response.
 * </ul>
 *
 * <p>Besides:
 *
 * <ul>
 *   <li>Redirects are not followed: credentials must not travel to another host.
 *   <li>A plain-http request to a loopback host never goes through a proxy (a proxy would read the credentials in
 *       clear and cannot reach this machine's loopback anyway). The app's proxy selector is asked with the scheme,
 *       host and port of a request only, never its path or query.
 *   <li>Timeouts: connect 10 s, read and write 15 s, whole call 30 s by default; a shared client keeps its own,
 *       except that an unbounded call timeout becomes 30 s, since no token request may hang.
 *   <li>{@code User-Agent: servicetoken/<version> <module>}.
 *   <li>Error bodies (non-2xx) are cut after {@link #MAX_ERROR_BODY_BYTES}: Retrofit buffers an error body whole
 *       before a vendor module reads the first 64 KiB of it, so a huge or endless error page would otherwise be
 *       held in memory (10 MB took 11 MB of heap per call; see docs/RELIABILITY.md).
 *   <li>A delay-seconds {@code Retry-After} beyond the SDK's one-hour cap is clamped to it before OkHttp's own
 *       408/503 handling reads it (OkHttp throws {@code NumberFormatException} past 2^31).
 * </ul>
 *
 * <p>Requests run synchronously on the subscribing thread ({@code execute()}), so they never wait for a thread of
 * the app's dispatcher.
 */
public final class TokenHttpClient {
  static final long CONNECT_TIMEOUT_SECONDS = 10;
  static final long READ_TIMEOUT_SECONDS = 15;
  static final long CALL_TIMEOUT_SECONDS = 30;

  /** One byte beyond what vendor modules read, so that they still see an error body as too long. */
  static final long MAX_ERROR_BODY_BYTES = VendorErrors.MAX_ERROR_BODY_BYTES + 1;

  /** The longest {@code Retry-After} in seconds that reaches OkHttp and the SDK: what the SDK caps it at anyway. */
  static final long MAX_RETRY_AFTER_SECONDS = VendorErrors.MAX_RETRY_AFTER.getSeconds();

  private TokenHttpClient() {}

  /**
   * The client for {@code module}'s token requests: a new client that copies only the network settings of {@code
   * appClient} when given (see the class comment for what is kept and dropped).
   */
  public static OkHttpClient create(@Nullable OkHttpClient appClient, String module) {
    // A new builder rather than appClient.newBuilder() minus the hooks: whatever OkHttp adds to a client in a later
    // version (a new kind of listener or interceptor) is then left out by default instead of slipping through,
    // and a network setting this list does not name simply takes OkHttp's default.
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    if (appClient == null) {
      builder
          .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .writeTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .callTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .proxySelector(new LoopbackDirect(null, ProxySelector.getDefault()));
    } else {
      copyNetworkSettings(appClient, builder);
    }
    String userAgent = "servicetoken/" + Version.get() + " " + module;
    return builder
        .followRedirects(false)
        .followSslRedirects(false)
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build()))
        .addInterceptor(chain -> capErrorBody(chain.proceed(chain.request())))
        .addNetworkInterceptor(chain -> clampRetryAfter(chain.proceed(chain.request())))
        .build();
  }

  private static void copyNetworkSettings(OkHttpClient app, OkHttpClient.Builder builder) {
    builder
        .connectionPool(app.connectionPool())
        .dispatcher(app.dispatcher())
        .proxySelector(new LoopbackDirect(app.proxy(), app.proxySelector()))
        .proxyAuthenticator(app.proxyAuthenticator())
        .dns(app.dns())
        .socketFactory(app.socketFactory())
        .hostnameVerifier(app.hostnameVerifier())
        .certificatePinner(app.certificatePinner())
        .connectionSpecs(app.connectionSpecs())
        .protocols(app.protocols())
        .connectTimeout(app.connectTimeoutMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(app.readTimeoutMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(app.writeTimeoutMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(
            app.callTimeoutMillis() == 0 ? TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS) : app.callTimeoutMillis(),
            TimeUnit.MILLISECONDS)
        .pingInterval(app.pingIntervalMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(app.retryOnConnectionFailure());
    // Null only for a cleartext-only client (no TLS connection spec), which has no SSL socket factory either.
    X509TrustManager trustManager = app.x509TrustManager();
    if (trustManager != null) builder.sslSocketFactory(app.sslSocketFactory(), trustManager);
  }

  /** {@code response} with at most {@link #MAX_ERROR_BODY_BYTES} of its body when it is not a 2xx. */
  static Response capErrorBody(Response response) throws IOException {
    ResponseBody body = response.body();
    if (response.isSuccessful() || body == null) return response;
    Buffer buffer = new Buffer();
    try (ResponseBody closing = body) {
      BufferedSource source = closing.source();
      while (buffer.size() < MAX_ERROR_BODY_BYTES) {
        if (source.read(buffer, MAX_ERROR_BODY_BYTES - buffer.size()) == -1) break;
      }
    }
    return response.newBuilder().body(ResponseBody.create(buffer, body.contentType(), buffer.size())).build();
  }

  /**
   * {@code response} with a delay-seconds {@code Retry-After} above {@link #MAX_RETRY_AFTER_SECONDS} replaced by that
   * maximum. OkHttp reads the header of a 408 or 503 itself (to decide on a retry of its own) with {@code
   * Integer.valueOf}, which throws past 2^31; the SDK caps the delay at the same maximum, so nothing is lost.
   */
  static Response clampRetryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null || !VendorErrors.isOverlongDelaySeconds(value.trim())) return response;
    return response.newBuilder().header("Retry-After", Long.toString(MAX_RETRY_AFTER_SECONDS)).build();
  }

  /**
   * The app's proxy settings, except that a plain-http request to a loopback host goes direct: through a proxy,
   * the credentials it carries would be read in clear by the proxy.
   */
  static final class LoopbackDirect extends ProxySelector {
    private static final List<Proxy> DIRECT = Collections.singletonList(Proxy.NO_PROXY);

    /** The app's fixed proxy, which OkHttp prefers over any selector; null when it has none. */
    private final @Nullable Proxy proxy;
    private final @Nullable ProxySelector delegate;

    LoopbackDirect(@Nullable Proxy proxy, @Nullable ProxySelector delegate) {
      this.proxy = proxy;
      this.delegate = delegate;
    }

    @Override
    public List<Proxy> select(URI uri) {
      if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && BaseUrls.isLoopback(host(uri))) {
        return DIRECT;
      }
      if (proxy != null) return Collections.singletonList(proxy);
      if (delegate == null) return DIRECT;
      List<Proxy> proxies = delegate.select(origin(uri));
      return proxies == null || proxies.isEmpty() ? DIRECT : proxies;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
      if (proxy == null && delegate != null && address instanceof InetSocketAddress) {
        delegate.connectFailed(origin(uri), address, failure);
      }
    }

    /**
     * Scheme, host and port only: OkHttp passes the whole URL, and a token request's query may hold a secret
     * (VIVEPORT's app secret), which the app's selector has no business seeing.
     */
    static URI origin(URI uri) {
      try {
        return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), "/", null, null);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("not a URL with a host", e);
      }
    }

    /** The host without the brackets {@link URI} keeps around an IPv6 literal. */
    private static String host(URI uri) {
      String host = uri.getHost();
      return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
  }
}
