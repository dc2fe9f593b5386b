package io.servicetoken.internal;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.time.Instant;
import okio.Buffer;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The time claims of a JSON Web Token, read without checking its signature: the SDK trusts them only to schedule
 * refreshes, never to authorize anything.
 *
 * <p>Anything that is not a readable JWT yields {@link #NONE}; reading never throws.
 */
public final class JwtClaims {
  /** No claims: the value was not a JWT, or its claims could not be read. */
  public static final JwtClaims NONE = new JwtClaims(null, null);

  /** Seconds past the epoch of 9999-12-31T23:59:59Z; larger claims are nonsense and ignored. */
  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  /** Longer payloads are not a token anybody should schedule by. */
  private static final int MAX_PAYLOAD_CHARS = 64 * 1024;

  private final @Nullable Instant issuedAt;
  private final @Nullable Instant expiresAt;

  private JwtClaims(@Nullable Instant issuedAt, @Nullable Instant expiresAt) {
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
  }

  /** The {@code iat} claim: when the server issued the token, on the server's clock. */
  public @Nullable Instant issuedAt() {
    return issuedAt;
  }

  /** The {@code exp} claim: when the token expires, on the server's clock. */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /** Reads the claims of {@code token}; {@link #NONE} when it is not a JWT with readable claims. */
  public static JwtClaims parse(@Nullable String token) {
    if (token == null) return NONE;
    String compact = removeWhitespace(token);
    int firstDot = compact.indexOf('.');
    if (firstDot <= 0) return NONE;
    int secondDot = compact.indexOf('.', firstDot + 1);
    // A signed JWT has exactly three parts; an encrypted one has five and no readable claims.
    if (secondDot < 0 || compact.indexOf('.', secondDot + 1) >= 0) return NONE;
    String payload = compact.substring(firstDot + 1, secondDot);
    if (payload.isEmpty() || payload.length() > MAX_PAYLOAD_CHARS) return NONE;
    ByteString json = decodeBase64Url(payload);
    if (json == null) return NONE;
    try {
      return readClaims(json);
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }

  private static JwtClaims readClaims(ByteString json) throws IOException {
    JsonReader reader = JsonReader.of(new Buffer().write(json));
    if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) return NONE;
    Instant issuedAt = null;
    Instant expiresAt = null;
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (("iat".equals(name) || "exp".equals(name)) && reader.peek() == JsonReader.Token.NUMBER) {
        Instant value = toInstant(reader.nextDouble());
        if ("iat".equals(name)) {
          issuedAt = value;
        } else {
          expiresAt = value;
        }
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    if (issuedAt == null && expiresAt == null) return NONE;
    return new JwtClaims(issuedAt, expiresAt);
  }

  private static @Nullable Instant toInstant(double epochSeconds) {
    if (Double.isNaN(epochSeconds) || epochSeconds < 0 || epochSeconds > MAX_EPOCH_SECOND) return null;
    return Instant.ofEpochSecond((long) epochSeconds);
  }

  /** Base64url with or without padding; standard base64 characters are tolerated too. */
  private static @Nullable ByteString decodeBase64Url(String payload) {
    String unpadded = payload;
    while (unpadded.endsWith("=")) unpadded = unpadded.substring(0, unpadded.length() - 1);
    if (unpadded.indexOf('=') >= 0 || unpadded.length() % 4 == 1) return null;
    return ByteString.decodeBase64(unpadded);
  }

  private static String removeWhitespace(String value) {
    StringBuilder result = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        if (result == null) result = new StringBuilder(value.length()).append(value, 0, i);
      } else if (result != null) {
        result.append(c);
      }
    }
    return result != null ? result.toString() : value;
  }

  @Override
  public String toString() {
    return "JwtClaims{iat=" + issuedAt + ", exp=" + expiresAt + '}';
  }
}
