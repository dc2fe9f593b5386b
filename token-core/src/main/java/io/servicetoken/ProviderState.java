package io.servicetoken;

import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link TokenProvider} knows, replaced atomically as a whole: the cached token, the fetch in flight,
 * the last failure and whether the provider is closed. Immutable.
 */
final class ProviderState {
  static final ProviderState EMPTY = new ProviderState(null, null, null, 0, false);
  static final ProviderState CLOSED = new ProviderState(null, null, null, 0, true);

  final @Nullable Cached cached;
  final @Nullable Flight flight;
  final @Nullable Failure failure;
  /** Consecutive failed fetches, for the growing pause between them. */
  final int failedFetches;
  final boolean closed;

  ProviderState(
      @Nullable Cached cached,
      @Nullable Flight flight,
      @Nullable Failure failure,
      int failedFetches,
      boolean closed) {
    this.cached = cached;
    this.flight = flight;
    this.failure = failure;
    this.failedFetches = failedFetches;
    this.closed = closed;
  }

  ProviderState withFlight(@Nullable Flight flight) {
    return new ProviderState(cached, flight, failure, failedFetches, closed);
  }

  ProviderState withCached(@Nullable Cached cached) {
    return new ProviderState(cached, flight, failure, failedFetches, closed);
  }

  /** Whether a token can be handed out at {@code now}. */
  boolean usable(long now) {
    return cached != null && now < cached.usableUntil;
  }

  /** A token and the moments that matter for it, in milliseconds on the provider's clock. */
  static final class Cached {
    final Token token;
    /** When the token expires; never later than its {@code expiresAt}. */
    final long expiry;
    /** When to refresh it in the background. */
    final long refreshAt;
    /** When it stops being handed out. */
    final long usableUntil;
    /** The lifetime its refresh window and expiry margin are computed from. */
    final long lifetime;

    Cached(Token token, long expiry, long refreshAt, long usableUntil, long lifetime) {
      this.token = token;
      this.expiry = expiry;
      this.refreshAt = refreshAt;
      this.usableUntil = usableUntil;
      this.lifetime = lifetime;
    }

    Cached withRefreshAt(long refreshAt) {
      return new Cached(token, expiry, refreshAt, usableUntil, lifetime);
    }
  }

  /** The last failed fetch and when the next may start. */
  static final class Failure {
    final Throwable error;
    final long notBefore;

    Failure(Throwable error, long notBefore) {
      this.error = error;
      this.notBefore = notBefore;
    }
  }
}
