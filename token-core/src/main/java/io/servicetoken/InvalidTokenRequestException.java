package io.servicetoken;

import org.jspecify.annotations.Nullable;

/**
 * The vendor called the token request malformed (an HTTP 400 that is not about credentials, another 4xx, an OAuth
 * {@code invalid_request} or {@code unsupported_grant_type}), or answered with a redirect, which is never followed
 * because credentials must not travel to another host. Usually a configuration error: not retryable.
 */
public final class InvalidTokenRequestException extends TokenException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception. The message must not contain a secret.
   *
   * @param message what happened, safe to log
   * @param vendor the vendor name
   * @param statusCode the HTTP status, or -1
   * @param errorCode the vendor's error code, or null
   * @param cause the underlying failure, or null
   */
  public InvalidTokenRequestException(
      String message, String vendor, int statusCode, @Nullable String errorCode, @Nullable Throwable cause) {
    super(message, vendor, statusCode, errorCode, cause);
  }

  /**
   * Always false.
   *
   * @return false
   */
  @Override
  public boolean isRetryable() {
    return false;
  }
}
