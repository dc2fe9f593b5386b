package io.servicetoken;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something a {@link TokenProvider} did, for metrics and logs. Carries no secret: never the token, only its expiry,
 * and errors whose messages are free of secrets.
 *
 * <pre>{@code
 * provider.events()
 *     .filter(e -> e.type() == TokenEvent.Type.REFRESH_FAILED)
 *     .subscribe(e -> log.warn("token refresh failed: {}", e));
 * }</pre>
 */
public final class TokenEvent {
  /** What happened. */
  public enum Type {
    /** A new token arrived; {@link #expiresAt()} is set. */
    FETCHED,
    /** A request for a token failed; {@link #error()} is set, {@link #attempt()} counts requests in this fetch. */
    REFRESH_FAILED,
    /** {@link TokenProvider#invalidate(Token)} dropped the current token. */
    INVALIDATED,
    /** The current token was handed out while a refresh was under way in the background. */
    SERVED_WHILE_REFRESHING
  }

  private final Type type;
  private final Instant time;
  private final @Nullable Instant expiresAt;
  private final @Nullable Throwable error;
  private final int attempt;

  TokenEvent(Type type, Instant time, @Nullable Instant expiresAt, @Nullable Throwable error, int attempt) {
    this.type = type;
    this.time = time;
    this.expiresAt = expiresAt;
    this.error = error;
    this.attempt = attempt;
  }

  /**
   * What happened.
   *
   * @return the event type
   */
  public Type type() {
    return type;
  }

  /**
   * When it happened, on the provider's scheduler clock.
   *
   * @return the time
   */
  public Instant time() {
    return time;
  }

  /**
   * The expiry of the token concerned, when there is one.
   *
   * @return the expiry or null
   */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /**
   * The failure, for {@link Type#REFRESH_FAILED}: usually a {@link TokenException}.
   *
   * @return the error or null
   */
  public @Nullable Throwable error() {
    return error;
  }

  /**
   * For {@link Type#REFRESH_FAILED}, which request of the current fetch failed (1 for the first); 0 otherwise.
   *
   * @return the attempt number
   */
  public int attempt() {
    return attempt;
  }

  /**
   * A description safe to log.
   *
   * @return for example {@code TokenEvent{REFRESH_FAILED, time=..., attempt=2, error=...}}
   */
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder("TokenEvent{").append(type).append(", time=").append(time);
    if (expiresAt != null) result.append(", expiresAt=").append(expiresAt);
    if (attempt > 0) result.append(", attempt=").append(attempt);
    if (error != null) result.append(", error=").append(error);
    return result.append('}').toString();
  }
}
