package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.testing.SecretScanner;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failures the peers' users filed (DESIGN.md, "Known failure modes"), each a test against real vendor sources
 * on loopback. Engine time is virtual ({@link TestScheduler}) wherever the behaviour is about time.
 */
class PeerFailureModesTest {
  private static final String USER = "alice@example.com";
  private static final String PASSWORD = "wonderland-Passw0rd";
  private static final String APP_SECRET = "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y";

  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting(USER, PASSWORD);
  @RegisterExtension final FakeViveport viveport = FakeViveport.accepting("SampleApp", APP_SECRET);

  private final MockWebServer endpoint = new MockWebServer();
  private final MockWebServer api = new MockWebServer();
  private final TestScheduler scheduler = new TestScheduler();

  @BeforeEach
  void start() throws IOException {
    endpoint.start(InetAddress.getByName("127.0.0.1"), 0);
    api.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    endpoint.shutdown();
    api.shutdown();
  }

  private TokenSource vyoptaSource() {
    return VyoptaTokenSource.builder().baseUrl(vyopta.baseUrl().toString()).username(USER).password(PASSWORD).build();
  }

  /** A Vyopta source on the scripted {@link #endpoint}. */
  private TokenSource scriptedSource() {
    return VyoptaTokenSource.builder().baseUrl(endpoint.url("/").toString()).username(USER).password(PASSWORD).build();
  }

  private static MockResponse vyoptaToken(String token) {
    return Fault.json("{\"access_token\": \"" + token + "\", \"expires_in\": 300, \"token_type\": \"bearer\"}");
  }

  @Test
  void stampedeOnExpiryMakesOneRequest() {
    TokenProvider provider = TokenProvider.builder(vyoptaSource()).scheduler(scheduler).build();
    TestObserver<Token> first = provider.token().test();
    scheduler.triggerActions();
    Token expired = first.values().get(0);

    scheduler.advanceTimeBy(FakeVyopta.DEFAULT_LIFETIME.getSeconds() + 1, TimeUnit.SECONDS);
    List<TestObserver<Token>> stampede = new ArrayList<>();
    for (int i = 0; i < 500; i++) stampede.add(provider.token().test());
    scheduler.triggerActions();

    Token fresh = stampede.get(0).values().get(0);
    assertNotEquals(expired.value(), fresh.value());
    for (TestObserver<Token> caller : stampede) caller.assertValue(fresh);
    assertEquals(2, vyopta.requestCount(), "one request at start, one for all 500 callers on expiry");
    provider.close();
  }

  @Test
  void concurrentFirstCallersOnRealThreadsShareOneRequest() throws Exception {
    TokenProvider provider = TokenProvider.create(vyoptaSource());
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Token>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(threads.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          return provider.token().timeout(10, TimeUnit.SECONDS).blockingGet();
        }));
      }
      go.countDown();
      Token token = results.get(0).get(15, TimeUnit.SECONDS);
      for (Future<Token> result : results) assertEquals(token, result.get(15, TimeUnit.SECONDS));
      assertEquals(1, vyopta.requestCount());
    } finally {
      threads.shutdownNow();
      provider.close();
    }
  }

  @Test
  void retryConvoyOn429HonoursOneRetryAfterInsteadOfNRequests() {
    endpoint.enqueue(Fault.json("{\"error\": \"too_many_requests\"}").setResponseCode(429).setHeader("Retry-After", "5"));
    endpoint.enqueue(vyoptaToken("after-the-pause"));
    TokenProvider provider = TokenProvider.builder(scriptedSource()).scheduler(scheduler).build();

    List<TestObserver<Token>> convoy = new ArrayList<>();
    for (int i = 0; i < 200; i++) convoy.add(provider.token().test());
    scheduler.triggerActions();
    assertEquals(1, endpoint.getRequestCount(), "200 callers, one request");

    scheduler.advanceTimeBy(4_999, TimeUnit.MILLISECONDS);
    assertEquals(1, endpoint.getRequestCount(), "nothing before Retry-After");
    for (TestObserver<Token> caller : convoy) caller.assertNoValues().assertNoErrors();

    scheduler.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    assertEquals(2, endpoint.getRequestCount(), "one retry when Retry-After has passed");
    for (TestObserver<Token> caller : convoy) caller.assertValue(token -> token.value().equals("after-the-pause"));
    provider.close();
  }

  @Test
  void tokenExpiringInFlightIsReplacedAndTheRequestReplayedOnce() throws Exception {
    TokenProvider provider = TokenProvider.create(vyoptaSource());
    OkHttpClient app = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
    api.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\": \"token expired\"}"));
    api.enqueue(new MockResponse().setBody("{\"rooms\": []}"));

    try (Response response = app.newCall(new Request.Builder().url(api.url("/rooms")).build()).execute()) {
      assertEquals(200, response.code());
    }
    RecordedRequest rejected = api.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest replayed = api.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(rejected);
    assertNotNull(replayed);
    assertNotEquals(rejected.getHeader("Authorization"), replayed.getHeader("Authorization"));
    assertEquals("Bearer " + vyopta.lastIssuedToken(), replayed.getHeader("Authorization"));
    assertEquals(2, vyopta.requestCount(), "one token, then one replacement");
    provider.close();
  }

  @Test
  void aSecond401IsReturnedToTheCallerInsteadOfLooping() throws Exception {
    TokenProvider provider = TokenProvider.create(vyoptaSource());
    OkHttpClient app = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
    for (int i = 0; i < 5; i++) api.enqueue(new MockResponse().setResponseCode(401));

    try (Response response = app.newCall(new Request.Builder().url(api.url("/rooms")).build()).execute()) {
      assertEquals(401, response.code());
    }
    assertEquals(2, api.getRequestCount(), "the request and one replay");
    assertEquals(2, vyopta.requestCount());
    provider.close();
  }

  @ParameterizedTest(name = "server clock {0} h")
  @ValueSource(ints = {1, -1})
  void deviceClockOneHourOffFetchesOnceAndTheTokenIsUsable(int hours) {
    viveport.serverClockOffset(Duration.ofHours(hours));
    TokenSource source = ViveportTokenSource.builder()
        .baseUrl(viveport.baseUrl().toString()).appId("SampleApp").appSecret(APP_SECRET).build();
    TokenProvider provider = TokenProvider.builder(source).scheduler(scheduler).autoRefresh(true).build();

    TestObserver<Token> first = provider.token().test();
    scheduler.triggerActions();
    Token token = first.values().get(0);
    long lifetime = Duration.between(token.receivedAt(), token.expiresAt()).getSeconds();
    assertTrue(lifetime > 3_500 && lifetime <= 3_601, "skew-corrected lifetime " + lifetime + " s");

    scheduler.advanceTimeBy(30, TimeUnit.MINUTES);
    provider.token().test().assertValue(token);
    assertEquals(1, viveport.requestCount(), "no expire-and-refetch loop");
    SecretScanner.assertNoSecret(token, APP_SECRET);
    provider.close();
  }

  /**
   * With autoRefresh and nobody asking, a 401 (credentials) stops the timer: no login attempt until a caller asks,
   * so 10 minutes cost the one request. A 400 with no usable token left retries in the background at most every
   * 2 minutes, one request each: 1 + 600 s / 120 s = 6 at most.
   */
  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401})
  void refreshFloodAfterA4xxIsBoundedOverTime(int status) {
    endpoint.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String error = status == 401 ? "invalid_grant" : "invalid_request";
        return Fault.json("{\"error\": \"" + error + "\"}").setResponseCode(status);
      }
    });
    TokenProvider provider = TokenProvider.builder(scriptedSource()).scheduler(scheduler).autoRefresh(true).build();
    provider.token().test();
    scheduler.advanceTimeBy(10, TimeUnit.MINUTES);

    int requests = endpoint.getRequestCount();
    int bound = status == 401 ? 1 : 6;
    assertTrue(requests >= 1 && requests <= bound, requests + " requests in 10 minutes, bound " + bound);
    provider.close();
  }

  @Test
  void dispatcherWithOneSlotDoesNotDeadlockTheTokenRequest() throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1);
    dispatcher.setMaxRequestsPerHost(1);
    OkHttpClient shared = new OkHttpClient.Builder().dispatcher(dispatcher).build();
    // The token source shares the app's client, dispatcher included.
    TokenSource source = VyoptaTokenSource.builder()
        .baseUrl(vyopta.baseUrl().toString()).username(USER).password(PASSWORD).client(shared).build();
    TokenProvider provider = TokenProvider.create(source);
    OkHttpClient app = shared.newBuilder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
    api.enqueue(new MockResponse().setBody("{}"));
    api.enqueue(new MockResponse().setBody("{}"));

    CountDownLatch done = new CountDownLatch(2);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Callback callback = new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failure.set(e);
        done.countDown();
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        done.countDown();
      }
    };
    // The first call holds the only dispatcher slot while its interceptor waits for the token.
    app.newCall(new Request.Builder().url(api.url("/a")).build()).enqueue(callback);
    app.newCall(new Request.Builder().url(api.url("/b")).build()).enqueue(callback);

    try {
      assertTrue(done.await(10, TimeUnit.SECONDS), "both calls finished within 10 s");
      assertEquals(null, failure.get());
      assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest(5, TimeUnit.SECONDS).getHeader("Authorization"));
      assertEquals(1, vyopta.requestCount());
    } finally {
      provider.close();
      dispatcher.cancelAll();
    }
  }
}
