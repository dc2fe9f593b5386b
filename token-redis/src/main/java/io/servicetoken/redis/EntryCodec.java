package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import io.servicetoken.internal.Hashing;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * How entries are named in Redis and what their values hold. Immutable and thread-safe.
 *
 * <p>Names: {@code <prefix>{<hash>}:token}, {@code :lease} and {@code :failure}, where the hash is the first 128
 * bits, in hex, of HMAC-SHA256 of the store key under a key derived from the encryption key (SHA-256 in plaintext
 * mode). The braces are a Redis Cluster hash tag: the three entries of one store key live in one slot.
 *
 * <p>Values (version 1), the token and the failure entries alike:
 *
 * <pre>
 * offset  0  version (1)
 *         1  kind (1 token, 2 failure)
 *         2  algorithm (0 plaintext, 1 AES-256-GCM)
 *         3  key id, 4 bytes (zero in plaintext): which encryption key sealed it
 *         7  fingerprint of the token value, 16 bytes (zero for failures): keyed hash, for compare-and-delete in Lua
 *        23  AES-256-GCM: 12-byte random nonce, then the sealed payload and its 16-byte tag;
 *            plaintext: the payload
 * token payload:   lifetime in ms (8), type (4-byte length + UTF-8), value (UTF-8, the rest)
 * failure payload: credentials rejected (1), status (4), vendor (4 + UTF-8), error code (4 + UTF-8, length -1 for
 *                  none), message (UTF-8, the rest)
 * </pre>
 *
 * The associated data of AES-GCM is the header (offsets 0 to 22) followed by the full Redis key name, so an entry
 * copied to another key, or whose header was changed, fails to decrypt. The remaining time is not in the value: it
 * is the key's TTL, read with PTTL on Redis's own clock.
 */
final class EntryCodec {
  static final byte VERSION = 1;
  static final byte KIND_TOKEN = 1;
  static final byte KIND_FAILURE = 2;
  static final byte ALG_PLAINTEXT = 0;
  static final byte ALG_AES_GCM = 1;
  static final int KEY_ID_OFFSET = 3;
  static final int KEY_ID_LENGTH = 4;
  static final int FINGERPRINT_OFFSET = KEY_ID_OFFSET + KEY_ID_LENGTH;
  static final int FINGERPRINT_LENGTH = 16;
  static final int HEADER_LENGTH = FINGERPRINT_OFFSET + FINGERPRINT_LENGTH;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int HASH_BYTES = 16;
  /** Values larger than this are not ours: refuse them before decrypting. */
  private static final int MAX_ENTRY_BYTES = 1 << 20;

  private final String prefix;
  /** Empty in plaintext mode; else the key that writes first, then the keys that only read. */
  private final List<KeyMaterial> keys;
  private final SecureRandom random;

  private EntryCodec(String prefix, List<KeyMaterial> keys) {
    this.prefix = prefix;
    this.keys = keys;
    this.random = new SecureRandom();
  }

  static EntryCodec plaintext(String prefix) {
    return new EntryCodec(prefix, Collections.<KeyMaterial>emptyList());
  }

  /** {@code writeKey} seals every new entry; every key in {@code readKeys} is accepted when opening one. */
  static EntryCodec encrypted(String prefix, byte[] writeKey, List<byte[]> readKeys) {
    List<KeyMaterial> keys = new ArrayList<>();
    keys.add(new KeyMaterial(writeKey));
    for (byte[] readKey : readKeys) {
      KeyMaterial material = new KeyMaterial(readKey);
      boolean known = false;
      for (KeyMaterial k : keys) known |= Arrays.equals(k.id, material.id);
      if (!known) keys.add(material);
    }
    return new EntryCodec(prefix, Collections.unmodifiableList(keys));
  }

  boolean encrypted() {
    return !keys.isEmpty();
  }

  /** The names new entries are written under. */
  Names names(String storeKey) {
    return new Names(prefix, hash(encrypted() ? keys.get(0).nameKey : null, storeKey));
  }

  /**
   * The names a read looks under: {@link #names(String)} first, then those of the old keys (during a rotation,
   * processes still on an old key write under its names).
   */
  List<Names> readNames(String storeKey) {
    if (keys.size() <= 1) return Collections.singletonList(names(storeKey));
    List<Names> all = new ArrayList<>(keys.size());
    for (KeyMaterial key : keys) all.add(new Names(prefix, hash(key.nameKey, storeKey)));
    return all;
  }

  /** The fingerprints a token value may carry: one per known key (one in plaintext mode). */
  List<byte[]> fingerprints(String value) {
    if (!encrypted()) return Collections.singletonList(fingerprint(null, value));
    List<byte[]> all = new ArrayList<>(keys.size());
    for (KeyMaterial key : keys) all.add(fingerprint(key, value));
    return all;
  }

  byte[] sealToken(Names names, StoredToken token) {
    byte[] type = token.type().getBytes(UTF_8);
    byte[] value = token.value().getBytes(UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(8 + 4 + type.length + value.length);
    payload.putLong(Math.max(1, token.lifetime().toMillis())).putInt(type.length).put(type).put(value);
    KeyMaterial key = encrypted() ? keys.get(0) : null;
    return seal(names.token, KIND_TOKEN, key, fingerprint(key, token.value()), payload.array());
  }

  byte[] sealFailure(Names names, StoredFailure failure) {
    byte[] vendor = failure.vendor().getBytes(UTF_8);
    String errorCode = failure.errorCode();
    byte[] code = errorCode == null ? new byte[0] : errorCode.getBytes(UTF_8);
    byte[] message = failure.message().getBytes(UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(1 + 4 + 4 + vendor.length + 4 + code.length + message.length);
    payload.put((byte) (failure.credentialsRejected() ? 1 : 0)).putInt(failure.statusCode());
    payload.putInt(vendor.length).put(vendor);
    payload.putInt(errorCode == null ? -1 : code.length).put(code);
    payload.put(message);
    KeyMaterial key = encrypted() ? keys.get(0) : null;
    return seal(names.failure, KIND_FAILURE, key, new byte[FINGERPRINT_LENGTH], payload.array());
  }

  /** The token in {@code entry}, read from {@code names.token}, with {@code remainingMillis} left (PTTL). */
  StoredToken openToken(Names names, byte[] entry, long remainingMillis) {
    ByteBuffer payload = ByteBuffer.wrap(open(names, names.token, KIND_TOKEN, entry));
    try {
      long lifetime = payload.getLong();
      String type = string(payload, payload.getInt());
      String value = string(payload, payload.remaining());
      if (lifetime <= 0 || value.isEmpty()) throw new IllegalArgumentException();
      byte[] recorded = Arrays.copyOfRange(entry, FINGERPRINT_OFFSET, HEADER_LENGTH);
      if (!MessageDigest.isEqual(recorded, fingerprint(keyOf(names, names.token, entry), value))) {
        throw new IllegalArgumentException();
      }
      return StoredToken.of(value, type, Duration.ofMillis(lifetime),
          Duration.ofMillis(Math.min(remainingMillis, lifetime)));
    } catch (BufferUnderflowException | IllegalArgumentException e) { // cut short, a bad length or duration
      throw malformed(names, names.token);
    }
  }

  StoredFailure openFailure(Names names, byte[] entry, long remainingMillis) {
    ByteBuffer payload = ByteBuffer.wrap(open(names, names.failure, KIND_FAILURE, entry));
    try {
      byte rejected = payload.get();
      int status = payload.getInt();
      String vendor = string(payload, payload.getInt());
      int codeLength = payload.getInt();
      String code = codeLength == -1 ? null : string(payload, codeLength);
      String message = string(payload, payload.remaining());
      if (rejected != 0 && rejected != 1) throw new IllegalArgumentException();
      return StoredFailure.of(rejected == 1, vendor, status, code, message, Duration.ofMillis(remainingMillis));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw malformed(names, names.failure);
    }
  }

  private byte[] seal(byte[] keyName, byte kind, @Nullable KeyMaterial key, byte[] fingerprint, byte[] payload) {
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = VERSION;
    header[1] = kind;
    header[2] = key == null ? ALG_PLAINTEXT : ALG_AES_GCM;
    if (key != null) System.arraycopy(key.id, 0, header, KEY_ID_OFFSET, KEY_ID_LENGTH);
    System.arraycopy(fingerprint, 0, header, FINGERPRINT_OFFSET, FINGERPRINT_LENGTH);
    if (key == null) return concat(header, payload);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.aes, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(concat(header, keyName));
      return concat(concat(header, nonce), cipher.doFinal(payload));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
    }
  }

  private byte[] open(Names names, byte[] keyName, byte kind, byte[] entry) {
    if (entry.length < HEADER_LENGTH || entry.length > MAX_ENTRY_BYTES || entry[0] != VERSION || entry[1] != kind) {
      throw malformed(names, keyName);
    }
    byte algorithm = entry[2];
    if (algorithm == ALG_PLAINTEXT) {
      if (encrypted()) {
        throw new RedisTokenStoreException("the entry " + name(keyName) + " is stored in plaintext but this store "
            + "requires encryption: ignored (written by a store built with plaintext()?)", names.hash, null);
      }
      return Arrays.copyOfRange(entry, HEADER_LENGTH, entry.length);
    }
    if (algorithm != ALG_AES_GCM || entry.length < HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8) {
      throw malformed(names, keyName);
    }
    if (!encrypted()) {
      throw new RedisTokenStoreException("the entry " + name(keyName) + " is encrypted but this store was built "
          + "with plaintext(): give it the fleet's encryptionKey(..)", names.hash, null);
    }
    KeyMaterial key = keyOf(names, keyName, entry);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.aes,
          new GCMParameterSpec(TAG_BITS, entry, HEADER_LENGTH, NONCE_LENGTH));
      cipher.updateAAD(concat(Arrays.copyOf(entry, HEADER_LENGTH), keyName));
      int sealed = HEADER_LENGTH + NONCE_LENGTH;
      return cipher.doFinal(entry, sealed, entry.length - sealed);
    } catch (AEADBadTagException e) {
      throw new RedisTokenStoreException("the entry " + name(keyName) + " failed authentication (AES-256-GCM): "
          + "tampered with, or copied from another key; ignored", names.hash, null);
    } catch (GeneralSecurityException e) {
      throw new RedisTokenStoreException("the entry " + name(keyName) + " could not be decrypted", names.hash, e);
    }
  }

  /** The known key whose id the entry carries; in plaintext mode, none. */
  private @Nullable KeyMaterial keyOf(Names names, byte[] keyName, byte[] entry) {
    if (!encrypted()) return null;
    byte[] id = Arrays.copyOfRange(entry, KEY_ID_OFFSET, KEY_ID_OFFSET + KEY_ID_LENGTH);
    for (KeyMaterial key : keys) {
      if (Arrays.equals(key.id, id)) return key;
    }
    throw new RedisTokenStoreException("the entry " + name(keyName) + " was encrypted with a key this store does "
        + "not know (key id " + Hashing.hex(id) + "; this store knows " + knownIds() + "): during a key rotation give the "
        + "old key to decryptionKeys(..)", names.hash, null);
  }

  private String knownIds() {
    StringBuilder ids = new StringBuilder();
    for (KeyMaterial key : keys) ids.append(ids.length() == 0 ? "" : ", ").append(Hashing.hex(key.id));
    return ids.toString();
  }

  private static RedisTokenStoreException malformed(Names names, byte[] keyName) {
    return new RedisTokenStoreException("the entry " + name(keyName) + " is not a servicetoken entry (a foreign "
        + "or corrupted value, or a newer format): ignored", names.hash, null);
  }

  private static byte[] fingerprint(@Nullable KeyMaterial key, String value) {
    byte[] bytes = value.getBytes(UTF_8);
    byte[] digest = key == null ? Hashing.sha256(bytes) : Hashing.hmacSha256(key.fingerprintKey, bytes);
    return Arrays.copyOf(digest, FINGERPRINT_LENGTH);
  }

  private static String hash(byte @Nullable [] nameKey, String storeKey) {
    byte[] bytes = storeKey.getBytes(UTF_8);
    byte[] digest = nameKey == null ? Hashing.sha256(bytes) : Hashing.hmacSha256(nameKey, bytes);
    return Hashing.hex(Arrays.copyOf(digest, HASH_BYTES));
  }

  private static String string(ByteBuffer buffer, int length) {
    if (length < 0 || length > buffer.remaining()) throw new BufferUnderflowException();
    String s = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, UTF_8);
    buffer.position(buffer.position() + length);
    return s;
  }

  static String name(byte[] keyName) {
    return new String(keyName, UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** The three Redis key names of one store key. */
  static final class Names {
    final String hash;
    final byte[] token;
    final byte[] lease;
    final byte[] failure;

    Names(String prefix, String hash) {
      this.hash = hash;
      String base = prefix + "{" + hash + "}:";
      this.token = (base + "token").getBytes(UTF_8);
      this.lease = (base + "lease").getBytes(UTF_8);
      this.failure = (base + "failure").getBytes(UTF_8);
    }
  }

  /**
   * What one 32-byte encryption key gives, each part derived from it with HMAC-SHA256 under its own label (HKDF's
   * expand step, one block), so no two uses share a key: the AES-256 key, the key for the names' hashes, the key for
   * the tokens' fingerprints, and a 4-byte id that tells which key sealed an entry.
   */
  private static final class KeyMaterial {
    final byte[] id;
    final SecretKeySpec aes;
    final byte[] nameKey;
    final byte[] fingerprintKey;

    KeyMaterial(byte[] key) {
      this.id = Arrays.copyOf(derive(key, "servicetoken v1 key id"), KEY_ID_LENGTH);
      this.aes = new SecretKeySpec(derive(key, "servicetoken v1 aes-256-gcm"), "AES");
      this.nameKey = derive(key, "servicetoken v1 key names");
      this.fingerprintKey = derive(key, "servicetoken v1 token fingerprints");
    }

    private static byte[] derive(byte[] key, String label) {
      byte[] info = Arrays.copyOf(label.getBytes(UTF_8), label.length() + 1);
      info[label.length()] = 1;
      return Hashing.hmacSha256(key, info);
    }
  }
}
