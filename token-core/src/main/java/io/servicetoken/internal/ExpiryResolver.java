package io.servicetoken.internal;

import io.servicetoken.MalformedTokenResponseException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Turns whatever a vendor said about a token's lifetime into one expiry on the local clock (DESIGN.md, "Expiry").
 *
 * <ol>
 *   <li>Relative lifetimes count from the moment the response was received.
 *   <li>Absolute times are on the server's clock: corrected by the skew between the server's "now" (its {@code
 *       Date} header, else the JWT's {@code iat}) and the local reception time; used as they are without either.
 *   <li>A JWT's {@code exp} bounds the expiry too; the earliest bound wins.
 *   <li>With no bound at all, the vendor's fallback lifetime applies.
 *   <li>A token with under one second left is a {@link MalformedTokenResponseException}.
 * </ol>
 *
 * <p>One-shot and not thread-safe: create one per response.
 */
public final class ExpiryResolver {
  /** A token with less left than this on arrival is refused rather than refetched in a loop. */
  public static final Duration MINIMUM_LIFETIME = Duration.ofSeconds(1);

  /** Lifetimes beyond this are treated as not stated: no real token endpoint means them. */
  private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3660).getSeconds();

  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  private final String vendor;
  private final Instant receivedAt;
  private int statusCode = 200;
  private @Nullable Instant serverDate;
  private long relativeSeconds;
  private @Nullable Instant absoluteExpiry;
  private JwtClaims claims = JwtClaims.NONE;
  private @Nullable Duration fallback;

  private ExpiryResolver(String vendor, Instant receivedAt) {
    this.vendor = vendor;
    this.receivedAt = receivedAt;
  }

  /** Starts resolving for a response of {@code vendor} received at {@code receivedAt} (local clock). */
  public static ExpiryResolver receivedAt(String vendor, Instant receivedAt) {
    return new ExpiryResolver(vendor, receivedAt);
  }

  /** The HTTP status of the response, for error messages. */
  public ExpiryResolver statusCode(int statusCode) {
    this.statusCode = statusCode;
    return this;
  }

  /** The server's clock at response time, from its {@code Date} header. */
  public ExpiryResolver serverDate(@Nullable Instant serverDate) {
    this.serverDate = serverDate;
    return this;
  }

  /** A lifetime in seconds counted from reception ({@code expires_in}); zero, negative or null means unstated. */
  public ExpiryResolver expiresIn(@Nullable Long seconds) {
    this.relativeSeconds = seconds == null || seconds > MAX_LIFETIME_SECONDS ? 0 : seconds;
    return this;
  }

  /** An absolute expiry on the server's clock; like the UNIX-seconds overload, ignored outside 1970..9999. */
  public ExpiryResolver expiresAtOnServer(@Nullable Instant absoluteExpiry) {
    long epochSecond = absoluteExpiry == null ? 0 : absoluteExpiry.getEpochSecond();
    this.absoluteExpiry = epochSecond <= 0 || epochSecond > MAX_EPOCH_SECOND ? null : absoluteExpiry;
    return this;
  }

  /** An absolute expiry in UNIX seconds on the server's clock; values beyond year 9999 are ignored. */
  public ExpiryResolver expiresAtOnServer(@Nullable Long epochSeconds) {
    this.absoluteExpiry =
        epochSeconds == null || epochSeconds <= 0 || epochSeconds > MAX_EPOCH_SECOND
            ? null
            : Instant.ofEpochSecond(epochSeconds);
    return this;
  }

  /** Reads the token's JWT claims, if it is one. */
  public ExpiryResolver token(String tokenValue) {
    this.claims = JwtClaims.parse(tokenValue);
    return this;
  }

  /**
   * The lifetime to assume when nothing else bounds the expiry (documented by the vendor, or configured). One
   * beyond the longest plausible lifetime (about ten years) is capped there, so that no configured value can overflow
   * the expiry.
   */
  public ExpiryResolver fallback(@Nullable Duration fallback) {
    boolean overlong = fallback != null && fallback.getSeconds() > MAX_LIFETIME_SECONDS;
    this.fallback = overlong ? Duration.ofSeconds(MAX_LIFETIME_SECONDS) : fallback;
    return this;
  }

  /**
   * The earliest of all known bounds, on the local clock.
   *
   * @throws MalformedTokenResponseException when no bound is known or under one second is left
   */
  public Instant resolve() {
    Duration skew = skew();
    Instant expiry = null;
    if (relativeSeconds > 0) expiry = receivedAt.plusSeconds(relativeSeconds);
    expiry = earliest(expiry, onLocalClock(absoluteExpiry, skew));
    expiry = earliest(expiry, onLocalClock(claims.expiresAt(), skew));
    if (expiry == null && fallback != null && !fallback.isNegative() && !fallback.isZero()) {
      expiry = receivedAt.plus(fallback);
    }
    if (expiry == null) {
      throw new MalformedTokenResponseException(
          vendor + " token response states no expiry and no fallback lifetime is configured",
          vendor, statusCode, null, null);
    }
    Duration left = Duration.between(receivedAt, expiry);
    if (left.compareTo(MINIMUM_LIFETIME) < 0) {
      throw new MalformedTokenResponseException(
          vendor + " token was already expired on arrival (" + left.toMillis() + " ms left after correcting for"
              + " the server clock); check the device clock and the token endpoint",
          vendor, statusCode, null, null);
    }
    return expiry;
  }

  /** Local reception time minus the server's "now"; zero when the server's "now" is unknown. */
  private Duration skew() {
    Instant serverNow = serverDate != null ? serverDate : claims.issuedAt();
    return serverNow == null ? Duration.ZERO : Duration.between(serverNow, receivedAt);
  }

  private @Nullable Instant onLocalClock(@Nullable Instant serverTime, Duration skew) {
    if (serverTime == null) return null;
    Instant local = serverTime.plus(skew);
    // Beyond any plausible lifetime: treat as unstated rather than schedule by it.
    if (Duration.between(receivedAt, local).getSeconds() > MAX_LIFETIME_SECONDS) return null;
    return local;
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isBefore(b) ? a : b;
  }
}
