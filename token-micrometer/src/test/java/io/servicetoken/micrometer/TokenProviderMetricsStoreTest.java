package io.servicetoken.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenStore;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code servicetoken.store.requests} against the event contract: every call a provider makes to its {@link
 * TokenStore} is one {@code STORE} event, so the four series of a provider add up to the calls its store saw. The
 * store here is a small map that counts its calls, on the provider's {@link TestScheduler} clock.
 */
class TokenProviderMetricsStoreTest {
  private static final String PASSWORD = "wonderland-42";
  private static final String KEY = "vyopta:alice";

  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", PASSWORD);

  private final TestScheduler scheduler = new TestScheduler(System.currentTimeMillis(), TimeUnit.MILLISECONDS);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountingStore store = new CountingStore(scheduler);
  private final List<TokenProvider> providers = new ArrayList<>();

  @AfterEach
  void closeProviders() {
    providers.forEach(TokenProvider::close);
  }

  /** A provider sharing the store, bound with the tag {@code pod=pod}. */
  private TokenProvider bound(String pod) {
    TokenProvider provider =
        TokenProvider.builder(
                VyoptaTokenSource.builder()
                    .baseUrl(vyopta.baseUrl().toString())
                    .username("alice")
                    .password(PASSWORD)
                    .build())
            .scheduler(scheduler)
            .store(store, KEY)
            .build();
    providers.add(provider);
    TokenProviderMetrics.of(provider, Tags.of("pod", pod)).bindTo(registry);
    return provider;
  }

  private Token fetch(TokenProvider provider) {
    TestObserver<Token> observer = provider.token().test();
    scheduler.triggerActions();
    return observer.assertNoErrors().assertValueCount(1).values().get(0);
  }

  private long storeCount(String pod, String result) {
    return registry.get("servicetoken.store.requests").tag("pod", pod).tag("result", result).timer().count();
  }

  private long storeTotal(String pod) {
    long total = 0;
    for (Timer timer : registry.get("servicetoken.store.requests").tag("pod", pod).timers()) total += timer.count();
    return total;
  }

  private long requests(String pod, String outcome) {
    return registry.get("servicetoken.requests").tag("pod", pod).tag("outcome", outcome).timer().count();
  }

  @Test
  void storeCallsAreTimedByResult() {
    TokenProvider first = bound("a");
    fetch(first);
    int firstCalls = store.calls.get();

    assertTrue(storeCount("a", "miss") >= 1, "the empty store was read");
    assertTrue(storeCount("a", "write") >= 1, "the fetched token was written");
    assertEquals(0, storeCount("a", "hit"), "every result's series exists from the first call on");
    assertEquals(0, storeCount("a", "error"));
    assertEquals(firstCalls, storeTotal("a"), "one event per store call");
    assertEquals(1, requests("a", "success"));

    TokenProvider second = bound("b");
    fetch(second);

    assertEquals(1, vyopta.requestCount(), "the second provider adopted the first one's token");
    assertEquals(1, storeCount("b", "hit"));
    assertEquals(store.calls.get() - firstCalls, storeTotal("b"));
    assertEquals(0, requests("b", "success"), "adopting a token is no request to the vendor");
  }

  @Test
  void failingStoreIsTimedAsErrorAndTheTokenStillArrives() {
    store.failing = true;
    TokenProvider provider = bound("a");

    fetch(provider);

    assertEquals(1, requests("a", "success"));
    assertTrue(storeCount("a", "error") >= 1);
    assertEquals(store.calls.get(), storeCount("a", "error"), "every failed call is one error");
  }

  /** Tokens in a map, with the time they have left on the provider's clock; counts every call. */
  static final class CountingStore implements TokenStore {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean failing;
    private final Scheduler clock;
    private final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Long> storedAt = new ConcurrentHashMap<>();

    CountingStore(Scheduler clock) {
      this.clock = clock;
    }

    private void call() throws IOException {
      calls.incrementAndGet();
      if (failing) throw new IOException("store down");
    }

    @Override
    public @Nullable StoredToken get(String key) throws IOException {
      call();
      StoredToken token = tokens.get(key);
      Long at = storedAt.get(key);
      if (token == null || at == null) return null;
      Duration left = token.remaining().minusMillis(clock.now(TimeUnit.MILLISECONDS) - at);
      return left.isNegative() || left.isZero() ? null : token.withRemaining(left);
    }

    @Override
    public void put(String key, StoredToken token) throws IOException {
      call();
      tokens.put(key, token);
      storedAt.put(key, clock.now(TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean remove(String key, String value) throws IOException {
      call();
      StoredToken token = tokens.get(key);
      return token != null && token.value().equals(value) && tokens.remove(key, token);
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) throws IOException {
      call();
      return true;
    }

    @Override
    public void releaseLease(String key, String owner) throws IOException {
      call();
    }

    @Override
    public @Nullable StoredFailure getFailure(String key) throws IOException {
      call();
      return null;
    }

    @Override
    public void putFailure(String key, StoredFailure failure) throws IOException {
      call();
    }
  }
}
