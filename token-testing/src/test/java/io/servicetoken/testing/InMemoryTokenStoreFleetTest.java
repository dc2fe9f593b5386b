package io.servicetoken.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.RefreshPolicy;
import io.servicetoken.RetryPolicy;
import io.servicetoken.StoredToken;
import io.servicetoken.Token;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenServiceException;
import io.servicetoken.TokenSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Providers sharing one {@link InMemoryTokenStore} on virtual time, as a fleet shares Redis: the promises about time
 * (one request per token lifetime over many lifetimes, adoption at the next look) without waiting for real time.
 * The same promises against a real Redis, on short real lifetimes, are token-redis's {@code FleetModeTest}.
 */
class InMemoryTokenStoreFleetTest {
  static final String KEY = "account";
  final TestScheduler scheduler = new TestScheduler();
  final InMemoryTokenStore store = InMemoryTokenStore.create(scheduler);
  final AtomicInteger requests = new AtomicInteger();
  final List<TokenProvider> fleet = new ArrayList<>();

  @AfterEach
  void closeFleet() {
    fleet.forEach(TokenProvider::close);
  }

  @Test
  void autoRefreshingFleetMakesOneRequestPerLifetimeAndCallersNeverWait() {
    Duration lifetime = Duration.ofSeconds(300);
    TokenSource vendor = source(lifetime, Duration.ZERO);
    for (int i = 0; i < 8; i++) provider(vendor, b -> b.autoRefresh(true));
    List<TestObserver<Token>> cold = new ArrayList<>();
    for (TokenProvider provider : fleet) cold.add(provider.token().test());
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS); // one fetched, the others looked again 50 ms later and adopted
    for (TestObserver<Token> ask : cold) ask.assertValue(t -> t.value().equals("token-1"));

    int waited = 0;
    long seconds = 20 * lifetime.getSeconds();
    for (long second = 0; second < seconds; second++) {
      scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
      for (TokenProvider provider : fleet) {
        if (provider.token().test().values().isEmpty()) waited++;
      }
    }

    // A 300 s token is refreshed 75 s to 52.5 s before its expiry: every 225 s to 247.5 s, by whichever pod is first.
    int refreshes = requests.get() - 1;
    assertTrue(refreshes >= seconds / 248 && refreshes <= seconds / 225, refreshes + " refreshes in " + seconds + " s");
    assertEquals(0, waited, "calls not served at once");
  }

  @Test
  void podFindingTheLeaseTakenAtItsRefreshMomentAdoptsTheNewTokenBeforeItsOwnStopsBeingUsable() {
    // 3 s tokens without jitter: both pods refresh 750 ms before expiry and stop using a token 300 ms before it.
    TokenSource vendor = source(Duration.ofSeconds(3), Duration.ofMillis(100));
    UnaryOperator<TokenProvider.Builder> config =
        b -> b.autoRefresh(true).refreshPolicy(RefreshPolicy.builder().jitter(false).build());
    TokenProvider first = provider(vendor, config);
    TokenProvider second = provider(vendor, config);
    TestObserver<Token> firstCold = first.token().test();
    TestObserver<Token> secondCold = second.token().test();
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    firstCold.assertValue(t -> t.value().equals("token-1"));
    secondCold.assertValue(t -> t.value().equals("token-1")); // adopted: it waited for the lease holder's token
    long expiry = firstCold.values().get(0).expiresAt().toEpochMilli();

    // Both reach their refresh moment: one takes the lease and fetches for 100 ms, the other finds the lease taken.
    scheduler.advanceTimeTo(expiry - 750 + 100, TimeUnit.MILLISECONDS);
    assertEquals(2, requests.get());
    // The new token has been in the store for 350 ms when the old one stops being usable.
    scheduler.advanceTimeTo(expiry - 301, TimeUnit.MILLISECONDS);

    for (TokenProvider provider : fleet) {
      provider.token().test().assertValue(t -> t.value().equals("token-2"));
    }
    assertEquals(2, requests.get());
  }

  @Test
  void podThatKeepsServingWhileAnotherRefreshesEmitsEachTokenOnce() {
    TokenSource vendor = source(Duration.ofSeconds(300), Duration.ofMillis(100));
    UnaryOperator<TokenProvider.Builder> config =
        b -> b.autoRefresh(true).refreshPolicy(RefreshPolicy.builder().jitter(false).build());
    TokenProvider first = provider(vendor, config);
    TokenProvider second = provider(vendor, config);
    TestObserver<String> firstTokens = first.tokens().map(Token::value).test();
    TestObserver<String> secondTokens = second.tokens().map(Token::value).test();
    first.token().test();
    second.token().test();

    // Both refresh 75 s before expiry; one fetches for 100 ms while the other finds the lease taken and looks again.
    scheduler.advanceTimeBy(300 - 75 + 10, TimeUnit.SECONDS);

    assertEquals(2, requests.get());
    assertEquals(Arrays.asList("token-1", "token-2"), firstTokens.values());
    assertEquals(Arrays.asList("token-1", "token-2"), secondTokens.values());
  }

  @Test
  void retryAfterLongerThanTheLeaseIsHonouredByTheWholeFleet() {
    // The holder's lease lasts its attempt timeout (1 s) plus 5 s; the vendor asks for 20 s, within the retry cap.
    List<Long> arrivals = new ArrayList<>();
    TokenSource vendor = () -> Single.defer(() -> {
      long now = scheduler.now(TimeUnit.MILLISECONDS);
      arrivals.add(now);
      if (arrivals.size() == 1) {
        return Single.error(new TokenServiceException("vendor busy", "test", 503, "temporarily_unavailable",
            Duration.ofSeconds(20), null));
      }
      Instant at = Instant.ofEpochMilli(now);
      return Single.just(Token.builder("token-" + arrivals.size()).receivedAt(at).expiresAt(at.plusSeconds(300))
          .build());
    });
    UnaryOperator<TokenProvider.Builder> config =
        b -> b.retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(1)).build());
    TestObserver<Token> holder = provider(vendor, config).token().test();
    TestObserver<Token> other = provider(vendor, config).token().test();

    scheduler.advanceTimeBy(30, TimeUnit.SECONDS);

    holder.assertValueCount(1);
    other.assertValueCount(1);
    assertTrue(arrivals.get(1) - arrivals.get(0) >= 20_000, "requests at " + arrivals + " ms: one within Retry-After");
    assertEquals(2, arrivals.size(), "requests at " + arrivals + " ms");
  }

  @Test
  void anEntryNoTokenCanBeMadeOfIsAStoreErrorAndGoesAndTheCallerGetsAFreshToken() throws Exception {
    // A custom store handing back a value Token.builder refuses (a corrupted file, a bug): before, the attempt threw
    // on the scheduler and the caller waited for ever.
    store.put(KEY, StoredToken.of("Xq7vR\r\n2mWpL", "Bearer", Duration.ofSeconds(300), Duration.ofSeconds(200)));
    TokenProvider provider = provider(source(Duration.ofSeconds(300), Duration.ZERO), b -> b);
    TestObserver<TokenEvent> events = provider.events().test();

    TestObserver<Token> caller = provider.token().test();
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS);

    caller.assertValue(t -> t.value().equals("token-1"));
    assertNull(store.get(KEY), "the unusable entry was removed, for the next lease holder to replace");
    TokenEvent error = events.values().stream()
        .filter(e -> e.type() == TokenEvent.Type.STORE && e.storeResult() == TokenEvent.StoreResult.ERROR)
        .findFirst().orElseThrow(() -> new AssertionError("no store error in " + events.values()));
    assertInstanceOf(IllegalArgumentException.class, error.error());
    SecretScanner.assertNoSecret(error.error(), "Xq7vR\r\n2mWpL");
    assertEquals(1, requests.get());

    // The next provider finds no entry, takes the lease, fetches and shares again.
    TestObserver<Token> next = provider(source(Duration.ofSeconds(300), Duration.ZERO), b -> b).token().test();
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    next.assertValue(t -> t.value().equals("token-2"));
    assertEquals("token-2", store.get(KEY).value());
  }

  TokenProvider provider(TokenSource source, UnaryOperator<TokenProvider.Builder> config) {
    TokenProvider provider =
        config.apply(TokenProvider.builder(source).scheduler(scheduler).store(store, KEY)).build();
    fleet.add(provider);
    return provider;
  }

  /** The vendor: answers after {@code latency} with a new token of {@code lifetime}, stamped on virtual time. */
  TokenSource source(Duration lifetime, Duration latency) {
    return () -> Single.timer(latency.toMillis(), TimeUnit.MILLISECONDS, scheduler).map(ignored -> {
      Instant now = Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
      return Token.builder("token-" + requests.incrementAndGet()).receivedAt(now).expiresAt(now.plus(lifetime))
          .build();
    });
  }
}
