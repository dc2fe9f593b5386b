package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Authenticator;
import okhttp3.Cache;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the token client keeps of the app's {@link OkHttpClient} (its network settings) and what it drops (every hook
 * that could see a credential), over real HTTP on loopback.
 */
class TokenHttpClientTest {
  private static final String SECRET = "app-secret-8f3Kq2";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /** One token-like request through the token client derived from {@code app}. */
  private RecordedRequest tokenRequest(OkHttpClient app, HttpUrl url) throws Exception {
    server.enqueue(new MockResponse().setBody("{\"token\":\"issued-token-value\"}"));
    OkHttpClient client = TokenHttpClient.create(app, "token-test");
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      assertEquals(200, response.code());
      response.body().string();
    }
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request, "the token request reached the server");
    return request;
  }

  private HttpUrl secretUrl() {
    return server.url("/token").newBuilder().addQueryParameter("appSecret", SECRET).build();
  }

  @Test
  void everyNetworkSettingOfTheAppsClientIsKept() throws Exception {
    X509TrustManager trustManager = defaultTrustManager();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
    ConnectionPool pool = new ConnectionPool(2, 1, TimeUnit.MINUTES);
    Dispatcher dispatcher = new Dispatcher();
    Dns dns = hostname -> Dns.SYSTEM.lookup(hostname);
    SocketFactory sockets = SocketFactory.getDefault();
    HostnameVerifier verifier = (hostname, session) -> true;
    CertificatePinner pinner =
        new CertificatePinner.Builder().add("token.example", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").build();
    List<ConnectionSpec> specs = Arrays.asList(ConnectionSpec.RESTRICTED_TLS, ConnectionSpec.CLEARTEXT);
    Authenticator proxyAuthenticator = (route, response) -> null;
    OkHttpClient app =
        new OkHttpClient.Builder()
            .connectionPool(pool)
            .dispatcher(dispatcher)
            .dns(dns)
            .socketFactory(sockets)
            .sslSocketFactory(tls.getSocketFactory(), trustManager)
            .hostnameVerifier(verifier)
            .certificatePinner(pinner)
            .connectionSpecs(specs)
            .protocols(Collections.singletonList(Protocol.HTTP_1_1))
            .proxyAuthenticator(proxyAuthenticator)
            .connectTimeout(1, TimeUnit.SECONDS)
            .readTimeout(2, TimeUnit.SECONDS)
            .writeTimeout(3, TimeUnit.SECONDS)
            .callTimeout(4, TimeUnit.SECONDS)
            .pingInterval(5, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false)
            .build();

    OkHttpClient client = TokenHttpClient.create(app, "token-test");

    assertSame(pool, client.connectionPool());
    assertSame(dispatcher, client.dispatcher());
    assertSame(dns, client.dns());
    assertSame(sockets, client.socketFactory());
    assertSame(app.sslSocketFactory(), client.sslSocketFactory());
    assertSame(trustManager, client.x509TrustManager());
    assertSame(verifier, client.hostnameVerifier());
    assertEquals(pinner.getPins(), client.certificatePinner().getPins());
    assertEquals(specs, client.connectionSpecs());
    assertEquals(Collections.singletonList(Protocol.HTTP_1_1), client.protocols());
    assertSame(proxyAuthenticator, client.proxyAuthenticator());
    assertEquals(1_000, client.connectTimeoutMillis());
    assertEquals(2_000, client.readTimeoutMillis());
    assertEquals(3_000, client.writeTimeoutMillis());
    assertEquals(4_000, client.callTimeoutMillis());
    assertEquals(5_000, client.pingIntervalMillis());
    assertFalse(client.retryOnConnectionFailure());
  }

  @Test
  void aCleartextOnlyAppClientStaysCleartextOnly() throws Exception {
    OkHttpClient app = new OkHttpClient.Builder().connectionSpecs(Collections.singletonList(ConnectionSpec.CLEARTEXT)).build();
    OkHttpClient client = TokenHttpClient.create(app, "token-test");
    assertNull(client.x509TrustManager());
    assertEquals("/token?appSecret=" + SECRET, tokenRequest(app, secretUrl()).getPath());
  }

  @Test
  void everyHookOfTheAppsClientIsDropped(@TempDir File cacheDir) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    OkHttpClient app =
        new OkHttpClient.Builder()
            .addInterceptor(chain -> {
              seen.add("interceptor " + chain.request().url());
              return chain.proceed(chain.request().newBuilder().header("X-Api-Key", "app-backend-key").build());
            })
            .addNetworkInterceptor(chain -> {
              seen.add("network interceptor " + chain.request().headers());
              return chain.proceed(chain.request());
            })
            .eventListener(new EventListener() {
              @Override
              public void callStart(Call call) {
                seen.add("event listener " + call.request().url());
              }
            })
            .authenticator((route, response) -> {
              seen.add("authenticator");
              return null;
            })
            .cookieJar(new CookieJar() {
              @Override
              public void saveFromResponse(HttpUrl url, List<Cookie> cookies) {
                seen.add("cookie jar saw " + url);
              }

              @Override
              public List<Cookie> loadForRequest(HttpUrl url) {
                seen.add("cookie jar asked for " + url);
                return Collections.singletonList(Cookie.parse(url, "session=app-session"));
              }
            })
            .cache(new Cache(cacheDir, 1024 * 1024))
            .build();

    OkHttpClient client = TokenHttpClient.create(app, "token-test");
    RecordedRequest request = tokenRequest(app, secretUrl());

    assertEquals(Collections.emptyList(), seen);
    assertNull(request.getHeader("X-Api-Key"));
    assertNull(request.getHeader("Cookie"));
    for (Interceptor interceptor : client.interceptors()) assertFalse(app.interceptors().contains(interceptor));
    for (Interceptor interceptor : client.networkInterceptors()) {
      assertFalse(app.networkInterceptors().contains(interceptor));
    }
    assertNull(client.cache());
    assertSame(CookieJar.NO_COOKIES, client.cookieJar());
    assertSame(Authenticator.NONE, client.authenticator());
    assertFalse(client.eventListenerFactory() == app.eventListenerFactory());
  }

  @Test
  void anAuthorizationInterceptorWrappedInALambdaNeverSeesTheTokenRequest() throws Exception {
    Token other = Token.builder("vendor-A-token").expiresAt(Instant.now().plusSeconds(3600)).build();
    TokenProvider vendorA = TokenProvider.create(() -> Single.just(other));
    AuthorizationInterceptor authorization = AuthorizationInterceptor.of(vendorA);
    OkHttpClient app =
        new OkHttpClient.Builder()
            .addInterceptor(chain -> authorization.intercept(chain))
            .addNetworkInterceptor(chain -> authorization.intercept(chain))
            .build();
    try {
      assertNull(tokenRequest(app, secretUrl()).getHeader("Authorization"));
    } finally {
      vendorA.close();
    }
  }

  @Test
  void aPlainHttpLoopbackRequestNeverGoesThroughTheAppsProxy() throws Exception {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start(InetAddress.getByName("127.0.0.1"), 0);
      OkHttpClient app =
          new OkHttpClient.Builder()
              .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHostName(), proxy.getPort())))
              .build();
      assertEquals("/token?appSecret=" + SECRET, tokenRequest(app, secretUrl()).getPath());
      assertEquals(0, proxy.getRequestCount());
    }
  }

  @Test
  void aPlainHttpLoopbackRequestNeverGoesThroughTheAppsProxySelector() throws Exception {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start(InetAddress.getByName("127.0.0.1"), 0);
      Proxy viaProxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHostName(), proxy.getPort()));
      OkHttpClient app = new OkHttpClient.Builder().proxySelector(fixed(viaProxy)).build();
      for (String host : new String[] {"localhost", "127.0.0.1"}) {
        HttpUrl url = secretUrl().newBuilder().host(host).build();
        assertEquals("/token?appSecret=" + SECRET, tokenRequest(app, url).getPath());
      }
      assertEquals(0, proxy.getRequestCount());
    }
  }

  @Test
  void otherHostsStillGoThroughTheAppsProxy() throws Exception {
    // The proxy is the MockWebServer itself: it answers the proxied request for a host that does not exist.
    OkHttpClient app =
        new OkHttpClient.Builder()
            .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(server.getHostName(), server.getPort())))
            .build();
    RecordedRequest request = tokenRequest(app, HttpUrl.get("http://token.vendor.test/token"));
    assertEquals("token.vendor.test", HttpUrl.get("http://" + request.getHeader("Host") + "/").host());

    OkHttpClient selecting = new OkHttpClient.Builder()
        .proxySelector(fixed(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(server.getHostName(), server.getPort()))))
        .build();
    request = tokenRequest(selecting, HttpUrl.get("http://token.vendor.test/token"));
    assertEquals("token.vendor.test", HttpUrl.get("http://" + request.getHeader("Host") + "/").host());
  }

  @Test
  void theAppsProxySelectorSeesOnlySchemeHostAndPortNeverTheQuery() throws Exception {
    List<URI> asked = new CopyOnWriteArrayList<>();
    Proxy viaProxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(server.getHostName(), server.getPort()));
    OkHttpClient app = new OkHttpClient.Builder()
        .proxySelector(new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            asked.add(uri);
            return Collections.singletonList(viaProxy);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
        })
        .build();
    tokenRequest(app, HttpUrl.get("http://token.vendor.test:8080/token?appSecret=" + SECRET));
    assertEquals(Collections.singletonList(URI.create("http://token.vendor.test:8080/")), asked);
  }

  @Test
  void loopbackDirectDecidesByTheUrlAlone() {
    Proxy viaProxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example", 3128));
    TokenHttpClient.LoopbackDirect selector = new TokenHttpClient.LoopbackDirect(viaProxy, null);
    assertEquals(Collections.singletonList(Proxy.NO_PROXY), selector.select(URI.create("http://localhost:8080/t")));
    assertEquals(Collections.singletonList(Proxy.NO_PROXY), selector.select(URI.create("http://127.0.0.2/t")));
    assertEquals(Collections.singletonList(Proxy.NO_PROXY), selector.select(URI.create("http://[::1]:8080/t")));
    assertEquals(Collections.singletonList(viaProxy), selector.select(URI.create("https://localhost/t")));
    assertEquals(Collections.singletonList(viaProxy), selector.select(URI.create("http://token.example/t")));
    assertEquals(
        Collections.singletonList(Proxy.NO_PROXY),
        new TokenHttpClient.LoopbackDirect(null, null).select(URI.create("http://token.example/t")));
  }

  private static ProxySelector fixed(Proxy proxy) {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return Collections.singletonList(proxy);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
    };
  }

  private static X509TrustManager defaultTrustManager() throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((java.security.KeyStore) null);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
