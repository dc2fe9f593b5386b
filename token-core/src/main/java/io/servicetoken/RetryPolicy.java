package io.servicetoken;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TokenProvider} retries a token request that failed with a retryable {@link TokenServiceException}.
 * Immutable.
 *
 * <p>Defaults: 3 attempts in all, exponential backoff from 500 ms capped at 30 s, with full jitter (each delay drawn
 * uniformly between zero and the exponential bound, so clients that failed together do not retry together), never
 * sooner than the server's {@code Retry-After}, and every attempt bounded by a 60 s timeout. Other failures are not
 * retried.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .backoff(Duration.ofSeconds(1), Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Duration attemptTimeout;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.baseDelay = builder.baseDelay;
    this.maxDelay = builder.maxDelay;
    this.attemptTimeout = builder.attemptTimeout;
  }

  /**
   * The defaults: 3 attempts, 500 ms base, 30 s cap, full jitter, 60 s per attempt.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How many requests one fetch may make in all, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The first backoff bound; each retry doubles it.
   *
   * @return the base delay
   */
  public Duration baseDelay() {
    return baseDelay;
  }

  /**
   * The largest backoff bound.
   *
   * @return the cap
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * How long one request may take before it counts as a retryable failure.
   *
   * @return the per-attempt timeout
   */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /**
   * The exponential bound before retry number {@code retry} (1 for the first retry): min(cap, base × 2^(retry-1)).
   *
   * @param retry 1 or more
   * @return the bound the jittered delay is drawn below
   */
  public Duration backoffBound(int retry) {
    int doublings = Math.min(Math.max(retry - 1, 0), 30);
    long bound = baseDelay.toMillis() << doublings;
    return Duration.ofMillis(bound < 0 ? maxDelay.toMillis() : Math.min(maxDelay.toMillis(), bound));
  }

  /**
   * The delay before retry number {@code retry}: drawn uniformly from [0, {@link #backoffBound(int)}] (full
   * jitter), and never shorter than {@code retryAfter}.
   *
   * @param retry 1 for the first retry
   * @param retryAfter what the server asked for, or null
   * @param random the source of jitter
   * @return the delay
   */
  public Duration retryDelay(int retry, @Nullable Duration retryAfter, Random random) {
    long jittered = (long) (random.nextDouble() * (backoffBound(retry).toMillis() + 1));
    long floor = retryAfter == null ? 0 : retryAfter.toMillis();
    return Duration.ofMillis(Math.max(jittered, floor));
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
        + ", attemptTimeout=" + attemptTimeout + '}';
  }

  /** Builds a {@link RetryPolicy}; unset values keep their defaults. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration baseDelay = Duration.ofMillis(500);
    private Duration maxDelay = Duration.ofSeconds(30);
    private Duration attemptTimeout = Duration.ofSeconds(60);

    Builder() {}

    /**
     * Requests per fetch in all, the first included; 1 disables retries.
     *
     * @param maxAttempts at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts < 1}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The exponential backoff: the first bound and the cap.
     *
     * @param base at least 1 ms
     * @param max at least {@code base}
     * @return this builder
     * @throws IllegalArgumentException if {@code base} is under 1 ms or {@code max < base}
     */
    public Builder backoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "base == null");
      Objects.requireNonNull(max, "max == null");
      // Delays run in whole milliseconds: a shorter base would silently become no delay at all.
      if (base.toMillis() < 1) throw new IllegalArgumentException("base < 1 ms: " + base);
      if (max.compareTo(base) < 0) throw new IllegalArgumentException("max < base: " + max);
      this.baseDelay = base;
      this.maxDelay = max;
      return this;
    }

    /**
     * How long one request may take before it is abandoned as a retryable failure.
     *
     * @param timeout at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is under 1 ms
     */
    public Builder attemptTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.toMillis() < 1) throw new IllegalArgumentException("timeout < 1 ms: " + timeout);
      this.attemptTimeout = timeout;
      return this;
    }

    /**
     * Creates the policy.
     *
     * @return the policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
