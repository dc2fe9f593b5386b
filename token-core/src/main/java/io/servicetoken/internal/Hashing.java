package io.servicetoken.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256, HMAC-SHA256 and PBKDF2-HMAC-SHA256 as the SDK uses them, on what every Java 8 and Android JVM has. */
public final class Hashing {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Hashing() {}

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every Java and Android platform has it
    }
  }

  /** Lower-case hex of SHA-256 of {@code text} in UTF-8. */
  public static String sha256Hex(String text) {
    return hex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(hmacKey(key));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /**
   * PBKDF2 with HMAC-SHA256 (RFC 8018), one 32-byte block: slow on purpose, so that a hash of a secret cannot be
   * tested against guesses quickly. Written out on {@link Mac} because the {@code SecretKeyFactory} algorithm is
   * missing before Android API 26.
   */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(hmacKey(password));
      mac.update(salt);
      mac.update(new byte[] {0, 0, 0, 1});
      byte[] u = mac.doFinal();
      byte[] result = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int k = 0; k < result.length; k++) result[k] ^= u[k];
      }
      return result;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** SecretKeySpec refuses an empty key; HMAC pads keys with zeros, so one zero byte is the same key. */
  private static SecretKeySpec hmacKey(byte[] key) {
    return new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256");
  }

  /** Lower-case hex of {@code bytes}. */
  public static String hex(byte[] bytes) {
    char[] chars = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      chars[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      chars[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(chars);
  }
}
