package io.servicetoken.vyopta;

import com.squareup.moshi.Json;
import org.jspecify.annotations.Nullable;

/**
 * Vyopta's error body, the OAuth 2.0 error response: {@code {"error":"invalid_grant","error_description":"Invalid
 * user credentials"}}. Both fields may be absent; unknown fields are ignored.
 */
public final class VyoptaErrorResponse {
  private @Nullable String error;

  @Json(name = "error_description")
  private @Nullable String errorDescription;

  private VyoptaErrorResponse() {}

  /**
   * The OAuth error code, such as {@code invalid_grant}, {@code invalid_client}, {@code invalid_request} or {@code
   * unsupported_grant_type}.
   *
   * @return the code, or null when absent
   */
  public @Nullable String error() {
    return error;
  }

  /**
   * The human-readable explanation, such as {@code "Invalid user credentials"}.
   *
   * @return the description, or null when absent
   */
  public @Nullable String errorDescription() {
    return errorDescription;
  }

  /**
   * Code and description.
   *
   * @return a description of the error
   */
  @Override
  public String toString() {
    return "VyoptaErrorResponse{error=" + error + ", errorDescription=" + errorDescription + "}";
  }
}
