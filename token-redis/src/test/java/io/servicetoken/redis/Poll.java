package io.servicetoken.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that only time brings about (a TTL running out, a server coming back), checking it every
 * few milliseconds until a deadline: the condition decides when the wait ends, the deadline bounds it, and a
 * condition that never holds fails the test instead of hanging it.
 */
final class Poll {
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Poll() {}

  /**
   * Waits until {@code store} answers: a JVM's first Lettuce connection generates proxies for Lettuce's command
   * interfaces, which takes seconds on a loaded 2-core machine, longer than the store waits for it. Tests that time
   * or count calls start from a connected store.
   */
  static void awaitConnected(RedisTokenStore store) {
    until(Duration.ofSeconds(30), () -> {
      store.getFailure("servicetoken-test-connection-probe");
      return true;
    });
  }

  /**
   * Returns how long it took for {@code condition} to hold; fails if it did not within {@code bound}. A condition
   * that throws counts as not holding yet.
   */
  static Duration until(Duration bound, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) return Duration.ofNanos(System.nanoTime() - start);
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError error = new AssertionError("condition did not hold within " + bound);
        if (last != null) error.initCause(last);
        throw error;
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  /**
   * Runs {@code tick} every {@code period} for {@code total} (a caller asking again and again, paced by the clock
   * rather than by what it waits for); returns how many times it ran.
   */
  static int repeat(Duration total, Duration period, Runnable tick) {
    long start = System.nanoTime();
    int ticks = 0;
    for (long due = start; due - start < total.toNanos(); due += period.toNanos()) {
      long wait = due - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
      tick.run();
      ticks++;
    }
    return ticks;
  }
}
