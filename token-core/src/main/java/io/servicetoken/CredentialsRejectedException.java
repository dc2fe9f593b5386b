package io.servicetoken;

import org.jspecify.annotations.Nullable;

/**
 * The vendor refused the credentials: HTTP 401 or 403, an OAuth {@code invalid_grant} or {@code invalid_client},
 * or a vendor code such as AppViewX's {@code ACCT_SA_003} or {@code OAUTH_CLNT_015}.
 *
 * <p>Not retryable: the same credentials will be refused again. A {@link TokenProvider} answers further requests
 * with this same error, without contacting the vendor, for its credential cool-down (30 seconds by default), so a
 * wrong secret cannot lock the account.
 */
public final class CredentialsRejectedException extends TokenException {
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
  public CredentialsRejectedException(
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
