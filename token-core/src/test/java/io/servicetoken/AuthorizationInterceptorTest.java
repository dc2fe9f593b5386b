package io.servicetoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.internal.TokenHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizationInterceptorTest {
  private final MockWebServer api = new MockWebServer();
  private final AtomicInteger fetches = new AtomicInteger();
  private final TokenSource source =
      () ->
          Single.fromCallable(
              () -> Token.builder("token-" + fetches.incrementAndGet())
                  .expiresAt(Instant.now().plusSeconds(300))
                  .build());
  private TokenProvider provider;
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    api.start();
    provider = TokenProvider.create(source);
    client = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    provider.close();
    api.shutdown();
  }

  private Response get() throws IOException {
    return client.newCall(new Request.Builder().url(api.url("/data")).build()).execute();
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = api.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) throw new AssertionError("no request");
    return request;
  }

  @Test
  void attachesTheBearerToken() throws Exception {
    api.enqueue(new MockResponse().setBody("ok"));
    try (Response response = get()) {
      assertEquals(200, response.code());
    }
    assertEquals("Bearer token-1", taken().getHeader("Authorization"));
  }

  @Test
  void a401InvalidatesAndReplaysOnceWithTheNewToken() throws Exception {
    api.enqueue(new MockResponse().setResponseCode(401));
    api.enqueue(new MockResponse().setBody("ok"));
    try (Response response = get()) {
      assertEquals(200, response.code());
    }
    assertEquals("Bearer token-1", taken().getHeader("Authorization"));
    assertEquals("Bearer token-2", taken().getHeader("Authorization"));
    assertEquals(2, fetches.get());
  }

  @Test
  void aSecond401IsReturnedToTheCaller() throws Exception {
    api.enqueue(new MockResponse().setResponseCode(401));
    api.enqueue(new MockResponse().setResponseCode(401));
    api.enqueue(new MockResponse().setBody("never requested"));
    try (Response response = get()) {
      assertEquals(401, response.code());
    }
    assertEquals(2, api.getRequestCount(), "replayed at most once");
  }

  @Test
  void aTokenInsideTheRefreshWindowIsAttachedAtOnceAndRefreshedInTheBackground() throws Exception {
    TestScheduler scheduler = new TestScheduler();
    ScriptedSource scripted = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider windowed = TokenProvider.builder(scripted).scheduler(scheduler).build();
    OkHttpClient windowedClient =
        new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(windowed)).build();
    windowed.token().test();
    scheduler.triggerActions();
    // A 300 s token is refreshed from 225-247.5 s on and handed out until 270 s.
    scheduler.advanceTimeBy(265, TimeUnit.SECONDS);
    api.enqueue(new MockResponse().setBody("ok"));

    windowedClient.newCall(new Request.Builder().url(api.url("/data")).build()).execute().close();

    assertEquals("Bearer token-1", taken().getHeader("Authorization"));
    assertEquals(1, scripted.fetches.get(), "the refresh runs on the provider's scheduler, not the caller's thread");
    scheduler.triggerActions();
    assertEquals(2, scripted.fetches.get());
    windowed.close();
  }

  @Test
  void aClosedProviderFailsTheCallWithIOException() {
    provider.token().blockingGet();
    provider.close();
    IOException e = assertThrows(IOException.class, this::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(0, api.getRequestCount());
  }

  @Test
  void aRequestWithItsOwnAuthorizationIsLeftAlone() throws Exception {
    api.enqueue(new MockResponse().setBody("ok"));
    Request request = new Request.Builder().url(api.url("/")).header("Authorization", "Basic abc").build();
    client.newCall(request).execute().close();
    assertEquals("Basic abc", taken().getHeader("Authorization"));
    assertEquals(0, fetches.get());
  }

  @Test
  void tokenFailureSurfacesAsIOExceptionWithTheTokenExceptionAsCause() {
    TokenProvider failing =
        TokenProvider.builder(() -> Single.error(
                new CredentialsRejectedException("rejected", "test", 401, "invalid_grant", null)))
            .build();
    OkHttpClient failingClient =
        new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(failing)).build();
    IOException e =
        assertThrows(IOException.class, () -> failingClient.newCall(new Request.Builder().url(api.url("/")).build())
            .execute());
    assertInstanceOf(CredentialsRejectedException.class, e.getCause());
    assertEquals(0, api.getRequestCount());
    failing.close();
  }

  @Test
  void noDeadlockWhenEveryDispatcherThreadWaitsForAToken() throws Exception {
    // The app's client allows one request at a time, and the token source shares it.
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1);
    dispatcher.setMaxRequestsPerHost(1);
    OkHttpClient appClient = new OkHttpClient.Builder().dispatcher(dispatcher).build();
    MockWebServer tokenServer = new MockWebServer();
    tokenServer.enqueue(new MockResponse().setBody("t0k3n"));
    OkHttpClient tokenClient = TokenHttpClient.create(appClient, "test");
    TokenSource httpSource =
        () ->
            Single.fromCallable(
                () -> {
                  try (Response response =
                      tokenClient.newCall(new Request.Builder().url(tokenServer.url("/token")).build()).execute()) {
                    return Token.builder(response.body().string()).expiresAt(Instant.now().plusSeconds(300)).build();
                  }
                });
    TokenProvider httpProvider = TokenProvider.create(httpSource);
    OkHttpClient app = appClient.newBuilder().addInterceptor(AuthorizationInterceptor.of(httpProvider)).build();
    int calls = 3;
    for (int i = 0; i < calls; i++) api.enqueue(new MockResponse().setBody("ok"));
    CountDownLatch done = new CountDownLatch(calls);
    ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
    try {
      for (int i = 0; i < calls; i++) {
        app.newCall(new Request.Builder().url(api.url("/data")).build())
            .enqueue(
                new Callback() {
                  @Override
                  public void onFailure(Call call, IOException e) {
                    results.add(e);
                    done.countDown();
                  }

                  @Override
                  public void onResponse(Call call, Response response) {
                    results.add(response.code());
                    response.close();
                    done.countDown();
                  }
                });
      }
      assertTrue(done.await(10, TimeUnit.SECONDS), "calls completed: " + results);
      assertEquals(calls, results.stream().filter(r -> r.equals(200)).count(), results.toString());
      assertEquals(1, tokenServer.getRequestCount());
    } finally {
      httpProvider.close();
      tokenServer.shutdown();
    }
  }

  // Issue 15 and 16: the interceptor's edges.

  @Test
  void a401ToARequestWithAOneShotBodyStillInvalidatesTheToken() throws Exception {
    api.enqueue(new MockResponse().setResponseCode(401));
    api.enqueue(new MockResponse().setBody("ok"));
    RequestBody oneShot = new RequestBody() {
      @Override public MediaType contentType() { return MediaType.get("text/plain"); }
      @Override public boolean isOneShot() { return true; }
      @Override public void writeTo(BufferedSink sink) throws IOException { sink.writeUtf8("once"); }
    };

    try (Response response = client.newCall(new Request.Builder().url(api.url("/upload")).post(oneShot).build()).execute()) {
      assertEquals(401, response.code(), "a one-shot body is not replayed");
    }
    get().close();

    assertEquals("Bearer token-1", taken().getHeader("Authorization"));
    assertEquals("Bearer token-2", taken().getHeader("Authorization"), "the rejected token is not sent again");
  }

  @Test
  void the401ResponseIsClosedWhenNoFreshTokenCanBeHad() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TokenProvider rejecting =
        TokenProvider.create(() -> calls.incrementAndGet() == 1
            ? Single.just(Token.builder("first").expiresAt(Instant.now().plusSeconds(300)).build())
            : Single.error(new CredentialsRejectedException("rejected", "test", 401, "invalid_grant", null)));
    OkHttpClient rejectingClient =
        new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(rejecting)).build();
    api.enqueue(new MockResponse().setResponseCode(401).setBody("expired"));
    api.enqueue(new MockResponse().setBody("ok"));

    IOException e = assertThrows(IOException.class,
        () -> rejectingClient.newCall(new Request.Builder().url(api.url("/data")).build()).execute());
    assertInstanceOf(CredentialsRejectedException.class, e.getCause());
    // The connection went back to the pool: the next call reuses it (a leaked one could not be).
    Request own = new Request.Builder().url(api.url("/data")).header("Authorization", "Basic x").build();
    rejectingClient.newCall(own).execute().close();
    assertEquals(0, taken().getSequenceNumber());
    assertEquals(1, taken().getSequenceNumber(), "same connection, second exchange");
    rejecting.close();
  }

  @Test
  void cancellingTheCallEndsTheWaitForAToken() throws Exception {
    CountDownLatch fetching = new CountDownLatch(1);
    TokenProvider hanging =
        TokenProvider.builder(() -> Single.<Token>never().doOnSubscribe(d -> fetching.countDown()))
            .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofMinutes(10)).build())
            .build();
    OkHttpClient hangingClient = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(hanging)).build();
    Call call = hangingClient.newCall(new Request.Builder().url(api.url("/data")).build());
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        call.execute().close();
      } catch (Throwable t) {
        failure.set(t);
      }
      ended.countDown();
    });
    caller.start();
    assertTrue(fetching.await(5, TimeUnit.SECONDS));

    call.cancel();

    assertTrue(ended.await(2, TimeUnit.SECONDS), "the wait ended soon after cancel(), not after 60 s");
    assertInstanceOf(IOException.class, failure.get());
    assertEquals(0, api.getRequestCount());
    hanging.close();
  }

  @Test
  void asANetworkInterceptorTheTokenNeverFollowsARedirectToAnotherHost() throws Exception {
    MockWebServer other = new MockWebServer();
    other.start();
    try {
      HttpUrl elsewhere = other.url("/elsewhere").newBuilder().host("127.0.0.1").build();
      api.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", elsewhere));
      other.enqueue(new MockResponse().setBody("ok"));
      OkHttpClient network = new OkHttpClient.Builder().addNetworkInterceptor(AuthorizationInterceptor.of(provider)).build();

      try (Response response = network.newCall(new Request.Builder().url(api.url("/data")).build()).execute()) {
        assertEquals(200, response.code());
      }

      assertEquals("Bearer token-1", taken().getHeader("Authorization"));
      RecordedRequest redirected = other.takeRequest(5, TimeUnit.SECONDS);
      assertNotNull(redirected);
      assertNull(redirected.getHeader("Authorization"), "the token went to another host");
    } finally {
      other.shutdown();
    }
  }

  @Test
  void forHostsAttachesTheTokenOnlyToTheNamedHosts() throws Exception {
    OkHttpClient shared =
        new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.forHosts(provider, "LOCALHOST")).build();
    api.enqueue(new MockResponse().setBody("api"));
    api.enqueue(new MockResponse().setBody("cdn"));

    shared.newCall(new Request.Builder().url(api.url("/data")).build()).execute().close();
    HttpUrl otherHost = api.url("/image").newBuilder().host("127.0.0.1").build();
    shared.newCall(new Request.Builder().url(otherHost).build()).execute().close();

    assertEquals("Bearer token-1", taken().getHeader("Authorization"));
    assertNull(taken().getHeader("Authorization"), "a host not named never gets the token");
  }

  @Test
  void forHostsRefusesWhatIsNotAHostName() {
    for (String bad : new String[] {"https://api.example.com", "api.example.com:443", "api.example.com/v1", "", " ",
        "user@api.example.com", "[::1"}) {
      assertThrows(IllegalArgumentException.class, () -> AuthorizationInterceptor.forHosts(provider, bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> AuthorizationInterceptor.forHosts(provider));
    AuthorizationInterceptor.forHosts(provider, "api.example.com", "[::1]", "10.0.0.1");
  }

  @Test
  void aRuntimeExceptionInsideTheInterceptorReachesOkHttpAsAnIOException() {
    // An app's RxJava hook that throws: whatever throws inside the interceptor, the dispatcher sees an IOException.
    RxJavaPlugins.setOnSingleSubscribe((single, observer) -> { throw new IllegalStateException("hook"); });
    try {
      IOException e = assertThrows(IOException.class, this::get);
      assertInstanceOf(IllegalStateException.class, e.getCause());
    } finally {
      RxJavaPlugins.reset();
    }
  }

  @Test
  void waitingOnATestSchedulerThatNobodyAdvancesFailsAfterFiveSecondsAndSaysWhy() {
    TestScheduler scheduler = new TestScheduler();
    TokenProvider virtual = TokenProvider.builder(new ScriptedSource(scheduler, Duration.ofSeconds(300)))
        .scheduler(scheduler).build();
    OkHttpClient virtualClient = new OkHttpClient.Builder().addInterceptor(AuthorizationInterceptor.of(virtual)).build();

    IOException e = assertThrows(IOException.class,
        () -> virtualClient.newCall(new Request.Builder().url(api.url("/data")).build()).execute());

    assertTrue(e.getMessage().contains("TestScheduler") && e.getMessage().contains("triggerActions"), e.getMessage());
    assertEquals(0, api.getRequestCount());
    virtual.close();
  }

  @Test
  void aCallTimeoutWhileWaitingOnATestSchedulerSaysWhy() {
    TestScheduler scheduler = new TestScheduler();
    TokenProvider virtual = TokenProvider.builder(new ScriptedSource(scheduler, Duration.ofSeconds(300)))
        .scheduler(scheduler).build();
    OkHttpClient virtualClient = new OkHttpClient.Builder()
        .callTimeout(300, TimeUnit.MILLISECONDS)
        .addInterceptor(AuthorizationInterceptor.of(virtual)).build();

    IOException e = assertThrows(IOException.class,
        () -> virtualClient.newCall(new Request.Builder().url(api.url("/data")).build()).execute());

    // OkHttp reports its own call timeout ("timeout"), caused by the interceptor's explanation.
    Throwable why = e.getCause() != null ? e.getCause() : e;
    assertTrue(why.getMessage().contains("TestScheduler"), why.getMessage());
    virtual.close();
  }
}
