package io.servicetoken;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure that a {@link TokenStore} shares with a fleet, so that every process pauses its vendor requests: a
 * rejection of the credentials (one wrong password costs one request per cool-down for the whole fleet), or a
 * server's {@code Retry-After}. Carries the failure's facts and its message, which are free of secrets, and the
 * time the pause has left. Immutable.
 */
public final class StoredFailure {
  private final boolean credentialsRejected;
  private final String vendor;
  private final int statusCode;
  private final @Nullable String errorCode;
  private final String message;
  private final Duration remaining;

  private StoredFailure(
      boolean credentialsRejected,
      String vendor,
      int statusCode,
      @Nullable String errorCode,
      String message,
      Duration remaining) {
    this.credentialsRejected = credentialsRejected;
    this.vendor = vendor;
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.message = message;
    this.remaining = remaining;
  }

  /**
   * A stored failure.
   *
   * @param credentialsRejected true for a {@link CredentialsRejectedException}, false for a {@link
   *     TokenServiceException} whose {@code Retry-After} the fleet honours
   * @param vendor {@link TokenException#vendor()}
   * @param statusCode {@link TokenException#statusCode()}
   * @param errorCode {@link TokenException#errorCode()}
   * @param message the exception's message (already free of secrets)
   * @param remaining how long the fleet pauses from now, positive
   * @return the stored failure
   * @throws IllegalArgumentException if {@code remaining} is not positive
   */
  public static StoredFailure of(
      boolean credentialsRejected,
      String vendor,
      int statusCode,
      @Nullable String errorCode,
      String message,
      Duration remaining) {
    Objects.requireNonNull(vendor, "vendor == null");
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(remaining, "remaining == null");
    if (remaining.isNegative() || remaining.isZero()) {
      throw new IllegalArgumentException("remaining <= 0: " + remaining);
    }
    return new StoredFailure(credentialsRejected, vendor, statusCode, errorCode, message, remaining);
  }

  /**
   * This failure with another remaining time, for a store handing it back later.
   *
   * @param remaining the time the pause has left now, positive
   * @return a stored failure
   */
  public StoredFailure withRemaining(Duration remaining) {
    return of(credentialsRejected, vendor, statusCode, errorCode, message, remaining);
  }

  /**
   * Whether the vendor rejected the credentials; otherwise it asked for a pause ({@code Retry-After}).
   *
   * @return true for a rejection of the credentials
   */
  public boolean credentialsRejected() {
    return credentialsRejected;
  }

  /**
   * The vendor's name.
   *
   * @return the vendor
   */
  public String vendor() {
    return vendor;
  }

  /**
   * The HTTP status of the failed request, or {@link TokenException#NO_STATUS}.
   *
   * @return the status
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The vendor's error code, if any.
   *
   * @return the code or null
   */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /**
   * The failure's message, free of secrets.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * How long the pause had left when this value was made.
   *
   * @return the remaining time
   */
  public Duration remaining() {
    return remaining;
  }

  @Override
  public String toString() {
    return "StoredFailure{" + (credentialsRejected ? "credentialsRejected" : "retryAfter") + ", vendor=" + vendor
        + ", statusCode=" + statusCode + ", errorCode=" + errorCode + ", remaining=" + remaining + '}';
  }
}
