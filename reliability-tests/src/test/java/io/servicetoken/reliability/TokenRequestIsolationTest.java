package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token request never passes through the hooks of the app's {@link OkHttpClient} that the source was given with
 * {@code .client(..)}: each hook an ordinary app has (OkHttp's own {@link HttpLoggingInterceptor} at {@code BODY}
 * and at {@code HEADERS} as a network interceptor, an {@link EventListener}, a header interceptor, an {@link
 * AuthorizationInterceptor} for another vendor hidden in a lambda, an HTTP proxy) against all five vendor sources,
 * over real HTTP on loopback. Before the fix, each of them saw the credentials or the token (issue 16.1).
 */
class TokenRequestIsolationTest {
  private static final String ISSUED = "issued-token-7Qm2xWv9";

  private final MockWebServer endpoint = new MockWebServer();
  private final List<String> logged = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    endpoint.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    endpoint.shutdown();
  }

  /** One fetch through {@code vendor}'s source built on {@code app}: the token, and the request as it arrived. */
  private RecordedRequest fetchThrough(Vendor vendor, OkHttpClient app) throws InterruptedException {
    endpoint.enqueue(Fault.json(vendor.healthy(ISSUED)));
    TokenSource source = vendor.source(endpoint.url("/"), app);
    Token token = source.fetch().timeout(10, TimeUnit.SECONDS).blockingGet();
    assertEquals(ISSUED, token.value());
    RecordedRequest request = endpoint.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request, "the token request reached the endpoint");
    return request;
  }

  private HttpLoggingInterceptor logging(HttpLoggingInterceptor.Level level) {
    HttpLoggingInterceptor interceptor = new HttpLoggingInterceptor(logged::add);
    interceptor.setLevel(level);
    return interceptor;
  }

  private void assertNothingLogged(Vendor vendor) {
    assertEquals(List.of(), logged, "lines the app's logger received");
    SecretScanner.assertNoSecret(String.join("\n", logged), vendor.secrets());
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anAppLoggingInterceptorAtBodyLevelSeesNoTokenRequest(Vendor vendor) throws Exception {
    fetchThrough(vendor, new OkHttpClient.Builder().addInterceptor(logging(HttpLoggingInterceptor.Level.BODY)).build());
    assertNothingLogged(vendor);
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anAppHeadersLoggingNetworkInterceptorSeesNoTokenRequest(Vendor vendor) throws Exception {
    fetchThrough(
        vendor,
        new OkHttpClient.Builder().addNetworkInterceptor(logging(HttpLoggingInterceptor.Level.HEADERS)).build());
    assertNothingLogged(vendor);
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anAppEventListenerSeesNoTokenRequest(Vendor vendor) throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    OkHttpClient app =
        new OkHttpClient.Builder()
            .eventListener(new EventListener() {
              @Override
              public void callStart(Call call) {
                events.add("callStart " + call.request().url());
              }

              @Override
              public void callEnd(Call call) {
                events.add("callEnd " + call.request().url());
              }
            })
            .build();
    fetchThrough(vendor, app);
    assertEquals(List.of(), events);
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anAppHeaderInterceptorDoesNotSendTheAppsApiKeyToTheVendor(Vendor vendor) throws Exception {
    OkHttpClient app =
        new OkHttpClient.Builder()
            .addInterceptor(chain ->
                chain.proceed(chain.request().newBuilder().header("X-Api-Key", "app-backend-key").build()))
            .build();
    assertNull(fetchThrough(vendor, app).getHeader("X-Api-Key"));
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anotherVendorsAuthorizationInterceptorHiddenInALambdaDoesNotSendItsToken(Vendor vendor) throws Exception {
    Token vendorAToken = Token.builder("vendor-A-token-Zr8").expiresAt(Instant.now().plusSeconds(3600)).build();
    try (TokenProvider vendorA = TokenProvider.create(() -> Single.just(vendorAToken))) {
      AuthorizationInterceptor authorization = AuthorizationInterceptor.of(vendorA);
      OkHttpClient app =
          new OkHttpClient.Builder()
              .addInterceptor(chain -> authorization.intercept(chain))
              .addNetworkInterceptor(chain -> authorization.intercept(chain))
              .build();
      String sent = fetchThrough(vendor, app).getHeader("Authorization");
      // AppViewX sends its own Basic credentials; nobody sends vendor A's bearer token.
      assertTrue(sent == null || !sent.contains(vendorAToken.value()), "Authorization: " + sent);
    }
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void aGzipBombIsReadOnlyAsFarAsTheSdkCapsNotThroughTheAppsLoggingInterceptor(Vendor vendor) throws Exception {
    OkHttpClient app =
        new OkHttpClient.Builder().addInterceptor(logging(HttpLoggingInterceptor.Level.BODY)).build();
    TokenSource source = vendor.source(endpoint.url("/"), app);
    endpoint.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setHeader("Content-Encoding", "gzip")
            .setBody(GzipBomb.BODY.clone()));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    TestObserver<Token> fetched = source.fetch().test();
    assertTrue(fetched.await(10, TimeUnit.SECONDS), "fetch ended");
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

    fetched.assertError(MalformedTokenResponseException.class);
    assertTrue(allocated < 8L * 1024 * 1024,
        "allocated " + allocated + " bytes for a body of " + GzipBomb.INFLATED_BYTES + " bytes inflated");
    assertNothingLogged(vendor);
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void aPlainHttpLoopbackTokenRequestNeverGoesThroughTheAppsHttpProxy(Vendor vendor) throws Exception {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start(InetAddress.getByName("127.0.0.1"), 0);
      OkHttpClient app =
          new OkHttpClient.Builder()
              .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHostName(), proxy.getPort())))
              .build();
      RecordedRequest request = fetchThrough(vendor, app);
      assertFalse(request.getRequestLine().contains("http://"), request.getRequestLine());
      assertEquals(0, proxy.getRequestCount(), "requests the proxy received");
    }
  }

  /** 64 MiB of zeros, gzipped to about 64 KiB: what a hostile endpoint sends to exhaust an app's memory. */
  private static final class GzipBomb {
    static final long INFLATED_BYTES = 64L * 1024 * 1024;
    static final Buffer BODY = create();

    private static Buffer create() {
      Buffer compressed = new Buffer();
      try (GZIPOutputStream gzip = new GZIPOutputStream(compressed.outputStream())) {
        byte[] zeros = new byte[64 * 1024];
        for (long written = 0; written < INFLATED_BYTES; written += zeros.length) gzip.write(zeros);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return compressed;
    }
  }
}
