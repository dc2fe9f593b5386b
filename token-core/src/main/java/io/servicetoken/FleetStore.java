package io.servicetoken;

import io.servicetoken.TokenEvent.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A provider's side of its {@link TokenStore}: the key and the lease owner, and the rule that the store is never a
 * new way to fail. Every call is timed and reported as a {@link TokenEvent.Type#STORE} event; a call that throws
 * reports {@link StoreResult#ERROR} and opens a breaker: the provider goes on without the store (as if it had none)
 * for a second, then twice as long after each further failure, up to {@link #MAX_PAUSE_MILLIS}, so an outage costs
 * one failed call per pause rather than one per token request, and sharing resumes within that pause of the store
 * coming back. Called on the provider's scheduler only.
 */
final class FleetStore {
  static final long FIRST_PAUSE_MILLIS = 1_000;
  static final long MAX_PAUSE_MILLIS = 30_000;

  /** Receives what the store did. */
  interface Listener {
    void onStoreCall(StoreResult result, Duration took, @Nullable Throwable error);
  }

  private final TokenStore store;
  private final String key;
  /** Names this provider as a lease holder: random, so it says nothing about the account. */
  private final String owner = UUID.randomUUID().toString();
  private final Duration leaseTtl;
  private final Listener listener;
  private final Clock clock;

  private volatile long pausedUntil = Long.MIN_VALUE;
  private volatile long pause = FIRST_PAUSE_MILLIS;

  /** The provider's clock, in milliseconds. */
  interface Clock {
    long now();
  }

  FleetStore(TokenStore store, String key, Duration leaseTtl, Listener listener, Clock clock) {
    this.store = store;
    this.key = key;
    this.leaseTtl = leaseTtl;
    this.listener = listener;
    this.clock = clock;
  }

  /** Whether the store is in use now: false while the breaker is open after a failure. */
  boolean available() {
    return clock.now() >= pausedUntil;
  }

  /** The shared token, or null when there is none, or the store failed or is paused. */
  @Nullable StoredToken get() {
    return call(true, () -> store.get(key));
  }

  /** The failure pausing the fleet, or null when there is none, or the store failed or is paused. */
  @Nullable StoredFailure getFailure() {
    return call(true, () -> store.getFailure(key));
  }

  void put(StoredToken token) {
    call(false, () -> {
      store.put(key, token);
      return Boolean.TRUE;
    });
  }

  void putFailure(StoredFailure failure) {
    call(false, () -> {
      store.putFailure(key, failure);
      return Boolean.TRUE;
    });
  }

  /** Removes the shared token if it is still {@code value}. */
  void remove(String value) {
    call(false, () -> store.remove(key, value));
  }

  /**
   * Takes the lease: true when this provider may ask the vendor, also when the store failed or is paused (then the
   * provider asks by itself, as without a store, and {@link #available()} says so).
   */
  boolean tryLease() {
    Boolean taken = call(false, () -> store.tryLease(key, owner, leaseTtl));
    return taken == null || taken;
  }

  /** Keeps the lease this provider holds for {@code pause} more than a lease lasts, while it waits to retry. */
  void holdLease(Duration pause) {
    call(false, () -> store.tryLease(key, owner, leaseTtl.plus(pause)));
  }

  void releaseLease() {
    call(false, () -> {
      store.releaseLease(key, owner);
      return Boolean.TRUE;
    });
  }

  /** One call to the store. */
  private interface Call<T> {
    @Nullable T run() throws Exception;
  }

  /**
   * Makes one timed call unless the breaker is open, and reports it: a read as {@link StoreResult#HIT} or {@link
   * StoreResult#MISS} by what it found, anything else as {@link StoreResult#WRITE}; a call that throws as {@link
   * StoreResult#ERROR}, opening the breaker.
   *
   * @return what the call returned; null when it failed or the store is paused
   */
  private <T> @Nullable T call(boolean read, Call<T> call) {
    if (!available()) return null;
    long started = System.nanoTime();
    try {
      T value = call.run();
      StoreResult result = !read ? StoreResult.WRITE : value != null ? StoreResult.HIT : StoreResult.MISS;
      succeeded(result, started);
      return value;
    } catch (Throwable e) {
      failed(started, e);
      return null;
    }
  }

  private void succeeded(StoreResult result, long started) {
    pause = FIRST_PAUSE_MILLIS;
    listener.onStoreCall(result, took(started), null);
  }

  private void failed(long started, Throwable e) {
    long current = pause;
    pausedUntil = clock.now() + current;
    pause = Math.min(current * 2, MAX_PAUSE_MILLIS);
    listener.onStoreCall(StoreResult.ERROR, took(started), e);
  }

  private static Duration took(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** A failure another provider of the fleet shared, as this provider's callers see it. */
  static TokenException failureOf(StoredFailure failure) {
    String message =
        failure.message() + " (shared by the fleet through its TokenStore: no request for another "
            + failure.remaining().getSeconds() + " s)";
    if (failure.credentialsRejected()) {
      return new CredentialsRejectedException(
          message, failure.vendor(), failure.statusCode(), failure.errorCode(), null);
    }
    return new TokenServiceException(
        message, failure.vendor(), failure.statusCode(), failure.errorCode(), failure.remaining(), null);
  }

  /**
   * What the fleet must honour of a failed fetch: a rejection of the credentials for the cool-down, and a server's
   * {@code Retry-After}; null for anything else, which each provider retries on its own backoff.
   */
  static @Nullable StoredFailure shareable(Throwable error, long pauseMillis) {
    if (pauseMillis <= 0 || !(error instanceof TokenException)) return null;
    TokenException e = (TokenException) error;
    boolean credentials = e instanceof CredentialsRejectedException;
    if (!credentials && !(e instanceof TokenServiceException && ((TokenServiceException) e).retryAfter() != null)) {
      return null;
    }
    String message = String.valueOf(e.getMessage());
    return StoredFailure.of(
        credentials, e.vendor(), e.statusCode(), e.errorCode(), message, Duration.ofMillis(pauseMillis));
  }

  /** {@code stored} as a token on the provider's clock, {@code now}: it expires when its time left has passed. */
  static Token tokenOf(StoredToken stored, long now) {
    long remaining = stored.remaining().toMillis();
    long lifetime = stored.lifetime().toMillis();
    return Token.builder(stored.value())
        .type(stored.type())
        .receivedAt(Instant.ofEpochMilli(now - (lifetime - remaining)))
        .expiresAt(Instant.ofEpochMilli(now + remaining))
        .build();
  }

  /** {@code token} as the store keeps it: its lifetime and the time it has left, never an instant. */
  static StoredToken storedOf(Token token, long lifetimeMillis, long remainingMillis) {
    return StoredToken.of(
        token.value(),
        token.type(),
        Duration.ofMillis(lifetimeMillis),
        Duration.ofMillis(Math.min(remainingMillis, lifetimeMillis)));
  }

  @Override
  public String toString() {
    return "FleetStore{" + store.getClass().getSimpleName() + ", lease=" + leaseTtl.toMillis() + " ms, paused="
        + !available() + '}';
  }

}
