package io.servicetoken;

import org.jspecify.annotations.Nullable;

/**
 * The vendor answered, but not with a usable token: the body could not be parsed, the token was missing or blank,
 * or the token had expired (or had under one second left) when it arrived. Not retryable: fetching again in a loop
 * would not help, for example on a device whose clock is wrong.
 */
public final class MalformedTokenResponseException extends TokenException {
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
  public MalformedTokenResponseException(
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
