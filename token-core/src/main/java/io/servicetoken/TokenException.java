package io.servicetoken;

import io.servicetoken.internal.Redaction;
import org.jspecify.annotations.Nullable;

/**
 * Why a token could not be obtained. Unchecked; every failure of a {@link TokenSource} or {@link TokenProvider}
 * arrives as one of the four subclasses:
 *
 * <ul>
 *   <li>{@link CredentialsRejectedException}: the vendor refused the credentials; not retried, and a provider
 *       answers further requests with the same error for a cool-down so a wrong secret cannot lock an account.
 *   <li>{@link InvalidTokenRequestException}: the vendor called the request malformed; not retried.
 *   <li>{@link TokenServiceException}: the service failed or could not be reached; retried with backoff.
 *   <li>{@link MalformedTokenResponseException}: the answer was not a usable token; not retried.
 * </ul>
 *
 * <p>Messages name the vendor, the HTTP status and the vendor's error code, and never contain a secret: no
 * password, client secret or token, and URLs are printed with their query values redacted. The vendor sources
 * scrub every string they put into an exception (message, {@link #errorCode()}, causes and their suppressed
 * exceptions) of their secrets in every spelling a server may echo (raw, URL- and form-encoded, JSON and HTML
 * escapes, base64 of Basic credentials, split across lines), before cutting it.
 *
 * <p>Whoever creates one, an exception's message is at most {@value #MAX_MESSAGE_LENGTH} characters and its error
 * code at most {@value #MAX_ERROR_CODE_LENGTH}, longer ones cut with a trailing "…"; control characters (CR, LF,
 * ESC, NEL and the like), line separators and bidi controls in them, in the vendor name and in the messages of the
 * cause chain are escaped as {@code \n}, {@code \r}, {@code \t} or <code>&#92;uXXXX</code>, so no exception can forge a
 * log line.
 */
public abstract class TokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The {@link #statusCode()} of a failure that had no HTTP response. */
  public static final int NO_STATUS = -1;

  /** The longest message an exception carries; a longer one is cut. */
  public static final int MAX_MESSAGE_LENGTH = Redaction.MAX_MESSAGE;

  /** The longest {@link #errorCode()} an exception carries; a longer one is cut. */
  public static final int MAX_ERROR_CODE_LENGTH = Redaction.MAX_ERROR_CODE;

  /** The vendor name. */
  private final String vendor;
  /** The HTTP status, or -1. */
  private final int statusCode;
  /** The vendor's error code, or null. */
  private final @Nullable String errorCode;

  TokenException(
      String message, String vendor, int statusCode, @Nullable String errorCode, @Nullable Throwable cause) {
    super(Redaction.printable(message, MAX_MESSAGE_LENGTH), Redaction.none().chain(cause));
    this.vendor = Redaction.field(vendor);
    this.statusCode = statusCode;
    this.errorCode = errorCode == null ? null : Redaction.printable(errorCode, MAX_ERROR_CODE_LENGTH);
  }

  /**
   * The vendor whose token endpoint failed, as its module names it ({@code "viveport"}, {@code "appviewx"},
   * {@code "vyopta"}, {@code "singleview"}, {@code "sportradar"}), or whatever name a custom source gave.
   *
   * @return the vendor name
   */
  public final String vendor() {
    return vendor;
  }

  /**
   * The HTTP status of the vendor's answer, or {@link #NO_STATUS} (-1) when there was no HTTP response (a
   * connection failure or timeout, for example).
   *
   * @return the status code or -1
   */
  public final int statusCode() {
    return statusCode;
  }

  /**
   * The vendor's own error code, such as {@code invalid_grant} or {@code OAUTH_CLNT_015}, when it sent one.
   *
   * @return the code, or null
   */
  public final @Nullable String errorCode() {
    return errorCode;
  }

  /**
   * Whether trying the same request again later may succeed. A {@link TokenProvider} retries exactly these.
   *
   * @return true only for {@link TokenServiceException}
   */
  public abstract boolean isRetryable();
}
