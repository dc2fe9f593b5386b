package io.servicetoken.internal;

/**
 * A complete response body that could not be turned into the vendor's model: not JSON, the wrong shape, or too
 * large. Mapped to {@link io.servicetoken.MalformedTokenResponseException} by {@link VendorErrors}. Its message
 * never quotes the body, which may hold a token.
 */
public final class UnreadableBodyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnreadableBodyException(String message, Throwable cause) {
    super(message, cause);
  }

  UnreadableBodyException(String message) {
    super(message);
  }
}
