package io.servicetoken.appviewx;

import org.jspecify.annotations.Nullable;

/**
 * The envelope AppViewX answers with, on success and on failure alike: {@code response} (the token, on success),
 * {@code message}, {@code appStatusCode} (non-null on failure, for example {@code OAUTH_CLNT_015}), {@code tags} and
 * {@code headers}.
 *
 * <p>Every field may be absent or null; unknown fields are ignored. {@code tags} and {@code headers} are kept as
 * whatever JSON they hold ({@link java.util.Map}, {@link java.util.List}, {@link String}, {@link Double}, {@link
 * Boolean}) since the documentation does not describe them.
 */
public final class AppViewXTokenResponse {
  private @Nullable String response;
  private @Nullable String message;
  private @Nullable String appStatusCode;
  private @Nullable Object tags;
  private @Nullable Object headers;

  private AppViewXTokenResponse() {}

  /**
   * The service token as the server sent it: a secret. The printed documentation shows it with stray spaces, which
   * {@link AppViewXTokenSource} removes before use.
   *
   * @return the token, or null when absent
   */
  public @Nullable String response() {
    return response;
  }

  /**
   * The success message or the failure description.
   *
   * @return the message, or null
   */
  public @Nullable String message() {
    return message;
  }

  /**
   * The application status code: null on success, a code such as {@code ACCT_SA_003} or {@code avx-common-011} on
   * failure.
   *
   * @return the code, or null
   */
  public @Nullable String appStatusCode() {
    return appStatusCode;
  }

  /**
   * More information about a failure, as parsed JSON.
   *
   * @return the tags, or null
   */
  public @Nullable Object tags() {
    return tags;
  }

  /**
   * The envelope's {@code headers} field, as parsed JSON (null in the documentation's sample).
   *
   * @return the headers field, or null
   */
  public @Nullable Object headers() {
    return headers;
  }

  /**
   * A description without the token.
   *
   * @return the message and status code, never the token
   */
  @Override
  public String toString() {
    return "AppViewXTokenResponse{response=" + (response == null ? "null" : "██")
        + ", message=" + message
        + ", appStatusCode=" + appStatusCode
        + '}';
  }
}
