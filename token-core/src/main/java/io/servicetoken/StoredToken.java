package io.servicetoken;

import io.servicetoken.internal.Redaction;
import java.time.Duration;
import java.util.Objects;

/**
 * A token as a {@link TokenStore} keeps it: its value and type, its whole lifetime, and the time it has left.
 * Durations rather than instants, so that processes whose clocks differ agree on when it expires. Immutable; its
 * {@link #toString()} never shows the value.
 */
public final class StoredToken {
  private final String value;
  private final String type;
  private final Duration lifetime;
  private final Duration remaining;

  private StoredToken(String value, String type, Duration lifetime, Duration remaining) {
    this.value = value;
    this.type = type;
    this.lifetime = lifetime;
    this.remaining = remaining;
  }

  /**
   * A stored token.
   *
   * @param value the token value
   * @param type the token type, for example {@code Bearer}
   * @param lifetime the token's whole lifetime, positive
   * @param remaining the time it has left, positive and not longer than {@code lifetime}
   * @return the stored token
   * @throws IllegalArgumentException if a duration is out of range
   */
  public static StoredToken of(String value, String type, Duration lifetime, Duration remaining) {
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(lifetime, "lifetime == null");
    Objects.requireNonNull(remaining, "remaining == null");
    if (lifetime.isNegative() || lifetime.isZero()) throw new IllegalArgumentException("lifetime <= 0: " + lifetime);
    if (remaining.isNegative() || remaining.isZero()) {
      throw new IllegalArgumentException("remaining <= 0: " + remaining);
    }
    if (remaining.compareTo(lifetime) > 0) throw new IllegalArgumentException("remaining > lifetime");
    return new StoredToken(value, type, lifetime, remaining);
  }

  /**
   * This token with another remaining time, for a store handing it back later.
   *
   * @param remaining the time it has left now, positive
   * @return a stored token, or this one
   */
  public StoredToken withRemaining(Duration remaining) {
    Duration capped = remaining.compareTo(lifetime) > 0 ? lifetime : remaining;
    return of(value, type, lifetime, capped);
  }

  /**
   * The token value: a secret.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  /**
   * The token type.
   *
   * @return for example {@code Bearer}
   */
  public String type() {
    return type;
  }

  /**
   * The token's whole lifetime, from its issue to its expiry.
   *
   * @return the lifetime
   */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * The time the token had left when this value was made.
   *
   * @return the remaining time
   */
  public Duration remaining() {
    return remaining;
  }

  @Override
  public String toString() {
    return "StoredToken{type=" + type + ", value=" + Redaction.tokenPrefix(value) + ", lifetime=" + lifetime
        + ", remaining=" + remaining + '}';
  }
}
