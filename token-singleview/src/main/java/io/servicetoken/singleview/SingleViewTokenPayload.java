package io.servicetoken.singleview;

import com.squareup.moshi.Json;
import org.jspecify.annotations.Nullable;

/**
 * The {@code payload} object of a successful SingleView token response: {@code access_token}, {@code token_type}
 * and {@code expires_in}.
 *
 * <p>Every field may be absent; unknown fields are ignored.
 */
public final class SingleViewTokenPayload {
  @Json(name = "access_token")
  private @Nullable String accessToken;

  @Json(name = "token_type")
  private @Nullable String tokenType;

  @Json(name = "expires_in")
  private @Nullable Long expiresIn;

  private SingleViewTokenPayload() {}

  /**
   * The {@code access_token} field: the token itself, a secret.
   *
   * @return the token, or null when absent
   */
  public @Nullable String accessToken() {
    return accessToken;
  }

  /**
   * The {@code token_type} field, {@code "Bearer"} in the documentation's sample.
   *
   * @return the type, or null when absent
   */
  public @Nullable String tokenType() {
    return tokenType;
  }

  /**
   * The {@code expires_in} field: the lifetime in seconds. The documentation's sample prints {@code 0000}, which
   * means "not stated".
   *
   * @return the lifetime in seconds, or null when absent
   */
  public @Nullable Long expiresIn() {
    return expiresIn;
  }

  /**
   * A description safe to log: the token is never shown.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SingleViewTokenPayload{tokenType=" + tokenType
        + ", expiresIn=" + expiresIn
        + ", accessToken=" + (accessToken == null ? "null" : "██")
        + '}';
  }
}
