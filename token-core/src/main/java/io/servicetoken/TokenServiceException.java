package io.servicetoken;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The token service failed or could not be reached: HTTP 5xx, 429 or 408, a timeout, a refused or dropped
 * connection. Retryable: a {@link TokenProvider} tries again with exponential backoff and jitter, and never sooner
 * than the server's {@code Retry-After}.
 */
public final class TokenServiceException extends TokenException {
  private static final long serialVersionUID = 1L;

  /** The server's {@code Retry-After}, or null. */
  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception. The message must not contain a secret.
   *
   * @param message what happened, safe to log
   * @param vendor the vendor name
   * @param statusCode the HTTP status, or -1
   * @param errorCode the vendor's error code, or null
   * @param retryAfter how long the server asked clients to wait ({@code Retry-After}), or null
   * @param cause the underlying failure, or null
   */
  public TokenServiceException(
      String message,
      String vendor,
      int statusCode,
      @Nullable String errorCode,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(message, vendor, statusCode, errorCode, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * How long the server asked clients to wait before the next request, from its {@code Retry-After} header.
   *
   * @return the wait, or null when the server did not say
   */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /**
   * Always true.
   *
   * @return true
   */
  @Override
  public boolean isRetryable() {
    return true;
  }
}
