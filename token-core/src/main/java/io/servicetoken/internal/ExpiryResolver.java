package io.servicetoken.internal;

import io.servicetoken.MalformedTokenResponseException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Turns whatever a vendor said about a token's lifetime into one expiry on the local clock (DESIGN.md, "Expiry").
 *
 * <ol>
 *   <li>Relative lifetimes ({@code expires_in}) count from the moment the response was received.
 *   <li>Absolute times ({@code expire}, a JWT's {@code exp}) are on the server's clock. The server's "now" is taken
 *       from the response's {@code Date} header, else from the local clock, else from the JWT's {@code iat} (rule 6
 *       says when each one counts).
 *   <li>A JWT's claims are read (no signature check) and bound the expiry too; the earliest bound wins.
 *   <li>With no bound at all, the vendor's fallback lifetime applies (documented, or configured).
 *   <li>A token with under one second left is a {@link MalformedTokenResponseException}, never a reason to fetch
 *       again in a loop.
 *   <li>The server's clock is used within bounds:
 *       <ul>
 *         <li>The lifetime is never longer than what the token says about itself ({@code expires_in}, or a JWT's
 *             {@code exp - iat}), nor than {@link #MAX_LIFETIME} (24 hours), a fallback included.
 *         <li>A clock-free {@code expires_in} is not overruled by a skew-corrected absolute time: with {@code
 *             expires_in}, a JWT's {@code exp} is read on the local clock only, and shortens the lifetime only when
 *             it leaves at least a second. When it leaves less, the token is expired on arrival only if the {@code
 *             Date} header (or, without one, the JWT's {@code iat}) says so too; otherwise the clocks contradict each
 *             other and {@code expires_in} stands. A device clock a few minutes fast thus shortens such a token by
 *             as much (an early refresh), never to "expired".
 *         <li>Without {@code expires_in}, an absolute time is read against the first clock that makes it a plausible
 *             lifetime (at least one second, at most 24 hours): the {@code Date} header (so a device clock hours or
 *             days wrong still yields the right lifetime), else the local clock (so a {@code Date} far off, typically a
 *             proxy's, is outvoted), else, only when the response has no {@code Date} header, the JWT's {@code iat} (a
 *             device clock years off, as with VIVEPORT's documented sample). A JWT's {@code iat} is therefore never
 *             taken as the server's "now" when the {@code Date} header or the local clock gives a plausible answer: a
 *             token the server reuses (issued 50 minutes ago, {@code exp} in 10) lives 10 minutes, not 60.
 *         <li>Only when no clock makes it plausible: beyond 24 hours on some clock gives 24 hours; under a
 *             second on all of them is "expired on arrival". Contradicting clocks therefore never turn a fresh
 *             token into "expired on arrival", and never cache one for years.
 *       </ul>
 *   <li>A token value or type is printable ASCII (no CR, LF, tab or other control character, nothing beyond
 *       ASCII); {@link io.servicetoken.Token.Builder} enforces it and {@link
 *       VendorErrors#token} reports anything else as a {@link MalformedTokenResponseException}.
 * </ol>
 *
 * <p>One-shot and not thread-safe: create one per response.
 */
public final class ExpiryResolver {
  /** A token with less left than this on arrival is refused rather than refetched in a loop. */
  public static final Duration MINIMUM_LIFETIME = Duration.ofSeconds(1);

  /** No token is cached longer than this, whatever it or the clocks say (rule 6). */
  public static final Duration MAX_LIFETIME = Duration.ofHours(24);

  /** Relative lifetimes beyond this are garbage rather than long: treated as not stated. */
  private static final long NONSENSE_LIFETIME_SECONDS = Duration.ofDays(3660).getSeconds();

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
    this.relativeSeconds = seconds == null || seconds > NONSENSE_LIFETIME_SECONDS ? 0 : seconds;
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
   * The lifetime to assume when nothing else bounds the expiry (documented by the vendor, or configured); like
   * every lifetime, at most {@link #MAX_LIFETIME}.
   */
  public ExpiryResolver fallback(@Nullable Duration fallback) {
    this.fallback = fallback; // capped with every other lifetime in resolve()
    return this;
  }

  /**
   * The expiry on the local clock, by the rules in the class comment.
   *
   * @throws MalformedTokenResponseException when no bound is known or under one second is left
   */
  public Instant resolve() {
    Duration lifetime;
    String how;
    Instant absolute = earliest(absoluteExpiry, claims.expiresAt());
    if (relativeSeconds > 0) {
      lifetime = Duration.ofSeconds(relativeSeconds);
      how = "as stated";
      if (absolute != null) {
        // Read on the local clock only: a skew-corrected absolute time does not overrule a clock-free lifetime.
        Duration local = Duration.between(receivedAt, absolute);
        if (local.compareTo(MINIMUM_LIFETIME) >= 0) {
          lifetime = shortest(lifetime, local);
        } else if (!someClockSaysFresh(absolute)) {
          lifetime = local;
          how = "by the server's expiry on every clock";
        }
      }
    } else if (absolute != null) {
      lifetime = onPlausibleClock(absolute);
      how = "after reading the server's expiry against the Date header, the local clock and the token's iat";
    } else if (fallback != null && !fallback.isNegative() && !fallback.isZero()) {
      lifetime = fallback;
      how = "as configured";
    } else {
      throw new MalformedTokenResponseException(
          vendor + " token response states no expiry and no fallback lifetime is configured",
          vendor, statusCode, null, null);
    }
    lifetime = shortest(lifetime, selfStatedLifetime());
    lifetime = shortest(lifetime, MAX_LIFETIME);
    if (lifetime.compareTo(MINIMUM_LIFETIME) < 0) {
      throw new MalformedTokenResponseException(
          vendor + " token was already expired on arrival (" + lifetime.toMillis() + " ms left " + how
              + "); check the device clock and the token endpoint",
          vendor, statusCode, null, null);
    }
    return receivedAt.plus(lifetime);
  }

  /**
   * The lifetime {@code absolute} (on the server's clock) gives against the first clock that makes it plausible:
   * the {@code Date} header, the local clock, the JWT's {@code iat} (only without a {@code Date} header); else 24
   * hours when some clock says longer; else what the first clock says (expired).
   */
  private Duration onPlausibleClock(Instant absolute) {
    // The iat only without a Date header: when both the Date header and the local clock call a token expired, it is.
    Instant[] nows = {serverDate, receivedAt, serverDate == null ? claims.issuedAt() : null};
    Duration first = null;
    boolean longer = false;
    for (Instant now : nows) {
      if (now == null) continue;
      Duration lifetime = Duration.between(now, absolute);
      if (lifetime.compareTo(MINIMUM_LIFETIME) >= 0 && lifetime.compareTo(MAX_LIFETIME) <= 0) return lifetime;
      if (lifetime.compareTo(MAX_LIFETIME) > 0) longer = true;
      if (first == null) first = lifetime;
    }
    return longer || first == null ? MAX_LIFETIME : first;
  }

  /** Whether the {@code Date} header or (without one) the JWT's {@code iat} leaves {@code absolute} a second away. */
  private boolean someClockSaysFresh(Instant absolute) {
    Instant other = serverDate != null ? serverDate : claims.issuedAt();
    return other != null && Duration.between(other, absolute).compareTo(MINIMUM_LIFETIME) >= 0;
  }

  /** What the token says about its own lifetime when it is a JWT with {@code iat} and {@code exp}; else null. */
  private @Nullable Duration selfStatedLifetime() {
    Instant issuedAt = claims.issuedAt();
    Instant expiresAt = claims.expiresAt();
    if (issuedAt == null || expiresAt == null || !expiresAt.isAfter(issuedAt)) return null;
    return Duration.between(issuedAt, expiresAt);
  }

  private static Duration shortest(Duration a, @Nullable Duration b) {
    return b != null && b.compareTo(a) < 0 ? b : a;
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isBefore(b) ? a : b;
  }
}
