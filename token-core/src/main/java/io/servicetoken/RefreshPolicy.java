package io.servicetoken;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link TokenProvider} refreshes a token ahead of its expiry, and when it stops handing it out. Immutable.
 *
 * <p>Both moments scale with the token's lifetime, so short-lived and long-lived tokens are treated alike:
 *
 * <ul>
 *   <li><b>Refresh window</b>: the smaller of {@code 5 minutes} and {@code 25%} of the lifetime by default. Once
 *       the remaining lifetime falls inside it, the next caller still gets the current token at once and a refresh
 *       starts in the background. The exact moment is drawn once per token, uniformly from the first half of the
 *       span between the start of the window and the expiry margin, so a fleet of apps does not refresh in step and
 *       a short token keeps time for a fetch before callers must wait: a 300 s token refreshes between 225 s and
 *       247.5 s, a 2 s token between 1.5 s and 1.65 s. A token that arrives already inside its window is refreshed
 *       after three quarters to seven eighths of its remaining usable time.
 *   <li><b>Expiry margin</b>: the smaller of {@code 30 seconds} and {@code 10%} of the lifetime by default. A token
 *       with less left than this is no longer handed out; callers wait for the fresh one instead.
 * </ul>
 *
 * <pre>{@code
 * RefreshPolicy policy = RefreshPolicy.builder()
 *     .refreshWindow(Duration.ofMinutes(2), 0.20)
 *     .expiryMargin(Duration.ofSeconds(10), 0.05)
 *     .build();
 * }</pre>
 */
public final class RefreshPolicy {
  private static final RefreshPolicy DEFAULTS = builder().build();

  private final Duration maxWindow;
  private final double windowFraction;
  private final Duration maxMargin;
  private final double marginFraction;
  private final boolean jitter;

  private RefreshPolicy(Builder builder) {
    this.maxWindow = builder.maxWindow;
    this.windowFraction = builder.windowFraction;
    this.maxMargin = builder.maxMargin;
    this.marginFraction = builder.marginFraction;
    this.jitter = builder.jitter;
  }

  /**
   * The defaults: window min(5 min, 25%), margin min(30 s, 10%), jitter on.
   *
   * @return the default policy
   */
  public static RefreshPolicy defaults() {
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
   * The refresh window for a token of the given lifetime: min(maximum, fraction × lifetime).
   *
   * @param lifetime the token's whole lifetime
   * @return how long before expiry refreshing may start
   */
  public Duration refreshWindow(Duration lifetime) {
    return smaller(maxWindow, lifetime, windowFraction);
  }

  /**
   * The expiry margin for a token of the given lifetime: min(maximum, fraction × lifetime).
   *
   * @param lifetime the token's whole lifetime
   * @return how long before expiry the token stops being handed out
   */
  public Duration expiryMargin(Duration lifetime) {
    return smaller(maxMargin, lifetime, marginFraction);
  }

  /**
   * Whether the refresh moment is drawn at random from the first half of the span between the window's start and
   * the expiry margin; without jitter it is the start of the window.
   *
   * @return whether refreshes are jittered
   */
  public boolean jitter() {
    return jitter;
  }

  private static Duration smaller(Duration max, Duration lifetime, double fraction) {
    long scaled = (long) (lifetime.toMillis() * fraction);
    return Duration.ofMillis(Math.min(max.toMillis(), Math.max(0, scaled)));
  }

  @Override
  public String toString() {
    return "RefreshPolicy{refreshWindow=min(" + maxWindow + ", " + windowFraction
        + "), expiryMargin=min(" + maxMargin + ", " + marginFraction + "), jitter=" + jitter + '}';
  }

  /** Builds a {@link RefreshPolicy}; unset values keep their defaults. */
  public static final class Builder {
    private Duration maxWindow = Duration.ofMinutes(5);
    private double windowFraction = 0.25;
    private Duration maxMargin = Duration.ofSeconds(30);
    private double marginFraction = 0.10;
    private boolean jitter = true;

    Builder() {}

    /**
     * The refresh window: the smaller of {@code max} and {@code fraction} of the token's lifetime.
     *
     * @param max the longest window, not negative
     * @param fraction the window as a share of the lifetime, in [0, 1)
     * @return this builder
     * @throws IllegalArgumentException if a value is out of range
     */
    public Builder refreshWindow(Duration max, double fraction) {
      this.maxWindow = checkDuration(max, "max");
      this.windowFraction = checkFraction(fraction);
      return this;
    }

    /**
     * The expiry margin: the smaller of {@code max} and {@code fraction} of the token's lifetime.
     *
     * @param max the longest margin, not negative
     * @param fraction the margin as a share of the lifetime, in [0, 1)
     * @return this builder
     * @throws IllegalArgumentException if a value is out of range
     */
    public Builder expiryMargin(Duration max, double fraction) {
      this.maxMargin = checkDuration(max, "max");
      this.marginFraction = checkFraction(fraction);
      return this;
    }

    /**
     * Whether to draw each refresh moment at random from the first half of the span between the window's start and
     * the expiry margin (default true).
     *
     * @param jitter false to refresh exactly at the start of the window
     * @return this builder
     */
    public Builder jitter(boolean jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * Creates the policy.
     *
     * @return the policy
     * @throws IllegalStateException if the margin could exceed the window, so refreshes would never run ahead
     */
    public RefreshPolicy build() {
      if (marginFraction > windowFraction || maxMargin.compareTo(maxWindow) > 0) {
        throw new IllegalStateException("expiryMargin must not exceed refreshWindow");
      }
      return new RefreshPolicy(this);
    }

    private static Duration checkDuration(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative()) throw new IllegalArgumentException(name + " < 0: " + value);
      return value;
    }

    private static double checkFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
      }
      return fraction;
    }
  }
}
