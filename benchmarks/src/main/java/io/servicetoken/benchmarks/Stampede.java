package io.servicetoken.benchmarks;

import io.servicetoken.benchmarks.Caches.Cache;
import io.servicetoken.benchmarks.Caches.Fetcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Cold stampede: N threads ask a fresh cache for a token at the same moment while the endpoint takes 50 ms. Counts
 * the fetches and measures each caller's wait. Run with {@code java -cp benchmarks.jar
 * io.servicetoken.benchmarks.Stampede [N...]} (default 1000 10000).
 */
public final class Stampede {
  static final Duration FETCH_LATENCY = Duration.ofMillis(50);
  static final Duration LIFETIME = Duration.ofHours(1);
  static final long TIMEOUT_SECONDS = 60;

  private Stampede() {}

  /**
   * Runs the stampede for every cache and prints one table row each.
   *
   * @param args caller counts, default 1000 and 10000
   * @throws Exception if the harness itself fails
   */
  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    List<Function<Fetcher, Cache>> caches = List.of(
        Caches::ours, f -> Caches.google(f, null), Caches::azure, Caches::aws);

    // Warm-up: load classes and JIT the fetch path of every cache, so the first measured row is not the coldest.
    for (Function<Fetcher, Cache> factory : caches) run(factory, 100);

    System.out.println("| callers | cache | fetches | p50 ms | p99 ms | max ms | all served ms | errors |");
    System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int n : sizes) {
      for (Function<Fetcher, Cache> factory : caches) {
        Result r = run(factory, n);
        System.out.printf(Locale.ROOT, "| %,d | %s | %d | %.1f | %.1f | %.1f | %.1f | %d |%n",
            n, r.name, r.fetches, r.percentile(0.50), r.percentile(0.99), r.percentile(1.0), r.wallMillis, r.errors);
      }
    }
  }

  static Result run(Function<Fetcher, Cache> factory, int callers) throws InterruptedException {
    Fetcher fetcher = new Fetcher(FETCH_LATENCY, LIFETIME);
    try (Cache cache = factory.apply(fetcher)) {
      CountDownLatch ready = new CountDownLatch(callers);
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(callers);
      long[] latencies = new long[callers];
      AtomicInteger errors = new AtomicInteger();
      List<Thread> threads = new ArrayList<>(callers);
      for (int i = 0; i < callers; i++) {
        int index = i;
        Runnable caller = () -> {
          try {
            ready.countDown();
            if (!go.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) return;
            long start = System.nanoTime();
            cache.get();
            latencies[index] = System.nanoTime() - start;
          } catch (Exception e) {
            errors.incrementAndGet();
            latencies[index] = -1;
          } finally {
            done.countDown();
          }
        };
        Thread thread = new Thread(null, caller, "caller-" + i, 256 * 1024);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
      if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("callers did not start");
      long start = System.nanoTime();
      go.countDown();
      if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("callers did not finish");
      long wall = System.nanoTime() - start;
      for (Thread thread : threads) thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      return new Result(cache.name(), fetcher.fetches.get(), latencies, wall / 1e6, errors.get());
    }
  }

  static final class Result {
    final String name;
    final int fetches;
    final long[] sorted;
    final double wallMillis;
    final int errors;

    Result(String name, int fetches, long[] latencies, double wallMillis, int errors) {
      this.name = name;
      this.fetches = fetches;
      this.sorted = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
      this.wallMillis = wallMillis;
      this.errors = errors;
    }

    double percentile(double p) {
      if (sorted.length == 0) return Double.NaN;
      int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }
  }
}
