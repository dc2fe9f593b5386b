package io.servicetoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine on real threads and the real clock: what virtual time cannot show. */
class TokenProviderConcurrencyTest {

  @Test
  void thousandConcurrentSubscribersOnAColdCacheCauseExactlyOneFetch() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    TokenSource slow =
        () ->
            Single.fromCallable(
                () -> {
                  fetches.incrementAndGet();
                  // Hold the fetch until every caller has subscribed.
                  assertTrue(release.await(10, TimeUnit.SECONDS));
                  return Token.builder("shared").expiresAt(Instant.now().plusSeconds(300)).build();
                });
    TokenProvider provider = TokenProvider.create(slow);
    int callers = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch subscribed = new CountDownLatch(callers);
    ConcurrentLinkedQueue<String> values = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(callers);
    try {
      for (int i = 0; i < callers; i++) {
        pool.execute(
            () -> {
              provider.token().subscribe(token -> {
                values.add(token.value());
                done.countDown();
              }, error -> done.countDown());
              subscribed.countDown();
            });
      }
      assertTrue(subscribed.await(10, TimeUnit.SECONDS));
      release.countDown();
      assertTrue(done.await(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
      provider.close();
    }
    assertEquals(1, fetches.get());
    assertEquals(callers, values.size());
    assertTrue(values.stream().allMatch("shared"::equals));
  }

  @Test
  void eightThreadsForFiveSecondsWithFiftyMillisecondTokens() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    Duration lifetime = Duration.ofMillis(50);
    TokenSource source =
        () ->
            Single.fromCallable(
                () -> {
                  int n = fetches.incrementAndGet();
                  Instant now = Instant.now();
                  return Token.builder("t" + n).receivedAt(now).expiresAt(now.plus(lifetime)).build();
                });
    TokenProvider provider = TokenProvider.builder(source).scheduler(Schedulers.io()).build();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger expired = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    long runMillis = 5_000;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch finished = new CountDownLatch(8);
    for (int t = 0; t < 8; t++) {
      pool.execute(
          () -> {
            try {
              while (System.nanoTime() < deadline) {
                Instant before = Instant.now();
                Token token = provider.token().timeout(5, TimeUnit.SECONDS).blockingGet();
                calls.incrementAndGet();
                if (token.isExpired(before)) expired.incrementAndGet();
              }
            } catch (Throwable e) {
              errors.add(e);
            } finally {
              finished.countDown();
            }
          });
    }
    try {
      assertTrue(finished.await(runMillis + 10_000, TimeUnit.MILLISECONDS));
    } finally {
      pool.shutdownNow();
      provider.close();
    }
    assertEquals(List.of(), List.copyOf(errors));
    assertEquals(0, expired.get(), "expired tokens handed out");
    // A 50 ms token refreshes 37.5..43.75 ms after it arrives; with fetch and thread overheads no more than
    // one fetch per 37.5 ms can happen, plus the first.
    int bound = (int) (runMillis / 37.5) + 1;
    assertTrue(fetches.get() <= bound, "fetches " + fetches.get() + " > bound " + bound);
    assertTrue(calls.get() > fetches.get() * 10, "most calls are served from the cache: " + calls.get());
  }
}
