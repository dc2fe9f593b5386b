package io.servicetoken;

import io.servicetoken.ProviderState.Cached;
import io.servicetoken.internal.ExpiryResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Turns an arriving token into the moments the provider acts on: its expiry on the provider's clock, when to
 * refresh it, and when to stop handing it out.
 *
 * <ul>
 *   <li><b>Clocks.</b> A token's lifetime is {@code expiresAt - receivedAt}, capped at {@link #MAX_LIFETIME}. On
 *       the provider's clock it expires at the earlier of its {@code expiresAt} and now plus that lifetime: no token
 *       is kept past its own {@code expiresAt} (a persisted or shared token with an old {@code receivedAt} keeps
 *       the expiry it states), and one stamped ahead of the provider's clock lives its lifetime from its arrival.
 *       When the provider runs on a clock of its own (a {@code TestScheduler}) and the token was stamped on the
 *       wall clock (a real vendor source), it keeps the time it has left on the wall clock, counted from its
 *       arrival on the provider's.
 *   <li><b>Refresh moment.</b> Drawn once per token, uniformly from the first half of the span between the start
 *       of the refresh window and the expiry margin (a 300 s token: 225 s to 247.5 s), so a fleet does not refresh
 *       in step and a short token keeps time for a fetch. A token arriving already inside its window is refreshed
 *       after three quarters to seven eighths of its remaining usable time, so that it is used, not refetched in a
 *       storm.
 *   <li><b>Reissued tokens.</b> A refresh that returns the token already cached with the same expiry (servers that
 *       reissue a token until it expires) keeps that token's lifetime and is not repeated while the token is handed out; when the
 *       server hands it back once it is past its margin, the server will issue no other before it expires, so it
 *       is handed out until its expiry and the next fetch is a second after that.
 * </ul>
 */
final class RefreshSchedule {
  /** No token is kept longer than this, whatever it says: the expiry rules' cap. */
  static final long MAX_LIFETIME = ExpiryResolver.MAX_LIFETIME.toMillis();

  /**
   * A token handed back with an expiry up to this much later than before counts as reissued (expiry statements
   * in whole seconds, and the time in transit, move it a little); a later one was extended, and is a new token.
   */
  static final long REISSUE_TOLERANCE = 2000;

  /** A provider clock this close to the wall clock is the wall clock. */
  static final long CLOCK_TOLERANCE = 1000;

  private final RefreshPolicy policy;
  private final Random random;

  RefreshSchedule(RefreshPolicy policy, Random random) {
    this.policy = policy;
    this.random = random;
  }

  /**
   * The cache entry for {@code token} arriving at {@code now} on the provider's clock ({@code wallNow} on the wall
   * clock), given the {@code previous} entry.
   *
   * @throws TokenException when the token cannot be used: a lifetime that is not positive (malformed, not
   *     retried), or expired or under its expiry margin on arrival (in transit: retryable)
   */
  Cached arrive(Token token, long now, long wallNow, @Nullable Cached previous) {
    long expiresAt = millis(token.expiresAt());
    long stated = saturatedSubtract(expiresAt, millis(token.receivedAt()));
    if (stated <= 0) {
      throw new MalformedTokenResponseException(
          "token source returned a token that was already expired (expiresAt is not after receivedAt)",
          "unknown", TokenException.NO_STATUS, null, null);
    }
    long lifetime = Math.min(stated, MAX_LIFETIME);
    long expiry;
    if (stampedOnTheWallClockOnly(millis(token.receivedAt()), now, wallNow)) {
      // A virtual scheduler driving a real source: the token keeps the time it has left on its own clock.
      expiry = saturatedAdd(now, Math.min(saturatedSubtract(expiresAt, wallNow), lifetime));
    } else {
      expiry = Math.min(expiresAt, saturatedAdd(now, lifetime));
    }
    if (expiry <= now) {
      // Slow delivery, or a persisted token: retried within the attempt bound, never handed out.
      throw new TokenServiceException(
          "token expired in transit: its expiresAt passed " + (now - expiry) + " ms before it arrived",
          "unknown", TokenException.NO_STATUS, null, null, null);
    }
    if (previous != null
        && previous.token.value().equals(token.value())
        && expiry <= previous.expiry + REISSUE_TOLERANCE) {
      return reissued(token, now, expiry, previous);
    }
    long usableUntil = expiry - margin(lifetime);
    if (usableUntil <= now) {
      throw new TokenServiceException(
          "token expired in transit: it lived " + lifetime + " ms and arrived too late to be used",
          "unknown", TokenException.NO_STATUS, null, null, null);
    }
    long windowStart = expiry - window(lifetime);
    long refreshAt =
        windowStart >= now
            ? windowStart + (long) (draw(0, 0.5) * (usableUntil - windowStart))
            : now + (long) (draw(0.75, 0.875) * (usableUntil - now));
    return new Cached(token, expiry, refreshAt, usableUntil, lifetime);
  }

  private Cached reissued(Token token, long now, long expiry, Cached previous) {
    long usableUntil = expiry - margin(previous.lifetime);
    if (usableUntil > now) return new Cached(token, expiry, usableUntil, usableUntil, previous.lifetime);
    // Expiry statements in whole seconds put the server's expiry up to a second after ours: ask only after it.
    return new Cached(token, expiry, expiry + REISSUE_TOLERANCE / 2, expiry, previous.lifetime);
  }

  /**
   * Whether the provider runs on a clock of its own (a virtual scheduler more than a second off the wall clock)
   * and the token was stamped on the wall clock, as real sources stamp them: its {@code receivedAt} is nearer the
   * wall clock's now than the provider's.
   */
  private static boolean stampedOnTheWallClockOnly(long receivedAt, long now, long wallNow) {
    if (distance(now, wallNow) <= CLOCK_TOLERANCE) return false;
    return distance(receivedAt, wallNow) < distance(receivedAt, now);
  }

  private static long distance(long a, long b) {
    long difference = saturatedSubtract(a, b);
    return difference == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(difference);
  }

  /** Uniform in [{@code from}, {@code to}) of a span, or its start without jitter. */
  private double draw(double from, double to) {
    return policy.jitter() ? from + random.nextDouble() * (to - from) : from;
  }

  private long window(long lifetime) {
    return policy.refreshWindow(Duration.ofMillis(lifetime)).toMillis();
  }

  private long margin(long lifetime) {
    return policy.expiryMargin(Duration.ofMillis(lifetime)).toMillis();
  }

  /** Epoch milliseconds, saturated instead of overflowing for instants far from now ({@code Instant.MAX}). */
  static long millis(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1000) return Long.MAX_VALUE;
    if (seconds <= Long.MIN_VALUE / 1000) return Long.MIN_VALUE;
    return seconds * 1000 + instant.getNano() / 1_000_000;
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    return sum;
  }

  static long saturatedSubtract(long a, long b) {
    long difference = a - b;
    if (((a ^ b) & (a ^ difference)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    return difference;
  }
}
