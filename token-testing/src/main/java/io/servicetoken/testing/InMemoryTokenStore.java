package io.servicetoken.testing;

import io.reactivex.rxjava3.core.Scheduler;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import io.servicetoken.TokenStore;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} in memory, shared by several {@link io.servicetoken.TokenProvider}s of one JVM as the
 * processes of a fleet share Redis: for tests of fleet mode without a Redis server. Thread-safe. Entries, leases and
 * failures expire on its clock exactly as Redis expires keys, leases are exclusive until released by their owner or
 * expired, and {@link #remove} is compare-and-delete.
 *
 * <pre>{@code
 * TestScheduler scheduler = new TestScheduler();
 * InMemoryTokenStore store = InMemoryTokenStore.create(scheduler);   // expiries on virtual time
 * TokenProvider pod1 = TokenProvider.builder(source).store(store).scheduler(scheduler).build();
 * TokenProvider pod2 = TokenProvider.builder(source).store(store).scheduler(scheduler).build();
 * ...
 * store.setAvailable(false);   // every call fails from now on, as a store whose Redis is down
 * }</pre>
 */
public final class InMemoryTokenStore implements TokenStore {
  /** Longer lifetimes are kept this long: a century, far within the nano clock's range. */
  private static final Duration MAX_REMAINING = Duration.ofDays(36_500);

  private final NanoClock nanoClock;
  private final Map<String, Expiring<StoredToken>> tokens = new HashMap<>();
  private final Map<String, Expiring<String>> leases = new HashMap<>();
  private final Map<String, Expiring<StoredFailure>> failures = new HashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private volatile boolean available = true;

  private InMemoryTokenStore(NanoClock nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * A store whose entries expire on real time ({@link System#nanoTime()}).
   *
   * @return an empty store
   */
  public static InMemoryTokenStore create() {
    return new InMemoryTokenStore(System::nanoTime);
  }

  /**
   * A store whose entries expire on {@code scheduler}'s clock, for example a {@code TestScheduler}'s virtual time:
   * give it the scheduler the providers run on.
   *
   * @param scheduler whose {@link Scheduler#now(TimeUnit)} is the store's clock
   * @return an empty store
   */
  public static InMemoryTokenStore create(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler == null");
    return new InMemoryTokenStore(() -> scheduler.now(TimeUnit.NANOSECONDS));
  }

  @Override
  public @Nullable StoredToken get(String key) throws IOException {
    Objects.requireNonNull(key, "key == null");
    enter();
    synchronized (this) {
      Expiring<StoredToken> entry = live(tokens, key);
      return entry == null ? null : entry.value.withRemaining(Duration.ofNanos(entry.remaining(nanoClock)));
    }
  }

  @Override
  public void put(String key, StoredToken token) throws IOException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(token, "token == null");
    enter();
    synchronized (this) {
      tokens.put(key, new Expiring<>(token, expiry(token.remaining())));
    }
  }

  @Override
  public boolean remove(String key, String value) throws IOException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(value, "value == null");
    enter();
    synchronized (this) {
      Expiring<StoredToken> entry = live(tokens, key);
      if (entry == null || !entry.value.value().equals(value)) return false;
      tokens.remove(key);
      return true;
    }
  }

  /**
   * Grants the lease unless another owner holds it; when {@code owner} holds it already, extends it to {@code ttl}
   * (as {@code RedisTokenStore} does).
   */
  @Override
  public boolean tryLease(String key, String owner, Duration ttl) throws IOException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl <= 0: " + ttl);
    enter();
    synchronized (this) {
      Expiring<String> lease = live(leases, key);
      if (lease != null && !lease.value.equals(owner)) return false;
      leases.put(key, new Expiring<>(owner, expiry(ttl)));
      return true;
    }
  }

  @Override
  public void releaseLease(String key, String owner) throws IOException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    enter();
    synchronized (this) {
      Expiring<String> lease = live(leases, key);
      if (lease != null && lease.value.equals(owner)) leases.remove(key);
    }
  }

  @Override
  public @Nullable StoredFailure getFailure(String key) throws IOException {
    Objects.requireNonNull(key, "key == null");
    enter();
    synchronized (this) {
      Expiring<StoredFailure> entry = live(failures, key);
      return entry == null ? null : entry.value.withRemaining(Duration.ofNanos(entry.remaining(nanoClock)));
    }
  }

  @Override
  public void putFailure(String key, StoredFailure failure) throws IOException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(failure, "failure == null");
    enter();
    synchronized (this) {
      failures.put(key, new Expiring<>(failure, expiry(failure.remaining())));
    }
  }

  /**
   * Makes every call fail with an {@link IOException} ({@code false}), as a store whose server is down, or work
   * again ({@code true}, the default). What the store held stays.
   *
   * @param available false to fail every call
   */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /**
   * How many calls the store has had, failed ones included: for asserting that callers with a valid token never
   * reach the store.
   *
   * @return the number of calls since creation
   */
  public long callCount() {
    return calls.get();
  }

  /** Forgets every token, lease and failure (as a Redis restarted without persistence). */
  public synchronized void clear() {
    tokens.clear();
    leases.clear();
    failures.clear();
  }

  /** Says how many live entries it holds; never a token. */
  @Override
  public synchronized String toString() {
    return "InMemoryTokenStore{tokens=" + liveCount(tokens) + ", leases=" + liveCount(leases) + ", failures="
        + liveCount(failures) + (available ? "" : ", unavailable") + '}';
  }

  private void enter() throws IOException {
    calls.incrementAndGet();
    if (!available) throw new IOException("InMemoryTokenStore is unavailable (setAvailable(false))");
  }

  /** An instant of the nano clock, compared by difference (as System.nanoTime's must be), so it never wraps. */
  private long expiry(Duration remaining) {
    long nanos = remaining.compareTo(MAX_REMAINING) > 0 ? MAX_REMAINING.toNanos() : remaining.toNanos();
    return nanoClock.nanos() + nanos;
  }

  private <T> @Nullable Expiring<T> live(Map<String, Expiring<T>> map, String key) {
    Expiring<T> entry = map.get(key);
    if (entry == null) return null;
    if (entry.remaining(nanoClock) <= 0) {
      map.remove(key);
      return null;
    }
    return entry;
  }

  private <T> int liveCount(Map<String, Expiring<T>> map) {
    int count = 0;
    for (Expiring<T> entry : map.values()) {
      if (entry.remaining(nanoClock) > 0) count++;
    }
    return count;
  }

  /** java.util.function is not on Android API 21. */
  private interface NanoClock {
    long nanos();
  }

  private static final class Expiring<T> {
    final T value;
    final long expiresAt;

    Expiring(T value, long expiresAt) {
      this.value = value;
      this.expiresAt = expiresAt;
    }

    long remaining(NanoClock clock) {
      return expiresAt - clock.nanos();
    }
  }
}
