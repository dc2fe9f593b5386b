package io.servicetoken.testing;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.TokenServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's fleet mode on virtual time: several providers (as pods would be) sharing one {@link
 * InMemoryTokenStore}, each a vendor request counter away from the promise it keeps. The same promises against a
 * real Redis, across processes, are token-redis's tests.
 */
class FleetEngineTest {
  private static final String KEY = "fleet-test";

  private final TestScheduler scheduler = new TestScheduler();
  private final InMemoryTokenStore store = InMemoryTokenStore.create(scheduler);
  private final AtomicInteger requests = new AtomicInteger();
  private final List<TokenProvider> providers = new ArrayList<>();
  /** The vendor answers after this long; a hanging vendor never does. */
  private volatile long latencyMillis = 1_000;
  private final AtomicBoolean hanging = new AtomicBoolean();
  private final AtomicBoolean rejecting = new AtomicBoolean();

  /** A vendor issuing 300 s tokens after {@link #latencyMillis} on the virtual clock. */
  private final TokenSource vendor = () -> Single.defer(() -> {
    int n = requests.incrementAndGet();
    if (hanging.get()) return Single.never();
    if (rejecting.get()) {
      return Single.<Token>error(new CredentialsRejectedException("HTTP 401", "test", 401, "invalid_grant", null))
          .delay(latencyMillis, MILLISECONDS, scheduler, true);
    }
    return Single.fromCallable(() -> {
      Instant now = Instant.ofEpochMilli(scheduler.now(MILLISECONDS));
      return Token.builder("token-" + n).receivedAt(now).expiresAt(now.plusSeconds(300)).build();
    }).delaySubscription(latencyMillis, MILLISECONDS, scheduler);
  });

  @AfterEach
  void close() {
    providers.forEach(TokenProvider::close);
  }

  private TokenProvider pod(boolean autoRefresh) {
    TokenProvider provider =
        TokenProvider.builder(vendor)
            .scheduler(scheduler)
            .autoRefresh(autoRefresh)
            .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(10)).build())
            .store(store, KEY)
            .build();
    providers.add(provider);
    return provider;
  }

  @Test
  void aColdFleetMakesOneVendorRequestAndEveryPodGetsItsToken() {
    List<TestObserver<Token>> callers = new ArrayList<>();
    for (int i = 0; i < 8; i++) callers.add(pod(false).token().test());

    scheduler.advanceTimeBy(3, SECONDS);

    assertEquals(1, requests.get());
    for (TestObserver<Token> caller : callers) caller.assertValue(token -> token.value().equals("token-1"));
  }

  @Test
  void anAutoRefreshingFleetMakesAboutOneVendorRequestPerLifetime() {
    for (int i = 0; i < 8; i++) pod(true).token().test();
    scheduler.advanceTimeBy(3, SECONDS);

    scheduler.advanceTimeBy(1, java.util.concurrent.TimeUnit.HOURS);

    // 3600 s of 300 s tokens refreshed at 225-247.5 s: about 16 lifetimes, one request each (8 pods alone: 128).
    assertTrue(requests.get() <= 20, "vendor requests in an hour: " + requests.get());
    for (TokenProvider provider : providers) provider.token().test().assertValueCount(1);
  }

  @Test
  void aLeaseHolderThatDiesBlocksTheOthersForTheLeaseTimeAtMost() {
    // The holder runs on a clock of its own that stops after it took the lease and sent its request: a dead pod.
    TestScheduler frozen = new TestScheduler();
    TokenProvider holder =
        TokenProvider.builder(() -> Single.defer(() -> {
              requests.incrementAndGet();
              return Single.<Token>never();
            }))
            .scheduler(frozen)
            .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(10)).build())
            .store(store, KEY)
            .build();
    providers.add(holder);
    holder.token().test();
    frozen.triggerActions();
    assertEquals(1, requests.get());

    TestObserver<Token> other = pod(false).token().test();
    // The lease lasts the attempt timeout (10 s) plus 5 s; then the other pod takes it and fetches (1 s).
    scheduler.advanceTimeBy(14, SECONDS);
    other.assertNoValues();
    scheduler.advanceTimeBy(3, SECONDS);

    other.assertValue(token -> token.value().equals("token-2"));
    assertEquals(2, requests.get());
  }

  @Test
  void invalidationsOfOneTokenAcrossTheFleetCauseOneVendorRequest() {
    List<TokenProvider> fleet = new ArrayList<>();
    for (int i = 0; i < 5; i++) fleet.add(pod(false));
    fleet.forEach(provider -> provider.token().test());
    scheduler.advanceTimeBy(3, SECONDS);
    Token rejected = fleet.get(0).token().blockingGet();

    List<TestObserver<Token>> after = new ArrayList<>();
    for (TokenProvider provider : fleet) {
      provider.invalidate(rejected);
      after.add(provider.token().test());
    }
    scheduler.advanceTimeBy(5, SECONDS);

    assertEquals(2, requests.get());
    for (TestObserver<Token> caller : after) caller.assertValue(token -> token.value().equals("token-2"));
  }

  @Test
  void aPodInvalidatingAnOldTokenAdoptsTheNewerOneFromTheStore() {
    TokenProvider a = pod(false);
    TokenProvider b = pod(false);
    a.token().test();
    scheduler.advanceTimeBy(3, SECONDS);
    b.token().test();
    scheduler.triggerActions();
    Token old = a.token().blockingGet();
    a.invalidate(old);
    a.token().test();
    scheduler.advanceTimeBy(3, SECONDS);
    assertEquals(2, requests.get());

    b.invalidate(old); // b still holds the old token: it gets the newer one from the store, not from the vendor
    TestObserver<Token> caller = b.token().test();
    scheduler.advanceTimeBy(3, SECONDS);

    caller.assertValue(token -> token.value().equals("token-2"));
    assertEquals(2, requests.get());
  }

  @Test
  void aRejectedPasswordPausesTheWholeFleetWithoutFurtherRequests() {
    rejecting.set(true);
    TestObserver<Token> first = pod(false).token().test();
    scheduler.advanceTimeBy(2, SECONDS);
    first.assertError(CredentialsRejectedException.class);

    List<TestObserver<Token>> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) others.add(pod(false).token().test());
    scheduler.advanceTimeBy(2, SECONDS);

    assertEquals(1, requests.get(), "one vendor request for the whole fleet during the cool-down");
    for (TestObserver<Token> other : others) {
      other.assertError(e -> e instanceof CredentialsRejectedException && e.getMessage().contains("shared by the fleet"));
    }
    scheduler.advanceTimeBy(30, SECONDS);
    rejecting.set(false);
    TestObserver<Token> afterCooldown = pod(false).token().test();
    scheduler.advanceTimeBy(2, SECONDS);
    afterCooldown.assertValueCount(1);
  }

  @Test
  void aStoreThatFailsIsNeverANewWayToFail() {
    latencyMillis = 100;
    store.setAvailable(false);
    TokenProvider provider = pod(false);
    TestObserver<TokenEvent> events = provider.events().test();

    TestObserver<Token> caller = provider.token().test();
    scheduler.advanceTimeBy(2, SECONDS);

    caller.assertValueCount(1);
    assertTrue(events.values().stream().anyMatch(e -> e.storeResult() == TokenEvent.StoreResult.ERROR));
    // While the breaker is open the store is not asked: one failed call, not one per step.
    long errors = events.values().stream().filter(e -> e.storeResult() == TokenEvent.StoreResult.ERROR).count();
    assertEquals(1, errors);

    store.setAvailable(true);
    scheduler.advanceTimeBy(31, SECONDS);
    TokenProvider second = pod(false);
    second.token().test();
    scheduler.advanceTimeBy(2, SECONDS);
    assertEquals(2, requests.get(), "the first pod's token never reached the store while it was down");
    TokenProvider third = pod(false);
    third.token().test().assertNoValues();
    scheduler.triggerActions();
    assertEquals(2, requests.get(), "sharing resumed once the store came back");
  }

  @Test
  void aCustomSourceWithoutAKeyIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenProvider.builder(vendor).store(store));
    assertTrue(e.getMessage().contains("store(store, key)"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
    assertInstanceOf(IllegalArgumentException.class, e);
  }

  @Test
  void aRetryAfterIsHonouredFleetWide() {
    AtomicInteger calls = new AtomicInteger();
    TokenSource throttled = () -> Single.defer(() -> {
      calls.incrementAndGet();
      return Single.error(new TokenServiceException("HTTP 429", "test", 429, null, Duration.ofMinutes(10), null));
    });
    TokenProvider a = TokenProvider.builder(throttled).scheduler(scheduler).store(store, KEY).build();
    TokenProvider b = TokenProvider.builder(throttled).scheduler(scheduler).store(store, KEY).build();
    providers.add(a);
    providers.add(b);

    a.token().test();
    scheduler.triggerActions();
    TestObserver<Token> other = b.token().test();
    scheduler.triggerActions();

    assertEquals(1, calls.get(), "the second pod honours the first pod's Retry-After");
    other.assertError(TokenServiceException.class);
  }
}
