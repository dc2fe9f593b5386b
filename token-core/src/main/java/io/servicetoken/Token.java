package io.servicetoken;

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
 * <p>{@link #toString()} never shows the token itself, so a token may be logged:
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
  private static final int MAX_SHOWN_CHARACTERS = 6;

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
   * @param value the token as the vendor issued it; must not be blank
   * @return a builder
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank
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
   * A description safe to log: type, expiry and at most the first six characters of the value (fewer for short
   * values), never the whole token.
   *
   * @return for example {@code Token{type=Bearer, value=eyJ0eX…, expiresAt=2026-11-22T10:15:30Z}}
   */
  @Override
  public String toString() {
    return "Token{type=" + type
        + ", value=" + redact(value)
        + ", expiresAt=" + expiresAt
        + ", receivedAt=" + receivedAt
        + '}';
  }

  /** At most 6 leading characters, and never more than a quarter of the value. */
  static String redact(String value) {
    int shown = Math.min(MAX_SHOWN_CHARACTERS, value.length() / 4);
    return value.substring(0, shown) + "…";
  }

  static String normalizeType(@Nullable String type) {
    if (type == null) return BEARER;
    String trimmed = type.trim();
    if (trimmed.isEmpty() || trimmed.equalsIgnoreCase(BEARER)) return BEARER;
    return trimmed;
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
      this.value = value;
    }

    /**
     * The token type as the vendor stated it; null, blank or any-case {@code bearer} become {@code "Bearer"}.
     *
     * @param type the vendor's token type, or null when it stated none
     * @return this builder
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
