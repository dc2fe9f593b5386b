package io.servicetoken.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.servicetoken.RetryPolicy;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenEvent.StoreResult;
import io.servicetoken.TokenProvider;
import io.servicetoken.redis.RedisTokenStore;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One process of the {@link Fleet} harness: a provider (with or without a {@link RedisTokenStore}) and callers that
 * ask it for a token at a fixed pace. Driven by its arguments ({@code key=value}) and stdin; answers on stdout.
 *
 * <ul>
 *   <li>{@code mode=run}: says {@code ready} once its store has connected, waits for {@code go} on stdin, runs its
 *       callers for {@code seconds}, writes every call's latency (nanoseconds, after each caller's first call) to
 *       {@code latencies}, and says one {@code result ...} line.
 *   <li>{@code mode=cold}: builds the store and the provider, asks for one token and says {@code first <micros>
 *       <fetched|adopted>}: the time from {@code main()} to the token, or with {@code connected=true} from the moment
 *       its store has connected.
 * </ul>
 */
public final class FleetPod {
  /** {@code -Dfleet.verbose=true} (passed on by the harness): say every call that waited over 10 ms. */
  static final boolean VERBOSE = Boolean.getBoolean("fleet.verbose");

  private FleetPod() {}

  /**
   * Runs the pod.
   *
   * @param args {@code key=value} pairs: mode, redis (a URI or {@code none}), vendor, key, seconds, callers,
   *     periodMillis, latencies, connected
   * @throws Exception if the harness itself fails
   */
  public static void main(String[] args) throws Exception {
    long mainStarted = System.nanoTime();
    Map<String, String> opts = new HashMap<>();
    for (String arg : args) opts.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    String redis = opts.get("redis");
    RedisTokenStore store = redis.equals("none") ? null : RedisTokenStore.builder(redis)
        .encryptionKey(Base64.getDecoder().decode(Fleet.ENCRYPTION_KEY)).build();
    TokenProvider.Builder builder = TokenProvider.builder(VyoptaTokenSource.builder()
            .baseUrl(opts.get("vendor")).username("fleet").password("fleet-password").client(Loopback.client()).build())
        .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(5)).build())
        .autoRefresh(true);
    if (store != null) builder.store(store, opts.get("key"));
    TokenProvider provider = builder.build();
    List<TokenEvent> events = new ArrayList<>();
    provider.events().subscribe(e -> {
      synchronized (events) {
        events.add(e);
      }
    });

    if (opts.get("mode").equals("cold")) {
      // From main() (the JVM is up), or from the moment the store has connected.
      long start = mainStarted;
      if (store != null && Boolean.parseBoolean(opts.get("connected"))) {
        awaitConnected(store);
        start = System.nanoTime();
      }
      provider.token().blockingGet();
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      // Events arrive on the provider's scheduler, after the token: wait (bounded) for the one that says how.
      String how = "unknown";
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline; ) {
        synchronized (events) {
          if (events.stream().anyMatch(e -> e.type() == TokenEvent.Type.FETCHED)) how = "fetched";
          if (events.stream().anyMatch(e -> e.storeResult() == StoreResult.HIT)) how = "adopted";
        }
        if (!how.equals("unknown")) break;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      String storeError;
      synchronized (events) {
        storeError = events.stream().filter(e -> e.storeResult() == StoreResult.ERROR).findFirst()
            .map(e -> " (store: " + e.error() + ")").orElse("");
      }
      say("first " + micros + " " + how + storeError);
      System.exit(0);
    }

    if (store != null) awaitConnected(store);
    say("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); !"go".equals(line); line = in.readLine()) {
      if (line == null) System.exit(1); // the harness went away before the start
    }
    Result result = run(provider, Integer.parseInt(opts.get("seconds")), Integer.parseInt(opts.get("callers")),
        Long.parseLong(opts.get("periodMillis")), opts.get("latencies"));
    long storeErrors;
    long fetched;
    synchronized (events) {
      storeErrors = events.stream()
          .filter(e -> e.type() == TokenEvent.Type.STORE && e.storeResult() == StoreResult.ERROR).count();
      fetched = events.stream().filter(e -> e.type() == TokenEvent.Type.FETCHED).count();
    }
    say(String.format(Locale.ROOT, "result calls=%d errors=%d blocked=%d waited=%d worstMicros=%d fetched=%d "
            + "storeErrors=%d", result.calls.get(), result.errors.get(), result.blocked.get(), result.waited.get(),
        result.worst.get() / 1000, fetched, storeErrors));
    in.readLine(); // the harness closes stdin when it has read the result
    provider.close();
    if (store != null) store.close();
    System.exit(0);
  }

  private static Result run(TokenProvider provider, int seconds, int callers, long periodMillis, String latencies)
      throws Exception {
    Result result = new Result();
    long start = System.nanoTime();
    long runNanos = TimeUnit.SECONDS.toNanos(seconds);
    long period = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    int perCaller = (int) (runNanos / period) + 2;
    long[][] samples = new long[callers][perCaller];
    int[] counts = new int[callers];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Thread thread = new Thread(() -> {
        for (long tick = 0; ; tick++) {
          long due = start + tick * period;
          if (due - start >= runNanos) return;
          long wait = due - System.nanoTime();
          if (wait > 0) LockSupport.parkNanos(wait);
          long began = System.nanoTime();
          try {
            provider.token().blockingGet();
          } catch (RuntimeException e) {
            result.errors.incrementAndGet();
          }
          long took = System.nanoTime() - began;
          result.calls.incrementAndGet();
          if (tick == 0) continue; // the cold start
          if (counts[caller] < perCaller) samples[caller][counts[caller]++] = took;
          if (took > TimeUnit.MILLISECONDS.toNanos(1)) result.blocked.incrementAndGet();
          if (took > TimeUnit.MILLISECONDS.toNanos(10)) {
            result.waited.incrementAndGet();
            if (VERBOSE) {
              say(String.format(Locale.ROOT, "slow at %d ms: %.1f ms", TimeUnit.NANOSECONDS.toMillis(began - start),
                  took / 1e6));
            }
          }
          result.worst.accumulateAndGet(took, Math::max);
        }
      }, "caller-" + c);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) thread.join(runNanos / 1_000_000 + 60_000);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(latencies)))) {
      for (int c = 0; c < callers; c++) {
        for (int i = 0; i < counts[c]; i++) out.writeLong(samples[c][i]);
      }
    }
    return result;
  }

  private static void awaitConnected(RedisTokenStore store) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        store.getFailure("fleet-connection-probe");
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) throw e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static final class Result {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong blocked = new AtomicLong();
    final AtomicLong waited = new AtomicLong();
    final AtomicLong worst = new AtomicLong();
  }
}
