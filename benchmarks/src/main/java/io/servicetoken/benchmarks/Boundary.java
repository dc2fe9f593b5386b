package io.servicetoken.benchmarks;

import io.servicetoken.benchmarks.Caches.Cache;
import io.servicetoken.benchmarks.Caches.Fetcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Expiry boundary: tokens living 2 s, an endpoint taking 50 ms, 4 callers each asking every 10 ms for 5 s. Counts
 * fetches, calls that blocked (took over 1 ms) after each caller's first call (the cold start), and tokens handed out
 * that had already expired. Run with {@code java -cp benchmarks.jar io.servicetoken.benchmarks.Boundary}.
 */
public final class Boundary {
  static final Duration LIFETIME = Duration.ofSeconds(2);
  static final Duration FETCH_LATENCY = Duration.ofMillis(50);
  static final int CALLERS = 4;
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long BLOCKED_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Nothing but a fetch (50 ms) makes a call here take over 10 ms; calls between 1 and 10 ms are scheduling noise. */
  static final long WAITED_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** {@code -Dboundary.verbose=true} prints every blocked call after the cold start. */
  static final boolean VERBOSE = Boolean.getBoolean("boundary.verbose");

  private Boundary() {}

  /**
   * Runs the boundary scenario for every cache and prints one table row each.
   *
   * @param args ignored
   * @throws Exception if the harness itself fails
   */
  public static void main(String[] args) throws Exception {
    // Our defaults for a 2 s token: refresh from 500 ms before expiry, stop using 200 ms before it.
    Duration[] ourMargins = {Duration.ofMillis(500), Duration.ofMillis(200)};
    List<Function<Fetcher, Cache>> caches = List.of(
        Caches::ours, f -> Caches.google(f, null), f -> Caches.google(f, ourMargins), Caches::azure, Caches::aws);
    System.out.println("| cache | calls | fetches | blocked at cold start | blocked (> 1 ms) after cold start |"
        + " of which > 10 ms | worst wait ms | expired tokens handed out | errors |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Function<Fetcher, Cache> factory : caches) {
      Result r = run(factory);
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %d | %d |%n",
          r.name, r.calls.get(), r.fetches, r.coldBlocked.get(), r.blocked.get(), r.waited.get(), r.worstNanos() / 1e6,
          r.expired.get(), r.errors.get());
    }
  }

  static Result run(Function<Fetcher, Cache> factory) throws InterruptedException {
    Fetcher fetcher = new Fetcher(FETCH_LATENCY, LIFETIME);
    try (Cache cache = factory.apply(fetcher)) {
      Result result = new Result(cache.name());
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        Thread thread = new Thread(() -> call(cache, start, result), "boundary-caller-" + c);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) thread.join(TimeUnit.NANOSECONDS.toMillis(RUN_NANOS) + 60_000);
      result.fetches = fetcher.fetches.get();
      return result;
    }
  }

  private static void call(Cache cache, long start, Result result) {
    // Bounded by time, not by count: a cache whose calls block makes fewer calls in the same 5 s.
    for (long tick = 0; ; tick++) {
      long due = start + tick * PERIOD_NANOS;
      if (due - start >= RUN_NANOS || System.nanoTime() - start >= RUN_NANOS) return;
      long wait = due - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
      long before = System.nanoTime();
      try {
        String value = cache.get();
        long took = System.nanoTime() - before;
        result.calls.incrementAndGet();
        if (System.currentTimeMillis() >= Caches.expiryOf(value)) result.expired.incrementAndGet();
        if (took > BLOCKED_NANOS) (tick == 0 ? result.coldBlocked : result.blocked).incrementAndGet();
        if (tick > 0 && took > WAITED_NANOS) result.waited.incrementAndGet();
        if (tick > 0) result.worst.accumulateAndGet(took, Math::max);
        if (VERBOSE && tick > 0 && took > BLOCKED_NANOS) {
          System.out.printf(Locale.ROOT, "  %s: %s blocked %.1f ms at %.0f ms (tick %d), token %s%n", cache.name(),
              Thread.currentThread().getName(), took / 1e6, (before - start) / 1e6, tick, value);
        }
      } catch (Exception e) {
        result.errors.incrementAndGet();
      }
    }
  }

  static final class Result {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger coldBlocked = new AtomicInteger();
    final AtomicInteger blocked = new AtomicInteger();
    final AtomicInteger waited = new AtomicInteger();
    final AtomicInteger expired = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicLong worst = new AtomicLong();
    int fetches;

    Result(String name) {
      this.name = name;
    }

    long worstNanos() {
      return worst.get();
    }
  }
}
