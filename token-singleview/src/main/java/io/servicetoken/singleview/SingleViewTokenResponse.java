package io.servicetoken.singleview;

import org.jspecify.annotations.Nullable;

/**
 * The JSON body SingleView answers a token request with: {@code {"success": true, "payload": {...}}}.
 *
 * <p>Every field may be absent; unknown fields are ignored. {@code message} and {@code errorCode} are not in the
 * documentation's success sample: they are read when a refusal ({@code "success": false}) carries them.
 */
public final class SingleViewTokenResponse {
  private @Nullable Boolean success;
  private @Nullable SingleViewTokenPayload payload;
  private @Nullable String message;
  private @Nullable String errorCode;

  private SingleViewTokenResponse() {}

  /**
   * The {@code success} field: whether the request was processed.
   *
   * @return the flag, or null when absent
   */
  public @Nullable Boolean success() {
    return success;
  }

  /**
   * The {@code payload} field, which carries the token.
   *
   * @return the payload, or null when absent
   */
  public @Nullable SingleViewTokenPayload payload() {
    return payload;
  }

  /**
   * The {@code message} field: SingleView's explanation, usually of a refusal.
   *
   * @return the message, or null when absent
   */
  public @Nullable String message() {
    return message;
  }

  /**
   * The {@code errorCode} field, when a refusal carries one.
   *
   * @return the code, or null when absent
   */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /**
   * A description safe to log: the token is never shown.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SingleViewTokenResponse{success=" + success + ", payload=" + payload + ", errorCode=" + errorCode + '}';
  }
}
