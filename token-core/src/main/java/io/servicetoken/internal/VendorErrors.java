package io.servicetoken.internal;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import okhttp3.Request;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Maps what a vendor's token endpoint answered (or failed to) onto the {@link TokenException} family, with
 * messages a person can act on and no secret in any of them. Every string an exception exposes goes through {@link
 * Redaction}: the message and the error code are scrubbed of the source's secrets in every spelling, then their
 * control characters are escaped, then they are cut ({@link Redaction#MAX_MESSAGE}, {@link
 * Redaction#MAX_ERROR_CODE}; vendor text quoted in a message at {@link Redaction#MAX_DETAIL}); URLs lose their
 * query values; cause chains and their suppressed exceptions are replaced by cleaned copies when they need it.
 */
public final class VendorErrors {
  /**
   * Error bodies longer than this are an error page, not an error envelope worth parsing; {@link TokenHttpClient}
   * cuts them just past it so none is held in memory whole.
   */
  public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  /** A {@code Retry-After} beyond this is capped: no client should wait a day for a token. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /** What a 404 tells the user to check, unless a module says more. */
  static final String DEFAULT_NOT_FOUND_HINT = "check the base URL, including any path prefix it needs";

  private final String vendor;
  private final Redaction redaction;
  private final String notFoundHint;

  /**
   * @param vendor the module's vendor name, as {@link TokenException#vendor()} reports it
   * @param secrets every secret the source sends, so that echoes of them are scrubbed
   */
  public VendorErrors(String vendor, @Nullable String... secrets) {
    this(vendor, Redaction.of(secrets), DEFAULT_NOT_FOUND_HINT);
  }

  private VendorErrors(String vendor, Redaction redaction, String notFoundHint) {
    this.vendor = vendor;
    this.redaction = redaction;
    this.notFoundHint = notFoundHint;
  }

  /**
   * These errors, with {@code hint} as what a 404 tells the user to check (a module's own path settings, for
   * example), instead of the base URL alone.
   */
  public VendorErrors notFoundHint(String hint) {
    return new VendorErrors(vendor, redaction, hint);
  }

  /** The vendor name errors carry. */
  public String vendor() {
    return vendor;
  }

  /** OAuth and vendor codes that mean "these credentials are wrong", whatever the HTTP status says. */
  public static boolean isCredentialErrorCode(@Nullable String errorCode) {
    if (errorCode == null) return false;
    String code = errorCode.trim();
    return code.equals("invalid_grant")
        || code.equals("invalid_client")
        || code.equals("unauthorized_client")
        || code.toUpperCase(Locale.ROOT).startsWith("ACCT_SA_")
        || code.toUpperCase(Locale.ROOT).startsWith("OAUTH_CLNT_");
  }

  /** For {@code onErrorResumeNext}: the failure as a {@link TokenException}. */
  public <T> Single<T> resume(Throwable failure) {
    return Single.error(fromThrowable(failure));
  }

  /** A failure with no usable HTTP answer: I/O (retryable), an unreadable body (malformed), or already typed. */
  public TokenException fromThrowable(Throwable failure) {
    if (failure instanceof TokenException) return (TokenException) failure;
    if (failure instanceof UnreadableBodyException) {
      return new MalformedTokenResponseException(
          message(vendor + " token response is malformed: " + detail(failure.getMessage())),
          vendor, 200, null, redaction.chain(failure.getCause()));
    }
    if (failure instanceof IOException) {
      String what = failure instanceof InterruptedIOException ? "timed out" : "failed";
      return new TokenServiceException(
          message(vendor + " token request " + what + " before a response arrived: " + describe(failure)),
          vendor, TokenException.NO_STATUS, null, null, redaction.chain(failure));
    }
    return new MalformedTokenResponseException(
        message(vendor + " token response could not be handled: " + describe(failure)),
        vendor, TokenException.NO_STATUS, null, redaction.chain(failure));
  }

  /**
   * An HTTP answer that is not a token: classified by status and vendor error code.
   *
   * <ul>
   *   <li>401, 403, or any 4xx with a credential error code: {@link CredentialsRejectedException}
   *   <li>408, 429, 5xx: {@link TokenServiceException}, carrying {@code Retry-After}
   *   <li>404: {@link InvalidTokenRequestException} saying that the endpoint was not found, with what to check
   *   <li>3xx (redirects are never followed) and other 4xx: {@link InvalidTokenRequestException}
   *   <li>anything else: {@link MalformedTokenResponseException}
   * </ul>
   *
   * @param errorCode the vendor's code from the body, or null
   * @param detail the vendor's message from the body, or null
   */
  public TokenException httpError(Response<?> response, @Nullable String errorCode, @Nullable String detail) {
    int status = response.code();
    // Classified by the code as sent; exposed only scrubbed, escaped and cut.
    String code = code(errorCode);
    String message = describe(response, code, detail);
    if (status == 401 || status == 403 || (status >= 400 && status < 500 && isCredentialErrorCode(errorCode))) {
      return new CredentialsRejectedException(
          message(vendor + " rejected the credentials: " + message), vendor, status, code, null);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new TokenServiceException(
          message(vendor + " token service failed: " + message), vendor, status, code, retryAfter(response), null);
    }
    if (status >= 300 && status < 400) {
      return new InvalidTokenRequestException(
          message(vendor + " token endpoint answered with a redirect, which is not followed so that credentials"
              + " never travel to another host; check the base URL: " + message),
          vendor, status, code, null);
    }
    if (status == 404) {
      // Most often a wrong base URL or path prefix, not a malformed request.
      return new InvalidTokenRequestException(
          message(vendor + " token endpoint was not found (" + notFoundHint + "): " + message),
          vendor, status, code, null);
    }
    if (status >= 400) {
      return new InvalidTokenRequestException(
          message(vendor + " refused the token request as malformed: " + message), vendor, status, code, null);
    }
    return malformed(response, "unexpected answer: " + message);
  }

  /**
   * A 2xx answer whose body says the request failed (SingleView's {@code "success": false}, AppViewX's
   * {@code appStatusCode}): the status says nothing, so a credential error code decides for {@link
   * CredentialsRejectedException}; anything else is an {@link InvalidTokenRequestException} (not retried, no
   * cool-down).
   *
   * @param errorCode the vendor's code from the body, or null
   * @param detail the vendor's message from the body, or null
   */
  public TokenException refusal(Response<?> response, @Nullable String errorCode, @Nullable String detail) {
    String code = code(errorCode);
    String message = describe(response, code, detail);
    if (isCredentialErrorCode(errorCode)) {
      return new CredentialsRejectedException(
          message(vendor + " rejected the credentials: " + message), vendor, response.code(), code, null);
    }
    return new InvalidTokenRequestException(
        message(vendor + " refused the token request: " + message), vendor, response.code(), code, null);
  }

  /** A successful HTTP answer that carries no usable token. */
  public MalformedTokenResponseException malformed(Response<?> response, String problem) {
    return new MalformedTokenResponseException(
        message(vendor + " token response is malformed: " + problem), vendor, response.code(), null, null);
  }

  /** {@code token} itself when it is present and not blank; otherwise a {@link MalformedTokenResponseException}. */
  public String requireToken(Response<?> response, @Nullable String token, String field) {
    if (token == null) throw malformed(response, "no " + field + " in the response");
    if (token.trim().isEmpty()) throw malformed(response, field + " is blank");
    return token;
  }

  /**
   * The error body of a non-2xx {@code response} as UTF-8 text, for a vendor module to parse leniently: empty when
   * there is none, it could not be read, or it is longer than {@link #MAX_ERROR_BODY_BYTES}. Never throws; closes
   * the body. A vendor's error details only ever add to the status-based classification, so losing them is safe.
   */
  public static String errorBodyText(Response<?> response) {
    ResponseBody body = response.errorBody();
    if (body == null) return "";
    try (ResponseBody closing = body) {
      BufferedSource source = closing.source();
      if (source.request(MAX_ERROR_BODY_BYTES + 1L)) return "";
      return source.getBuffer().readUtf8();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** When the response arrived, on the local clock. */
  public static Instant receivedAt(Response<?> response) {
    return Instant.ofEpochMilli(response.raw().receivedResponseAtMillis());
  }

  /** The server's clock at response time, from its {@code Date} header, or null. */
  public static @Nullable Instant serverDate(Response<?> response) {
    Date date = response.headers().getDate("Date");
    return date == null ? null : Instant.ofEpochMilli(date.getTime());
  }

  /**
   * A token from {@code value}, received with {@code response}, expiring as {@code expiry} resolves; a value or type
   * that {@link Token.Builder} refuses (not printable ASCII) is a {@link MalformedTokenResponseException}, and so is a
   * type that repeats part of a secret: {@code Token.toString()} prints the type whole.
   */
  public Token token(Response<?> response, String value, @Nullable String type, ExpiryResolver expiry) {
    if (redaction.leaks(type)) {
      throw malformed(response, "the token type repeats part of the credentials this source sent (not shown)");
    }
    Token.Builder builder;
    try {
      builder = Token.builder(value).type(type);
    } catch (IllegalArgumentException e) {
      // Token.Builder's message names the field and the index, never the value.
      throw malformed(response, "the token " + e.getMessage());
    }
    return builder.receivedAt(receivedAt(response)).expiresAt(expiry.resolve()).build();
  }

  /** An expiry resolver for {@code response}: reception time, status and {@code Date} header filled in. */
  public ExpiryResolver expiry(Response<?> response) {
    return ExpiryResolver.receivedAt(vendor, receivedAt(response))
        .statusCode(response.code())
        .serverDate(serverDate(response));
  }

  /**
   * {@code Retry-After} as delay-seconds (any number of digits) or an HTTP date, capped at one hour; null when absent
   * or unreadable.
   */
  static @Nullable Duration retryAfter(Response<?> response) {
    String value = response.headers().get("Retry-After");
    if (value == null) return null;
    Duration delay;
    String trimmed = value.trim();
    if (!trimmed.isEmpty() && isDigits(trimmed)) {
      // Any number of digits: past the cap, a parse could overflow.
      delay = isOverlongDelaySeconds(trimmed) ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(trimmed));
    } else {
      Date date = response.headers().getDate("Retry-After");
      if (date == null) return null;
      Instant serverNow = serverDate(response);
      delay = Duration.between(serverNow != null ? serverNow : receivedAt(response), Instant.ofEpochMilli(date.getTime()));
      if (delay.isNegative()) delay = Duration.ZERO;
    }
    return delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay;
  }

  /**
   * Whether {@code value} is a delay in seconds beyond {@link #MAX_RETRY_AFTER}: more than the SDK honours, and, past
   * 2^31, more than OkHttp's own 408/503 handling can parse.
   */
  static boolean isOverlongDelaySeconds(String value) {
    if (value.isEmpty() || !isDigits(value)) return false;
    return value.length() > 9 || Long.parseLong(value) > MAX_RETRY_AFTER.getSeconds();
  }

  private static boolean isDigits(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') return false;
    }
    return true;
  }

  /** @param code the vendor's error code as {@link #code} made it fit to show */
  private String describe(Response<?> response, @Nullable String code, @Nullable String detail) {
    Request request = response.raw().request();
    StringBuilder message =
        new StringBuilder("HTTP ").append(response.code())
            .append(" from ").append(request.method()).append(' ').append(Redaction.url(request.url()));
    if (code != null) message.append(", errorCode=").append(code);
    if (detail != null && !detail.trim().isEmpty()) message.append(": ").append(detail(detail));
    return message.toString();
  }

  private String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + detail(failure.getMessage());
  }

  /** Vendor or library text quoted in a message: scrubbed, then escaped, then cut, one line. */
  private String detail(@Nullable String text) {
    return text == null ? "null" : redaction.text(text.trim(), Redaction.MAX_DETAIL);
  }

  /** A whole message: scrubbed once more (it quotes a URL and the vendor's text), escaped, cut. */
  private String message(String text) {
    return redaction.text(text, Redaction.MAX_MESSAGE);
  }

  /** An error code as an exception exposes it: scrubbed, escaped, cut. */
  private @Nullable String code(@Nullable String errorCode) {
    return errorCode == null ? null : redaction.text(errorCode, Redaction.MAX_ERROR_CODE);
  }
}
