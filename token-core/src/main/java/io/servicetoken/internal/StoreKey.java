package io.servicetoken.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The key under which a {@code TokenStore} shares a vendor source's tokens ({@code TokenSource.storeKey()}): 64
 * lower-case hex digits of a SHA-256 over the vendor, the base URL, the account fields and a slow hash of the secret.
 *
 * <ul>
 *   <li>Stable: the same configuration gives the same key in every process and every version of this format
 *       ({@value #FORMAT}, which is hashed too, so that a future format cannot collide with this one).
 *   <li>Unambiguous: every field is hashed with its name and its length ({@code ("ab", "c")} and {@code ("a",
 *       "bc")} differ; null differs from empty).
 *   <li>Nothing in clear: neither an account field (an app ID, a user name) nor the secret can be read from the
 *       key.
 *   <li>A secret of its own: a pod with a rotated or wrong secret gets another key, so its rejections and its
 *       cool-down cannot poison the fleet that shares the right one. The secret enters as PBKDF2-HMAC-SHA256 ({@value
 *       #ITERATIONS} iterations, the account fields as salt), so that testing guesses of a password against a key
 *       read from the store is slow. A store that can should still key its names with a secret of its own (an HMAC
 *       with its encryption key): that makes guessing impossible, not just slow.
 * </ul>
 *
 * <p>The hashing runs once, on the first {@link #get()} (tens of milliseconds): building a source stays cheap for
 * apps that never use a store. Thread-safe.
 */
public final class StoreKey {
  static final String FORMAT = "servicetoken-store-key-v1";
  static final int ITERATIONS = 100_000;

  private final byte[] identity;
  private final byte @Nullable [] secret;
  private volatile @Nullable String key;

  private StoreKey(byte[] identity, byte @Nullable [] secret) {
    this.identity = identity;
    this.secret = secret;
  }

  /** Starts the key of a source of {@code vendor} on {@code baseUrl}. */
  public static Builder builder(String vendor, HttpUrl baseUrl) {
    return new Builder().field("format", FORMAT).field("vendor", vendor).field("baseUrl", baseUrl.toString());
  }

  /** The key: 64 lower-case hex digits. Computed on the first call. */
  public String get() {
    String result = key;
    if (result == null) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(identity, 0, identity.length);
      if (secret != null) {
        byte[] salt = Hashing.sha256(identity);
        writeField(all, "secret", Hashing.pbkdf2(secret, salt, ITERATIONS));
      }
      result = Hashing.hex(Hashing.sha256(all.toByteArray()));
      key = result;
    }
    return result;
  }

  /** Never the fields or the secret. */
  @Override
  public String toString() {
    return "StoreKey{" + (key != null ? key : "not computed yet") + '}';
  }

  private static void writeField(ByteArrayOutputStream out, String name, byte @Nullable [] value) {
    writeLengthPrefixed(out, name.getBytes(StandardCharsets.UTF_8));
    writeLengthPrefixed(out, value);
  }

  /** Four bytes of length (big-endian; -1 for null), then the bytes. */
  private static void writeLengthPrefixed(ByteArrayOutputStream out, byte @Nullable [] bytes) {
    int length = bytes == null ? -1 : bytes.length;
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    if (bytes != null) out.write(bytes, 0, bytes.length);
  }

  /** Collects the fields of a {@link StoreKey}. Not thread-safe. */
  public static final class Builder {
    private final ByteArrayOutputStream identity = new ByteArrayOutputStream();
    private byte @Nullable [] secret;

    private Builder() {}

    /** An account field, by name (null and empty differ). Order matters: sources add theirs in a fixed order. */
    public Builder field(String name, @Nullable String value) {
      writeField(identity, name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** The secret the source authenticates with; hashed slowly, never kept in the key. */
    public Builder secret(String secret) {
      this.secret = Objects.requireNonNull(secret, "secret == null").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The key, not yet computed. */
    public StoreKey build() {
      byte[] secretCopy = secret != null ? Arrays.copyOf(secret, secret.length) : null;
      return new StoreKey(identity.toByteArray(), secretCopy);
    }
  }
}
