package io.servicetoken;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something a {@link TokenProvider} did, for metrics and logs. Carries no secret: never the token, only its expiry,
 * and errors whose messages are free of secrets.
 *
 * <pre>{@code
 * provider.events()
 *     .filter(e -> e.type() == TokenEvent.Type.REFRESH_FAILED)
 *     .subscribe(e -> log.warn("token refresh failed: {}", e), e -> log.error("events failed", e));
 * }</pre>
 *
 * <p>Every request to the vendor yields exactly one {@link Type#FETCHED} or {@link Type#REFRESH_FAILED} event, with
 * its {@link #outcome()} and {@link #duration()}; every call to a {@link TokenStore} yields one {@link Type#STORE}
 * event with its {@link #storeResult()}.
 */
public final class TokenEvent {
  /** What happened. */
  public enum Type {
    /** A request for a token succeeded: a new token arrived; {@link #expiresAt()} is set. */
    FETCHED,
    /** A request for a token failed; {@link #error()} is set, {@link #attempt()} counts requests in this fetch. */
    REFRESH_FAILED,
    /** {@link TokenProvider#invalidate(Token)} dropped the current token (only when it was still current). */
    INVALIDATED,
    /**
     * A refresh started in the background while the current token is still handed out (stale-while-revalidate).
     * Emitted once per refresh, not per call.
     */
    SERVED_WHILE_REFRESHING,
    /** The provider called its {@link TokenStore}; {@link #storeResult()} says how it went. */
    STORE
  }

  /** How a request to the vendor ended; the tag values of the {@code servicetoken.requests} meter. */
  public enum Outcome {
    /** A token arrived. */
    SUCCESS("success"),
    /** {@link CredentialsRejectedException}. */
    CREDENTIALS_REJECTED("credentials_rejected"),
    /** {@link InvalidTokenRequestException}. */
    INVALID_REQUEST("invalid_request"),
    /** {@link TokenServiceException}: 5xx, 429, timeouts, connection failures. */
    SERVICE_ERROR("service_error"),
    /** {@link MalformedTokenResponseException}, or any other failure of the source. */
    MALFORMED_RESPONSE("malformed_response");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    /**
     * The outcome as a metrics tag value.
     *
     * @return lower-case, for example {@code credentials_rejected}
     */
    public String tag() {
      return tag;
    }

    /** The outcome of a request that failed with {@code error}. */
    static Outcome of(Throwable error) {
      if (error instanceof CredentialsRejectedException) return CREDENTIALS_REJECTED;
      if (error instanceof InvalidTokenRequestException) return INVALID_REQUEST;
      if (error instanceof TokenServiceException) return SERVICE_ERROR;
      return MALFORMED_RESPONSE;
    }
  }

  /** How a call to the {@link TokenStore} went; the tag values of the {@code servicetoken.store.requests} meter. */
  public enum StoreResult {
    /** A read found a usable token, which the provider adopted without a vendor request. */
    HIT("hit"),
    /** A read found no usable token. */
    MISS("miss"),
    /** A token (or a shared failure, or a removal) was written. */
    WRITE("write"),
    /** The store failed or timed out; {@link #error()} is set and the provider goes on without it. */
    ERROR("error");

    private final String tag;

    StoreResult(String tag) {
      this.tag = tag;
    }

    /**
     * The result as a metrics tag value.
     *
     * @return lower-case, for example {@code hit}
     */
    public String tag() {
      return tag;
    }
  }

  private final Type type;
  private final Instant time;
  private final @Nullable Instant expiresAt;
  private final @Nullable Throwable error;
  private final int attempt;
  private final @Nullable Duration duration;
  private final @Nullable StoreResult storeResult;

  TokenEvent(
      Type type,
      Instant time,
      @Nullable Instant expiresAt,
      @Nullable Throwable error,
      int attempt,
      @Nullable Duration duration,
      @Nullable StoreResult storeResult) {
    this.type = type;
    this.time = time;
    this.expiresAt = expiresAt;
    this.error = error;
    this.attempt = attempt;
    this.duration = duration;
    this.storeResult = storeResult;
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
   * The failure, for {@link Type#REFRESH_FAILED} (usually a {@link TokenException}) and for a {@link Type#STORE}
   * event with {@link StoreResult#ERROR}.
   *
   * @return the error or null
   */
  public @Nullable Throwable error() {
    return error;
  }

  /**
   * For {@link Type#FETCHED} and {@link Type#REFRESH_FAILED}, which request of the current fetch this was (1 for
   * the first); 0 otherwise.
   *
   * @return the attempt number
   */
  public int attempt() {
    return attempt;
  }

  /**
   * For {@link Type#FETCHED} and {@link Type#REFRESH_FAILED}, how the request to the vendor ended; null otherwise.
   *
   * @return the outcome or null
   */
  public @Nullable Outcome outcome() {
    if (type == Type.FETCHED) return Outcome.SUCCESS;
    if (type == Type.REFRESH_FAILED && error != null) return Outcome.of(error);
    return null;
  }

  /**
   * How long the request to the vendor ({@link Type#FETCHED}, {@link Type#REFRESH_FAILED}) or the call to the store
   * ({@link Type#STORE}) took, measured on the monotonic clock ({@link System#nanoTime()}); null for other events.
   *
   * @return the duration or null
   */
  public @Nullable Duration duration() {
    return duration;
  }

  /**
   * For {@link Type#STORE}, how the call to the store went; null otherwise.
   *
   * @return the result or null
   */
  public @Nullable StoreResult storeResult() {
    return storeResult;
  }

  /**
   * A description safe to log.
   *
   * @return for example {@code TokenEvent{REFRESH_FAILED, time=..., attempt=2, outcome=service_error, ...}}
   */
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder("TokenEvent{").append(type).append(", time=").append(time);
    if (expiresAt != null) result.append(", expiresAt=").append(expiresAt);
    if (attempt > 0) result.append(", attempt=").append(attempt);
    Outcome outcome = outcome();
    if (outcome != null) result.append(", outcome=").append(outcome.tag());
    if (storeResult != null) result.append(", store=").append(storeResult.tag());
    if (duration != null) result.append(", duration=").append(duration.toMillis()).append("ms");
    if (error != null) result.append(", error=").append(error);
    return result.append('}').toString();
  }
}
