package io.servicetoken;

import io.servicetoken.internal.Hashing;
import io.servicetoken.internal.Redaction;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An access token and the moment it stops being valid. Immutable.
 *
 * <p>{@link #expiresAt()} is on the local clock: whatever way the vendor stated the expiry (a lifetime in seconds,
 * an absolute time on its own clock, a JWT claim), it has been resolved against the moment the response was
 * received, correcting for the difference between the server's clock and this device's.
 *
 * <p>{@link #toString()} never shows the token itself, so a token may be logged: at most its first five characters
 * (fewer than the six consecutive characters of a secret that count as a leak, so a server that starts a token with
 * a copy of the credentials it was sent cannot get them printed), and a fingerprint (the first 8 hex digits of its
 * SHA-256) that tells two tokens apart in a log:
 *
 * <pre>{@code
 * Token token = Token.builder("eyJhbGciOi...")
 *     .expiresAt(Instant.now().plusSeconds(300))
 *     .build();
 * request.header("Authorization", token.authorization()); // "Bearer eyJhbGciOi..."
 * }</pre>
 */
public final class Token {
  private static final String BEARER = "Bearer";

  private final String value;
  private final String type;
  private final Instant expiresAt;
  private final Instant receivedAt;
  private final String authorization;

  private Token(Builder builder) {
    this.value = builder.value;
    this.type = builder.type;
    this.receivedAt = builder.receivedAt != null ? builder.receivedAt : Instant.now();
    this.expiresAt = Objects.requireNonNull(builder.expiresAt, "expiresAt == null");
    this.authorization = type + " " + value;
  }

  /**
   * Starts a token with the given value. {@code expiresAt} must be set before {@link Builder#build()}.
   *
   * @param value the token as the vendor issued it: printable ASCII only (space to {@code ~}), since it travels in
   *     an HTTP header
   * @return a builder
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank or has any other character (CR, LF, tab or another
   *     control character, anything beyond ASCII); the message says where, never what the value is
   */
  public static Builder builder(String value) {
    return new Builder(value);
  }

  /**
   * The token itself: a secret. Prefer {@link #authorization()} to build a header.
   *
   * @return the token value as issued
   */
  public String value() {
    return value;
  }

  /**
   * The token type: {@code "Bearer"} when the vendor said bearer in any letter case, or said nothing.
   *
   * @return the token type
   */
  public String type() {
    return type;
  }

  /**
   * The moment, on the local clock, from which the token must no longer be used.
   *
   * @return the expiry
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * The moment, on the local clock, the response carrying this token was received.
   *
   * @return when the token was received
   */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * Whether the token has expired at {@code now}.
   *
   * @param now the moment to check, on the local clock
   * @return true when {@code now} is at or past {@link #expiresAt()}
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * The value of an {@code Authorization} header carrying this token: type, one space, value.
   *
   * @return for example {@code "Bearer eyJhbGciOi..."}
   */
  public String authorization() {
    return authorization;
  }

  /**
   * Two tokens are equal when value, type, expiry and reception time are.
   *
   * @param other the other object
   * @return whether they are equal
   */
  @Override
  public boolean equals(@Nullable Object other) {
    if (this == other) return true;
    if (!(other instanceof Token)) return false;
    Token that = (Token) other;
    return value.equals(that.value)
        && type.equals(that.type)
        && expiresAt.equals(that.expiresAt)
        && receivedAt.equals(that.receivedAt);
  }

  /**
   * A hash consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(value, type, expiresAt, receivedAt);
  }

  /**
   * A description safe to log: type, at most the first five characters of the value (never more than a quarter of
   * it), a fingerprint of the value (the first 8 hex digits of its SHA-256: equal for equal values, different, but
   * for a chance of one in four billion, for different ones), expiry and reception time. Never the whole token, and
   * never a control character (value and type are printable ASCII).
   *
   * @return for example {@code Token{type=Bearer, value=eyJ0e…, sha256=3f9a0c1e, expiresAt=2026-11-22T10:15:30Z,
   *     receivedAt=2026-11-22T10:10:30Z}}
   */
  @Override
  public String toString() {
    return "Token{type=" + type
        + ", value=" + Redaction.tokenPrefix(value)
        + ", sha256=" + fingerprint(value)
        + ", expiresAt=" + expiresAt
        + ", receivedAt=" + receivedAt
        + '}';
  }

  /** The first 8 hex digits of the value's SHA-256: tells tokens apart without revealing them. */
  static String fingerprint(String value) {
    return Hashing.sha256Hex(value).substring(0, 8);
  }

  static String normalizeType(@Nullable String type) {
    if (type == null) return BEARER;
    String trimmed = type.trim();
    if (trimmed.isEmpty() || trimmed.equalsIgnoreCase(BEARER)) return BEARER;
    requirePrintableAscii(trimmed, "type");
    return trimmed;
  }

  /**
   * Refuses what OkHttp would refuse in a header value, and tabs: only space to {@code ~}. A token with a CR, LF,
   * another control character or a non-ASCII character (also from invalid UTF-8) would otherwise be cached and later
   * crash the app's request inside OkHttp. Spaces pass: OkHttp sends them, and Vyopta's documented sample token has
   * some.
   */
  private static void requirePrintableAscii(String text, String name) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ' ' || c > '~') {
        throw new IllegalArgumentException(
            name + " has a character that is not printable ASCII at index " + i
                + " (a token travels in an HTTP header: no CR, LF, tab or other control character, no non-ASCII)");
      }
    }
  }

  /** Builds a {@link Token}. Obtain one from {@link Token#builder(String)}. */
  public static final class Builder {
    private final String value;
    private String type = BEARER;
    private @Nullable Instant expiresAt;
    private @Nullable Instant receivedAt;

    Builder(String value) {
      Objects.requireNonNull(value, "value == null");
      if (value.trim().isEmpty()) throw new IllegalArgumentException("value is blank");
      requirePrintableAscii(value, "value");
      this.value = value;
    }

    /**
     * The token type as the vendor stated it; null, blank or any-case {@code bearer} become {@code "Bearer"}.
     * Surrounding whitespace is trimmed; what remains must be printable ASCII.
     *
     * @param type the vendor's token type, or null when it stated none
     * @return this builder
     * @throws IllegalArgumentException if the trimmed type has a character that is not printable ASCII
     */
    public Builder type(@Nullable String type) {
      this.type = normalizeType(type);
      return this;
    }

    /**
     * When the token stops being valid, on the local clock. Required.
     *
     * @param expiresAt the expiry
     * @return this builder
     * @throws NullPointerException if {@code expiresAt} is null
     */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt == null");
      return this;
    }

    /**
     * When the response carrying the token was received, on the local clock. Defaults to the moment {@link
     * #build()} is called.
     *
     * @param receivedAt the reception time
     * @return this builder
     * @throws NullPointerException if {@code receivedAt} is null
     */
    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt == null");
      return this;
    }

    /**
     * Creates the token.
     *
     * @return the token
     * @throws IllegalStateException if {@link #expiresAt(Instant)} was not called
     */
    public Token build() {
      if (expiresAt == null) throw new IllegalStateException("expiresAt required");
      return new Token(this);
    }
  }
}
