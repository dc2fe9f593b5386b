package io.servicetoken;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises tried adversarially, as a careless app, a broken source and a demanding user would: each
 * test names the promise it tries to break (issue 15). Time is virtual unless the promise is about threads.
 */
class TokenProviderRobustnessTest {
  private final TestScheduler scheduler = new TestScheduler();
  private final List<TokenProvider> providers = new ArrayList<>();
  private final List<Throwable> undeliverable = new CopyOnWriteArrayList<>();

  @BeforeEach
  void captureRxJavaErrors() {
    RxJavaPlugins.setErrorHandler(undeliverable::add);
  }

  @AfterEach
  void closeProviders() {
    providers.forEach(TokenProvider::close);
    RxJavaPlugins.reset();
  }

  private TokenProvider provider(TokenProvider.Builder builder) {
    TokenProvider provider = builder.build();
    providers.add(provider);
    return provider;
  }

  private TokenProvider.Builder builder(TokenSource source) {
    return TokenProvider.builder(source).scheduler(scheduler).random(new Random(42));
  }

  private Instant now() {
    return Instant.ofEpochMilli(scheduler.now(MILLISECONDS));
  }

  private void advanceBy(long millis) {
    scheduler.advanceTimeBy(millis, MILLISECONDS);
  }

  /** A source whose tokens come from {@code tokens}, counting requests. */
  private static TokenSource counting(AtomicInteger requests, Supplier<Token> tokens) {
    return () -> Single.fromCallable(() -> {
      requests.incrementAndGet();
      return tokens.get();
    });
  }

  // 1. Every subscription terminates, whatever subscribers of events() and tokens() do.

  @Test
  void subscribersThatThrowNeitherWedgeTheProviderNorStopTheOthers() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    // Raw observers: unlike subscribe(lambda), nothing of RxJava's catches what they throw.
    provider.events().subscribe(new ThrowingObserver<>());
    provider.tokens().subscribe(new ThrowingObserver<>());
    TestObserver<TokenEvent> events = provider.events().test();
    TestObserver<Token> tokens = provider.tokens().test();

    TestObserver<Token> first = provider.token().test();
    scheduler.triggerActions();
    first.assertValue(token -> token.value().equals("token-1"));

    provider.invalidate(first.values().get(0));
    TestObserver<Token> second = provider.token().test();
    scheduler.triggerActions();

    second.assertValue(token -> token.value().equals("token-2"));
    assertEquals(2, source.fetches.get());
    tokens.assertValueCount(2);
    assertEquals(3, events.values().size(), "FETCHED, INVALIDATED, FETCHED: " + events.values());
    // The throwing subscribers were unsubscribed and got their own error, which they threw again: to RxJavaPlugins.
    assertEquals(2, undeliverable.size(), undeliverable.toString());
  }

  /** An app's observer that throws from every callback, as RxJava's rules forbid. */
  private static final class ThrowingObserver<T> implements Observer<T> {
    @Override public void onSubscribe(Disposable d) {}
    @Override public void onNext(T value) { throw new IllegalStateException("app bug in onNext"); }
    @Override public void onError(Throwable e) { throw new IllegalStateException("app bug in onError"); }
    @Override public void onComplete() {}
  }

  @Test
  void aCallerWhoseObserverThrowsDoesNotStopTheFetchReachingOtherCallers() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    provider.token().subscribe(new SingleObserver<Token>() {
      @Override public void onSubscribe(Disposable d) {}
      @Override public void onSuccess(Token token) { throw new IllegalStateException("app bug"); }
      @Override public void onError(Throwable e) {}
    });
    TestObserver<Token> other = provider.token().test();

    scheduler.triggerActions();

    other.assertValue(token -> token.value().equals("token-1"));
    assertEquals(1, undeliverable.size());
    provider.token().test().assertValue(token -> token.value().equals("token-1"));
  }

  @Test
  void aSubscriberThatBlocksDoesNotDelayCallersOrOtherSubscribers() throws Exception {
    // Real threads: the blocked subscriber waits until the caller has its token. Were the caller released after
    // the subscriber ran, the subscriber would wait its full bound and report it.
    AtomicInteger requests = new AtomicInteger();
    TokenProvider provider =
        provider(TokenProvider.builder(counting(requests, () -> Token.builder("t").expiresAt(Instant.now().plusSeconds(300)).build())));
    CountDownLatch callerHasToken = new CountDownLatch(1);
    AtomicBoolean subscriberWaitedInVain = new AtomicBoolean();
    CountDownLatch otherSubscriberGotIt = new CountDownLatch(1);
    provider.tokens().subscribe(token -> {
      if (!callerHasToken.await(5, SECONDS)) subscriberWaitedInVain.set(true);
    });
    provider.events().subscribe(event -> {
      if (!callerHasToken.await(5, SECONDS)) subscriberWaitedInVain.set(true);
    });
    provider.tokens().subscribe(token -> otherSubscriberGotIt.countDown());

    Token token = provider.token().timeout(5, SECONDS).blockingGet();
    callerHasToken.countDown();

    assertEquals("t", token.value());
    assertTrue(otherSubscriberGotIt.await(5, SECONDS), "the other subscriber is not held up by the blocked one");
    assertFalse(subscriberWaitedInVain.get());
  }

  @Test
  void subscribersHoldNoThreadWhileTheyWait() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    TokenProvider provider =
        provider(TokenProvider.builder(counting(requests, () -> Token.builder("t").expiresAt(Instant.now().plusSeconds(300)).build())));
    long before = ioThreads();
    int subscribers = 100;
    CountDownLatch delivered = new CountDownLatch(subscribers);
    for (int i = 0; i < subscribers; i++) provider.events().subscribe(event -> delivered.countDown());

    provider.token().timeout(5, SECONDS).blockingGet();

    assertTrue(delivered.await(5, SECONDS));
    long added = ioThreads() - before;
    assertTrue(added < 20, subscribers + " subscribers took " + added + " threads");
  }

  private static long ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("RxCachedThreadScheduler")).count();
  }

  // 2. A token that never expires is served, its lifetime capped at 24 hours.

  @Test
  void aTokenThatNeverExpiresIsServedAndRefreshedWithin24Hours() {
    AtomicInteger requests = new AtomicInteger();
    TokenProvider provider =
        provider(builder(counting(requests, () -> Token.builder("forever").receivedAt(now()).expiresAt(Instant.MAX).build()))
            .autoRefresh(true));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertValue(token -> token.value().equals("forever"));
    assertEquals(Duration.ofHours(24), provider.timeToExpiry());
    scheduler.advanceTimeBy(24, TimeUnit.HOURS);
    assertEquals(2, requests.get(), "refreshed before the capped expiry");
  }

  @Test
  void instantsWhoseEpochMillisOverflowAreServedNotHung() {
    Instant farFuture = Instant.ofEpochSecond(Long.MAX_VALUE / 1000 + 1);
    Instant farPast = Instant.MIN;
    TokenProvider provider =
        provider(builder(() -> Single.just(Token.builder("far").receivedAt(farPast).expiresAt(farFuture).build())));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertValue(token -> token.value().equals("far"));
  }

  // 3. No expired token is ever handed out, whatever receivedAt says.

  @Test
  void aPersistedTokenThatExpiredIsNeverServed() {
    TokenProvider provider =
        provider(builder(() -> Single.fromCallable(() ->
            Token.builder("persisted").receivedAt(now().minusSeconds(400)).expiresAt(now().minusSeconds(100)).build())));
    scheduler.advanceTimeBy(1, TimeUnit.HOURS);

    TestObserver<Token> caller = provider.token().test();
    scheduler.advanceTimeBy(1, TimeUnit.MINUTES);

    caller.assertNoValues();
    caller.assertError(TokenServiceException.class);
  }

  @Test
  void aTokenWithAnOldReceivedAtKeepsTheExpiryItStates() {
    AtomicInteger requests = new AtomicInteger();
    TokenProvider provider =
        provider(builder(counting(requests, () ->
            Token.builder("t" + requests.get()).receivedAt(now().minusSeconds(400)).expiresAt(now().plusSeconds(100)).build())));
    scheduler.advanceTimeBy(1, TimeUnit.HOURS);
    Instant start = now();

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertValue(token -> token.value().equals("t1"));
    assertEquals(Duration.ofSeconds(100), provider.timeToExpiry(), "not 500 s counted from its arrival");
    // Past its own expiresAt minus the margin (30 s of its 500 s lifetime) it is never handed out.
    advanceBy(70_000);
    provider.token().test().assertNoValues();
    assertTrue(now().isBefore(start.plusSeconds(100)));
  }

  // 7. Fatal-looking errors from a source reach callers at once, with the real cause.

  @Test
  void aLinkageErrorThrownByFetchReachesCallersAtOnce() {
    TokenProvider provider = provider(builder(() -> { throw new NoClassDefFoundError("okhttp3/Internal"); }));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertError(NoClassDefFoundError.class);
  }

  @Test
  void aLinkageErrorInsideTheSingleReachesCallersAtOnce() {
    TokenProvider provider =
        provider(builder(() -> Single.fromCallable(() -> { throw new NoSuchMethodError("ReflectionUtils.returnsVoid"); })));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertError(NoSuchMethodError.class);
  }

  @Test
  void aSourceReturningNullReachesCallersAsAnError() {
    TokenProvider provider = provider(builder(() -> null));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertError(NullPointerException.class);
  }

  // 8. close() cancels the request in flight, always; no request starts after it returns.

  @Test
  void closeDisposesTheRequestInFlightAndNoRequestStartsAfterIt() throws Exception {
    int races = 400;
    int leftRunning = 0;
    int startedAfterClose = 0;
    for (int i = 0; i < races; i++) {
      AtomicBoolean closed = new AtomicBoolean();
      AtomicInteger started = new AtomicInteger();
      AtomicInteger disposed = new AtomicInteger();
      AtomicInteger afterClose = new AtomicInteger();
      TokenSource source = () -> Single.<Token>create(emitter -> {
        if (emitter.isDisposed()) return; // as Retrofit's adapter and fromCallable do: a disposed request never starts
        if (closed.get()) afterClose.incrementAndGet();
        started.incrementAndGet();
        emitter.setCancellable(disposed::incrementAndGet);
      });
      // Four threads, as Schedulers.io() would use, but ones the test can wait for.
      ExecutorService threads = Executors.newFixedThreadPool(4);
      TokenProvider provider = TokenProvider.builder(source).scheduler(Schedulers.from(threads)).build();
      provider.token().subscribe(token -> {}, error -> {});
      provider.close();
      closed.set(true);
      threads.shutdown(); // queued attempts still run, and must find the provider closed
      assertTrue(threads.awaitTermination(5, SECONDS));
      if (started.get() != disposed.get()) leftRunning++;
      startedAfterClose += afterClose.get();
    }
    assertEquals(0, leftRunning, "requests left running after close()");
    assertEquals(0, startedAfterClose, "requests started after close() returned");
  }

  // 9. The hot path stays hot inside the refresh window: one event per refresh, not per call.

  @Test
  void callsInsideTheRefreshWindowEmitOneEventPerRefresh() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    provider.token().test();
    scheduler.triggerActions();
    TestObserver<TokenEvent> events = provider.events().test();

    scheduler.advanceTimeTo(248, SECONDS);
    for (int i = 0; i < 10_000; i++) provider.token().test();
    events.assertNoValues(); // nothing is delivered on the caller's thread
    scheduler.triggerActions();

    long served = events.values().stream().filter(e -> e.type() == TokenEvent.Type.SERVED_WHILE_REFRESHING).count();
    assertEquals(1, served);
    assertEquals(2, source.fetches.get());
  }

  // 10. Bounded work with nobody asking.

  @Test
  void afterRejectedCredentialsAutoRefreshWaitsForACaller() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    Token first = provider.token().test().values().isEmpty() ? null : null;
    scheduler.triggerActions();
    source.failure = ScriptedSource.rejected();
    source.failForever = true;

    scheduler.advanceTimeBy(1, TimeUnit.HOURS);
    assertEquals(2, source.fetches.get(), "the refresh was rejected, then nothing until a caller asks");

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();
    caller.assertError(CredentialsRejectedException.class);
    assertEquals(3, source.fetches.get(), "a caller after the cool-down makes one attempt");
    scheduler.advanceTimeBy(1, TimeUnit.HOURS);
    assertEquals(3, source.fetches.get());
    assertNull(first);
  }

  @Test
  void aPermanentOutageWithNobodyAskingMakesAtMost30RequestsAnHour() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    provider.token().test();
    scheduler.triggerActions();
    source.failForever = true;

    scheduler.advanceTimeBy(270, SECONDS); // the token is no longer handed out
    for (int hour = 0; hour < 3; hour++) {
      int before = source.fetches.get();
      scheduler.advanceTimeBy(1, TimeUnit.HOURS);
      int requests = source.fetches.get() - before;
      assertTrue(requests <= 30 && requests >= 20, "requests in hour " + hour + ": " + requests);
    }
  }

  // 11. A token that arrives already inside its refresh window does not cause a refresh storm.

  @Test
  void tokensHandedOverOldAreUsedNotRefetchedInAStormByCallers() {
    AtomicInteger requests = new AtomicInteger();
    // A 60 s token handed over 50 s old: 4 s usable under the default margin (6 s).
    TokenProvider provider =
        provider(builder(counting(requests, () ->
            Token.builder("t" + requests.get()).receivedAt(now().minusSeconds(50)).expiresAt(now().plusSeconds(10)).build())));

    for (int tick = 0; tick < 600; tick++) { // a caller every 100 ms for a minute
      TestObserver<Token> caller = provider.token().test();
      scheduler.triggerActions();
      caller.assertValueCount(1);
      advanceBy(100);
    }
    assertTrue(requests.get() <= 20, "requests in a minute: " + requests.get());
  }

  @Test
  void tokensHandedOverOldAreUsedNotRefetchedInAStormByAutoRefresh() {
    AtomicInteger requests = new AtomicInteger();
    TokenProvider provider =
        provider(builder(counting(requests, () ->
            Token.builder("t" + requests.get()).receivedAt(now().minusSeconds(50)).expiresAt(now().plusSeconds(10)).build()))
            .autoRefresh(true));
    provider.token().test();
    scheduler.triggerActions();
    int first = requests.get();

    scheduler.advanceTimeBy(1, TimeUnit.MINUTES);

    int inAMinute = requests.get() - first;
    assertTrue(inAMinute <= 30 && inAMinute >= 15, "requests in a minute: " + inAMinute);
  }

  // 12. A refresh that returns the same token is not repeated while that token is handed out.

  @Test
  void aServerThatReissuesTheSameTokenUntilItExpiresGetsAtMostThreeRequestsPerLifetime() {
    AtomicInteger requests = new AtomicInteger();
    AtomicLong expiresAt = new AtomicLong();
    AtomicInteger issued = new AtomicInteger();
    List<Long> requestTimes = new ArrayList<>();
    List<Long> issuedAt = new ArrayList<>();
    TokenSource reissuing = counting(requests, () -> {
      long now = scheduler.now(MILLISECONDS);
      requestTimes.add(now);
      if (now >= expiresAt.get()) {
        expiresAt.set(now + 300_000);
        issued.incrementAndGet();
        issuedAt.add(now);
      }
      // expires_in in whole seconds, counted from now, as a server reusing its token says it
      long secondsLeft = (expiresAt.get() - now) / 1000;
      return Token.builder("token-" + issued.get()).receivedAt(now()).expiresAt(now().plusSeconds(secondsLeft)).build();
    });
    TokenProvider provider = provider(builder(reissuing).autoRefresh(true));
    provider.token().test();
    scheduler.triggerActions();

    scheduler.advanceTimeBy(1000, SECONDS); // three lifetimes and the start of the fourth

    // Count the requests each issued token cost, from its issue to the issue of the next.
    List<Integer> requestsPerToken = new ArrayList<>();
    for (int i = 0; i < requestTimes.size(); i++) {
      if (issuedAt.contains(requestTimes.get(i))) requestsPerToken.add(0);
      int last = requestsPerToken.size() - 1;
      requestsPerToken.set(last, requestsPerToken.get(last) + 1);
    }
    assertEquals(4, requestsPerToken.size(), "a new token every lifetime: " + requestTimes);
    for (int count : requestsPerToken.subList(0, 3)) {
      assertTrue(count <= 3, "requests per lifetime: " + requestsPerToken + " at " + requestTimes);
    }
  }

  @Test
  void aReissuedTokenIsNeverHandedOutPastItsExpiry() {
    AtomicLong expiresAt = new AtomicLong();
    TokenSource reissuing = () -> Single.fromCallable(() -> {
      long now = scheduler.now(MILLISECONDS);
      if (now >= expiresAt.get()) expiresAt.set(now + 300_000);
      return Token.builder("token-" + expiresAt.get()).receivedAt(now()).expiresAt(Instant.ofEpochMilli(expiresAt.get())).build();
    });
    TokenProvider provider = provider(builder(reissuing));

    for (int second = 0; second < 900; second++) {
      TestObserver<Token> caller = provider.token().test();
      scheduler.triggerActions();
      Token token = caller.values().get(0);
      assertFalse(token.isExpired(now()), "expired token handed out at " + now());
      advanceBy(1000);
    }
  }

  // 13. Callers waiting for a fetch are released before subscribers run.

  @Test
  void waitingCallersGetTheTokenBeforeSubscribersAreCalled() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    List<String> order = new ArrayList<>();
    provider.tokens().subscribe(token -> order.add("tokens()"));
    provider.events().subscribe(event -> order.add("events()"));

    provider.token().subscribe(token -> order.add("caller"));
    scheduler.triggerActions();

    assertEquals(3, order.size(), order.toString());
    assertEquals("caller", order.get(0), order.toString());
  }

  // 14. tokens() never replays a dead token.

  @Test
  void tokensDoesNotReplayAnInvalidatedToken() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();
    TestObserver<Token> before = provider.tokens().test();
    scheduler.triggerActions();
    before.assertValueCount(1);

    provider.invalidate(caller.values().get(0));
    TestObserver<Token> after = provider.tokens().test();
    scheduler.triggerActions();

    after.assertNoValues();
  }

  @Test
  void tokensDoesNotReplayATokenPastItsMargin() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    provider.token().test();
    scheduler.triggerActions();

    scheduler.advanceTimeTo(270, SECONDS);
    TestObserver<Token> late = provider.tokens().test();
    scheduler.triggerActions();

    late.assertNoValues();
  }

  // 15. Policies refuse what they cannot honour.

  @Test
  void aBackoffUnderOneMillisecondIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> RetryPolicy.builder().backoff(Duration.ofNanos(100_000), Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("1 ms"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().attemptTimeout(Duration.ofNanos(10)));
  }

  @Test
  void theTrampolineSchedulerIsRefusedAtBuild() {
    TokenProvider.Builder builder =
        TokenProvider.builder(new ScriptedSource(scheduler, Duration.ofSeconds(1))).scheduler(Schedulers.trampoline());
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertTrue(e.getMessage().contains("trampoline"), e.getMessage());
  }

  // 16. A provider the app drops is collected and stops fetching.

  @Test
  void aDroppedProviderWithAutoRefreshIsCollectedAndStopsFetching() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    WeakReference<TokenProvider> dropped = dropAfterFirstToken(source);
    // The first request's timeout task, disposed but left in the TestScheduler's queue until its time (a real
    // scheduler removes it at once), holds the engine for the attempt timeout at most.
    scheduler.advanceTimeBy(61, SECONDS);

    for (int i = 0; i < 100 && dropped.get() != null; i++) {
      System.gc();
      scheduler.triggerActions();
    }
    assertNull(dropped.get(), "the provider was not collected");
    scheduler.advanceTimeBy(1, TimeUnit.HOURS);
    assertEquals(1, source.fetches.get(), "a collected provider fetches nothing");
  }

  private WeakReference<TokenProvider> dropAfterFirstToken(ScriptedSource source) {
    TokenProvider provider = builder(source).autoRefresh(true).build();
    provider.token().test();
    scheduler.triggerActions();
    assertSame(provider.scheduler(), scheduler);
    return new WeakReference<>(provider);
  }

  // 18. Short tokens keep headroom.

  @Test
  void aTwoSecondTokenIsRefreshedWithHeadroomBeforeItsMargin() {
    ConcurrentLinkedQueue<Long> refreshMoments = new ConcurrentLinkedQueue<>();
    Random seeds = new Random(11);
    for (int i = 0; i < 50; i++) {
      TestScheduler clock = new TestScheduler();
      ScriptedSource source = new ScriptedSource(clock, Duration.ofSeconds(2));
      TokenProvider provider =
          TokenProvider.builder(source).scheduler(clock).random(new Random(seeds.nextLong())).autoRefresh(true).build();
      provider.token().test();
      clock.triggerActions();
      while (source.fetches.get() < 2) clock.advanceTimeBy(1, MILLISECONDS);
      refreshMoments.add(clock.now(MILLISECONDS));
      provider.close();
    }
    // Window 0.5 s, margin 0.2 s: the first half of 1.5 s to 1.8 s.
    for (long moment : refreshMoments) assertTrue(moment >= 1500 && moment <= 1650, "refreshed at " + moment);
    assertNotNull(refreshMoments.peek());
  }

  @Test
  void theReasonForAnUndeliverableErrorIsTheSubscribersOwn() {
    ScriptedSource source = new ScriptedSource(scheduler, Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    IllegalStateException bug = new IllegalStateException("app bug");
    provider.events().subscribe(event -> { throw bug; });

    provider.token().test();
    scheduler.triggerActions();

    assertEquals(1, undeliverable.size());
    assertSame(bug, undeliverable.get(0).getCause(), "OnErrorNotImplementedException wrapping the app's own throw");
    assertInstanceOf(RuntimeException.class, undeliverable.get(0));
  }
}
