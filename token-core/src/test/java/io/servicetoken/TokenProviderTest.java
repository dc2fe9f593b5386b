package io.servicetoken;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The refresh engine on virtual time: every timer and fetch runs only when the test moves the clock. */
class TokenProviderTest {
  private final TestScheduler scheduler = new TestScheduler();
  private final List<TokenProvider> providers = new ArrayList<>();

  @AfterEach
  void closeProviders() {
    providers.forEach(TokenProvider::close);
  }

  private TokenProvider.Builder builder(ScriptedSource source) {
    return TokenProvider.builder(source).scheduler(scheduler).random(new Random(42));
  }

  private TokenProvider provider(TokenProvider.Builder builder) {
    TokenProvider provider = builder.build();
    providers.add(provider);
    return provider;
  }

  private ScriptedSource source(Duration lifetime) {
    return new ScriptedSource(scheduler, lifetime);
  }

  private Token fetchFirst(TokenProvider provider) {
    TestObserver<Token> first = provider.token().test();
    scheduler.triggerActions();
    first.assertComplete();
    return first.values().get(0);
  }

  private void advanceTo(long millis) {
    scheduler.advanceTimeTo(millis, MILLISECONDS);
  }

  @Test
  void tokenReturnsTheSameLazySingleEveryTime() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));

    Single<Token> held = provider.token();
    assertSame(held, provider.token());
    scheduler.triggerActions();
    assertEquals(0, source.fetches.get(), "nothing is fetched before a subscription");

    // Subscribed much later, the held Single still yields a token valid at that moment.
    advanceTo(SECONDS.toMillis(1000));
    TestObserver<Token> late = held.test();
    scheduler.triggerActions();
    late.assertValueCount(1);
    assertFalse(late.values().get(0).isExpired(java.time.Instant.ofEpochMilli(scheduler.now(MILLISECONDS))));
    assertEquals(1, source.fetches.get());
  }

  @Test
  void coldFetchRunsOnTheProviderSchedulerOnly() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> observer = provider.token().test();
    observer.assertNoValues();
    assertEquals(0, source.fetches.get());

    scheduler.triggerActions();
    observer.assertValue(token -> token.value().equals("token-1"));
  }

  @Test
  void validCachedTokenIsEmittedSynchronouslyWithoutAFetch() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    Token first = fetchFirst(provider);

    advanceTo(SECONDS.toMillis(100));
    // No triggerActions(): the value must already be there.
    provider.token().test().assertValue(first);
    assertEquals(1, source.fetches.get());
  }

  @Test
  void concurrentCallersOnAColdCacheShareOneFetch() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));

    List<TestObserver<Token>> callers = new ArrayList<>();
    for (int i = 0; i < 100; i++) callers.add(provider.token().test());
    scheduler.triggerActions();

    assertEquals(1, source.fetches.get());
    for (TestObserver<Token> caller : callers) caller.assertValue(token -> token.value().equals("token-1"));
  }

  @Test
  void disposingOneCallerDoesNotCancelTheFetchForOthers() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> leaving = provider.token().test();
    TestObserver<Token> staying = provider.token().test();
    leaving.dispose();
    scheduler.triggerActions();

    staying.assertValue(token -> token.value().equals("token-1"));
    leaving.assertNoValues();
    assertEquals(1, source.fetches.get());
  }

  @Test
  void insideTheRefreshWindowTheCurrentTokenIsServedAndOneBackgroundFetchStarts() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    TestObserver<Token> tokens = provider.tokens().test();
    Token first = fetchFirst(provider);

    // Past the jittered refresh moment (at most 247.5 s) but well before the margin (270 s).
    advanceTo(248_000);
    provider.token().test().assertValue(first);
    provider.token().test().assertValue(first);
    assertEquals(1, source.fetches.get(), "the refresh runs on the scheduler, not on the caller's thread");

    scheduler.triggerActions();
    assertEquals(2, source.fetches.get(), "exactly one background fetch");
    provider.token().test().assertValue(token -> token.value().equals("token-2"));
    tokens.assertValueCount(2);
    assertEquals("token-2", tokens.values().get(1).value());
  }

  @Test
  void aThreeHundredSecondTokenIsNotRefreshedBefore225Seconds() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    fetchFirst(provider);

    for (long second = 1; second < 225; second++) {
      advanceTo(SECONDS.toMillis(second));
      provider.token().test().assertValueCount(1);
      scheduler.triggerActions();
    }
    assertEquals(1, source.fetches.get());
  }

  @Test
  void anHourTokenIsNotRefreshedBefore55Minutes() {
    ScriptedSource source = source(Duration.ofHours(1));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    fetchFirst(provider);

    advanceTo(Duration.ofMinutes(55).toMillis() - 1);
    assertEquals(1, source.fetches.get());
    advanceTo(Duration.ofMinutes(57).toMillis() + 15_001); // the latest: 3300 s + (3570 - 3300) / 2 = 3435 s
    assertEquals(2, source.fetches.get());
  }

  @Test
  void refreshMomentsAreSpreadOverTheFirstHalfOfTheSpanBeforeTheMargin() {
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    Random seeds = new Random(7);
    for (int i = 0; i < 50; i++) {
      TestScheduler clock = new TestScheduler();
      ScriptedSource source = new ScriptedSource(clock, Duration.ofSeconds(300));
      TokenProvider provider =
          TokenProvider.builder(source).scheduler(clock).random(new Random(seeds.nextLong())).autoRefresh(true).build();
      provider.token().test();
      clock.triggerActions();
      long millis = 0;
      while (source.fetches.get() < 2) {
        millis += 100;
        clock.advanceTimeTo(millis, MILLISECONDS);
      }
      earliest = Math.min(earliest, millis);
      latest = Math.max(latest, millis);
      provider.close();
    }
    assertTrue(earliest >= 225_000, "earliest refresh " + earliest);
    // The first half of (window start 225 s, margin 270 s): 225 s to 247.5 s.
    assertTrue(latest <= 247_600, "latest refresh " + latest);
    assertTrue(latest - earliest > 10_000, "refreshes are spread, not in step: " + earliest + ".." + latest);
  }

  @Test
  void aTwoSecondTokenIsRefreshedAboutEvery1Point5Seconds() {
    ScriptedSource source = source(Duration.ofSeconds(2));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    fetchFirst(provider);

    advanceTo(SECONDS.toMillis(15));
    // One refresh every 1.5 to 1.65 s: 15 s hold 9 to 10 refreshes after the first fetch.
    int refreshes = source.fetches.get() - 1;
    assertTrue(refreshes >= 9 && refreshes <= 10, "refreshes in 15 s: " + refreshes);
  }

  @Test
  void autoRefreshFetchesWithoutAnyAccess() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    TestObserver<Token> tokens = provider.tokens().test();
    fetchFirst(provider);

    advanceTo(SECONDS.toMillis(224));
    assertEquals(1, source.fetches.get());
    advanceTo(SECONDS.toMillis(248));
    assertEquals(2, source.fetches.get());
    tokens.assertValueCount(2);
  }

  @Test
  void closeCancelsTheTimerAndLaterCallsFail() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source).autoRefresh(true));
    TestObserver<Token> tokens = provider.tokens().test();
    fetchFirst(provider);

    provider.close();
    advanceTo(SECONDS.toMillis(600));

    assertEquals(1, source.fetches.get(), "no refresh after close()");
    tokens.assertComplete();
    provider.token().test().assertError(IllegalStateException.class);
  }

  @Test
  void closeFailsCallersWaitingForTheFetchInFlight() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    TestObserver<Token> waiting = provider.token().test();

    provider.close();
    scheduler.triggerActions();

    waiting.assertError(IllegalStateException.class);
    assertEquals(0, source.fetches.get());
  }

  @Test
  void pastTheExpiryMarginCallersWaitForTheFreshToken() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    fetchFirst(provider);

    // The margin is min(30 s, 10%) = 30 s: from 270 s on the old token is not handed out.
    advanceTo(SECONDS.toMillis(271));
    TestObserver<Token> caller = provider.token().test();
    caller.assertNoValues();

    scheduler.triggerActions();
    caller.assertValue(token -> token.value().equals("token-2"));
  }

  @Test
  void noExpiredTokenIsEverHandedOut() {
    ScriptedSource source = source(Duration.ofSeconds(2));
    TokenProvider provider = provider(builder(source));
    for (long millis = 0; millis < 20_000; millis += 10) {
      advanceTo(millis);
      TestObserver<Token> caller = provider.token().test();
      scheduler.triggerActions();
      Token token = caller.values().get(0);
      assertTrue(
          scheduler.now(MILLISECONDS) < token.expiresAt().toEpochMilli(),
          "expired token handed out at " + millis);
    }
  }

  @Test
  void retryableFailuresAreRetriedWithBackoffInVirtualTime() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    source.failNext(ScriptedSource.serviceUnavailable(), ScriptedSource.serviceUnavailable());
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();
    assertEquals(1, source.fetches.get());
    caller.assertNoValues().assertNoErrors();

    // Full jitter: the first retry within 500 ms, the second within 1000 ms after it.
    advanceTo(500);
    assertEquals(2, source.fetches.get());
    advanceTo(1500);
    assertEquals(3, source.fetches.get());
    caller.assertValue(token -> token.value().equals("token-3"));
  }

  @Test
  void retryAfterIsRespected() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    source.failNext(ScriptedSource.tooManyRequests(Duration.ofSeconds(10)));
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();
    advanceTo(9_999);
    assertEquals(1, source.fetches.get(), "no retry before Retry-After");
    advanceTo(10_000);
    assertEquals(2, source.fetches.get());
    caller.assertValue(token -> token.value().equals("token-2"));
  }

  @Test
  void retriesStopAtMaxAttemptsAndCallersGetTheLastError() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    source.failForever = true;
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> caller = provider.token().test();
    advanceTo(SECONDS.toMillis(5));

    assertEquals(3, source.fetches.get());
    caller.assertError(TokenServiceException.class);
  }

  @Test
  void nonRetryableFailureReachesCallersAtOnce() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    source.failNext(new InvalidTokenRequestException("HTTP 400", "test", 400, "invalid_request", null));
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> caller = provider.token().test();
    scheduler.triggerActions();

    caller.assertError(InvalidTokenRequestException.class);
    assertEquals(1, source.fetches.get());
  }

  @Test
  void failedRefreshKeepsServingTheValidTokenAndRetriesUntilItExpires() {
    ScriptedSource source = source(Duration.ofSeconds(100));
    TokenProvider provider = provider(builder(source));
    TestObserver<TokenEvent> events = provider.events().test();
    Token first = fetchFirst(provider);
    source.failForever = true;

    // Window min(300 s, 25%) = 25 s: refresh from 75..87.5 s; margin 10 s: usable until 90 s.
    advanceTo(88_000);
    provider.token().test().assertValue(first);
    scheduler.triggerActions();
    assertTrue(source.fetches.get() >= 2, "a background refresh ran");
    advanceTo(89_900);
    provider.token().test().assertValue(first);
    int fetchesWhileValid = source.fetches.get();
    assertTrue(fetchesWhileValid >= 3, "the refresh was retried with backoff: " + fetchesWhileValid);

    advanceTo(90_000);
    TestObserver<Token> afterExpiry = provider.token().test();
    scheduler.advanceTimeBy(30, SECONDS);
    afterExpiry.assertError(TokenServiceException.class);
    assertTrue(events.values().stream().anyMatch(e -> e.type() == TokenEvent.Type.REFRESH_FAILED));
  }

  @Test
  void rejectedCredentialsFailFastDuringTheCooldownThenOneNewAttempt() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    CredentialsRejectedException rejected = ScriptedSource.rejected();
    source.failNext(rejected, rejected);
    TokenProvider provider = provider(builder(source));

    TestObserver<Token> first = provider.token().test();
    scheduler.triggerActions();
    first.assertError(rejected);

    for (int i = 0; i < 10; i++) {
      advanceTo(SECONDS.toMillis(3 * i));
      provider.token().test().assertError(rejected);
    }
    assertEquals(1, source.fetches.get(), "no request during the 30 s cool-down");

    advanceTo(SECONDS.toMillis(30));
    provider.token().test();
    scheduler.triggerActions();
    assertEquals(2, source.fetches.get(), "one new attempt after the cool-down");
  }

  @Test
  void aSourceOfExpiredTokensDoesNotCauseAStorm() {
    ScriptedSource source = source(Duration.ZERO);
    TokenProvider provider = provider(builder(source).autoRefresh(true));

    provider.token().test();
    scheduler.advanceTimeBy(10, java.util.concurrent.TimeUnit.MINUTES);

    // With nobody asking and no usable token, one request at most every 2 minutes.
    int fetches = source.fetches.get();
    assertTrue(fetches <= 6, "fetches in 10 minutes: " + fetches);
    assertTrue(fetches >= 5, "it keeps trying in the background: " + fetches);
  }

  @Test
  void aBurstOfInvalidationsForOneTokenCausesOneFetch() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    Token first = fetchFirst(provider);

    for (int i = 0; i < 100; i++) provider.invalidate(first);
    List<TestObserver<Token>> callers = new ArrayList<>();
    for (int i = 0; i < 10; i++) callers.add(provider.token().test());
    scheduler.triggerActions();
    for (int i = 0; i < 100; i++) provider.invalidate(first);

    assertEquals(2, source.fetches.get());
    for (TestObserver<Token> caller : callers) caller.assertValue(token -> token.value().equals("token-2"));
    provider.token().test().assertValue(token -> token.value().equals("token-2"));
  }

  @Test
  void invalidatingAnOlderTokenIsANoOp() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    Token old = Token.builder("token-0").expiresAt(java.time.Instant.ofEpochSecond(300)).build();
    Token current = fetchFirst(provider);

    provider.invalidate(old);
    provider.token().test().assertValue(current);
    scheduler.triggerActions();
    assertEquals(1, source.fetches.get());
  }

  @Test
  void eventsReportFetchesFailuresAndInvalidationsWithoutTheToken() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    source.failNext(ScriptedSource.serviceUnavailable());
    TokenProvider provider = provider(builder(source));
    TestObserver<TokenEvent> events = provider.events().test();

    provider.token().test();
    advanceTo(1000);
    Token current = provider.token().blockingGet();
    provider.invalidate(current);
    scheduler.triggerActions(); // events are delivered on the provider's scheduler

    List<TokenEvent.Type> types = new ArrayList<>();
    events.values().forEach(e -> types.add(e.type()));
    assertEquals(
        List.of(TokenEvent.Type.REFRESH_FAILED, TokenEvent.Type.FETCHED, TokenEvent.Type.INVALIDATED), types);
    assertEquals(1, events.values().get(0).attempt());
    assertNotNull(events.values().get(1).expiresAt());
    for (TokenEvent event : events.values()) assertFalse(event.toString().contains(current.value()));
  }

  @Test
  void servedWhileRefreshingIsReported() {
    ScriptedSource source = source(Duration.ofSeconds(300));
    TokenProvider provider = provider(builder(source));
    fetchFirst(provider);
    TestObserver<TokenEvent> events = provider.events().test();

    advanceTo(263_000);
    provider.token().test();
    scheduler.triggerActions(); // events are delivered on the provider's scheduler

    assertTrue(events.values().stream().anyMatch(e -> e.type() == TokenEvent.Type.SERVED_WHILE_REFRESHING));
  }

  @Test
  void aHangingSourceTimesOutAsARetryableFailure() {
    TokenSource hanging = Single::never;
    TokenProvider provider =
        provider(
            TokenProvider.builder(hanging)
                .scheduler(scheduler)
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).attemptTimeout(Duration.ofSeconds(5)).build()));

    TestObserver<Token> caller = provider.token().test();
    advanceTo(4_999);
    caller.assertNoErrors();
    advanceTo(5_000);
    caller.assertError(TokenServiceException.class);
  }

  @Test
  void builderRejectsNullsAndNegativeCooldown() {
    assertThrows(NullPointerException.class, () -> TokenProvider.builder(null));
    ScriptedSource source = source(Duration.ofSeconds(1));
    assertThrows(NullPointerException.class, () -> TokenProvider.builder(source).scheduler(null));
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenProvider.builder(source).credentialsCooldown(Duration.ofSeconds(-1)));
  }

  @Test
  void tokensStampedOnTheWallClockKeepTheirLifetimeOnAVirtualClock() {
    // A real vendor source stamps tokens on the wall clock; the TestScheduler starts at 1970.
    AtomicInteger fetches = new AtomicInteger();
    TokenSource wallClock =
        () -> Single.fromCallable(() -> {
          Instant now = Instant.now();
          return Token.builder("wall-" + fetches.incrementAndGet()).receivedAt(now).expiresAt(now.plusSeconds(300)).build();
        });
    TokenProvider provider = provider(TokenProvider.builder(wallClock).scheduler(scheduler));
    provider.token().test();
    scheduler.triggerActions();

    advanceTo(SECONDS.toMillis(200));
    provider.token().test().assertValue(token -> token.value().equals("wall-1"));
    advanceTo(SECONDS.toMillis(271));
    TestObserver<Token> afterMargin = provider.token().test();
    scheduler.triggerActions();
    afterMargin.assertValue(token -> token.value().equals("wall-2"));
  }

  @Test
  void aTokenThatExpiredInTransitIsFetchedAgainNotHandedOut() {
    AtomicInteger fetches = new AtomicInteger();
    TokenSource slowDelivery =
        () -> Single.fromCallable(() -> {
          int n = fetches.incrementAndGet();
          Instant now = Instant.ofEpochMilli(scheduler.now(MILLISECONDS));
          // The first token was received 2 s ago and lived 1 s: it expired before it reached the provider.
          Instant received = n == 1 ? now.minusSeconds(2) : now;
          return Token.builder("token-" + n).receivedAt(received).expiresAt(received.plusSeconds(n == 1 ? 1 : 300)).build();
        });
    TokenProvider provider = provider(TokenProvider.builder(slowDelivery).scheduler(scheduler).random(new Random(3)));

    TestObserver<Token> caller = provider.token().test();
    advanceTo(1_000);

    caller.assertValue(token -> token.value().equals("token-2"));
    assertEquals(2, fetches.get());
  }
}
