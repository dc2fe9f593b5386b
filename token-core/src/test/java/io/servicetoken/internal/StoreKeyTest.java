package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class StoreKeyTest {
  private static final HttpUrl BASE = HttpUrl.get("https://www.viveport.com/");

  private static String key(String appId, String secret) {
    return StoreKey.builder("viveport", BASE).field("appId", appId).secret(secret).build().get();
  }

  @Test
  void theSameConfigurationGivesTheSameKeyOf64HexDigits() {
    String key = key("SampleApp", "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y");
    assertEquals(key, key("SampleApp", "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y"));
    assertTrue(key.matches("[0-9a-f]{64}"), key);
  }

  @Test
  void theKeyIsTheDocumentedFormatRecomputedWithTheJdksPbkdf2() throws Exception {
    ByteArrayOutputStream identity = new ByteArrayOutputStream();
    for (String part : new String[] {"format", StoreKey.FORMAT, "vendor", "viveport", "baseUrl", BASE.toString(),
        "appId", "SampleApp"}) {
      lengthPrefixed(identity, part.getBytes(StandardCharsets.UTF_8));
    }
    byte[] salt = MessageDigest.getInstance("SHA-256").digest(identity.toByteArray());
    byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec("s3cr3t".toCharArray(), salt, StoreKey.ITERATIONS, 256)).getEncoded();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(identity.toByteArray());
    lengthPrefixed(all, "secret".getBytes(StandardCharsets.UTF_8));
    lengthPrefixed(all, derived);
    String expected = Hashing.hex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));

    assertEquals(expected, key("SampleApp", "s3cr3t"));
  }

  @Test
  void fieldsAreLengthPrefixedSoMovingABoundaryChangesTheKey() {
    String ab = StoreKey.builder("v", BASE).field("x", "ab").field("y", "c").build().get();
    String bc = StoreKey.builder("v", BASE).field("x", "a").field("y", "bc").build().get();
    assertNotEquals(ab, bc);
    String empty = StoreKey.builder("v", BASE).field("scope", "").build().get();
    String absent = StoreKey.builder("v", BASE).field("scope", null).build().get();
    assertNotEquals(empty, absent);
    assertNotEquals(
        StoreKey.builder("v", BASE).field("clientId", "a").build().get(),
        StoreKey.builder("v", BASE).field("username", "a").build().get());
  }

  @Test
  void aDifferentSecretOrVendorOrBaseUrlGivesAnotherKey() {
    String key = key("SampleApp", "right-secret");
    assertNotEquals(key, key("SampleApp", "rotated-secret"));
    assertNotEquals(key, key("OtherApp", "right-secret"));
    assertNotEquals(key, StoreKey.builder("viveport", HttpUrl.get("https://staging.viveport.com/"))
        .field("appId", "SampleApp").secret("right-secret").build().get());
    assertNotEquals(key, StoreKey.builder("viveport", BASE).field("appId", "SampleApp").build().get());
  }

  @Test
  void toStringShowsNeitherFieldsNorSecret() {
    StoreKey key = StoreKey.builder("viveport", BASE).field("appId", "SampleApp").secret("s3cr3t-x").build();
    assertEquals("StoreKey{not computed yet}", key.toString());
    assertEquals("StoreKey{" + key.get() + "}", key.toString());
    assertFalse(key.toString().contains("SampleApp"));
  }

  @Test
  void pbkdf2MatchesTheJdksImplementation() throws Exception {
    String[][] cases = {{"password", "salt", "1"}, {"password", "salt", "2"}, {"password", "salt", "4096"},
        {"pässwörd with spaces", "a longer salt than the block", "777"}};
    for (String[] c : cases) {
      byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(c[0].toCharArray(), c[1].getBytes(StandardCharsets.UTF_8),
              Integer.parseInt(c[2]), 256))
          .getEncoded();
      byte[] actual = Hashing.pbkdf2(c[0].getBytes(StandardCharsets.UTF_8), c[1].getBytes(StandardCharsets.UTF_8),
          Integer.parseInt(c[2]));
      assertEquals(Hashing.hex(expected), Hashing.hex(actual), String.join("/", c));
    }
    // RFC 7914 section 11's PBKDF2-HMAC-SHA256 vector (first 32 bytes of its 64).
    assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
        Hashing.hex(Hashing.pbkdf2("passwd".getBytes(StandardCharsets.US_ASCII),
            "salt".getBytes(StandardCharsets.US_ASCII), 1)));
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    out.write(ByteBuffer.allocate(4).putInt(bytes.length).array(), 0, 4);
    out.write(bytes, 0, bytes.length);
  }
}
