package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.servicetoken.internal.Hashing;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A Lua script of the store, run with {@code EVALSHA} and sent in full with {@code EVAL} only after a {@code
 * NOSCRIPT} (a restarted or failed-over Redis, or {@code SCRIPT FLUSH}), which also caches it again. Each script
 * touches one key, so it runs on any Redis Cluster node that owns the key's slot.
 */
final class Script {
  /**
   * The value and its remaining time on Redis's own clock (PTTL), in one round trip; an empty reply when there is
   * none. Time stands still inside a script, so the key cannot expire between the two reads.
   */
  static final Script GET_WITH_TTL = new Script(
      "local v = redis.call('GET', KEYS[1])\n"
          + "if not v then return {} end\n"
          + "return {v, redis.call('PTTL', KEYS[1])}\n");

  /**
   * Compare-and-delete of a token entry by the fingerprint in its header (bytes 8 to 23, 1-based), which is
   * readable without the encryption key; ARGV holds the fingerprints the value may carry (one per known key).
   * Returns 1 if it deleted the entry.
   */
  static final Script DELETE_TOKEN_IF_FINGERPRINT = new Script(
      "local v = redis.call('GET', KEYS[1])\n"
          + "if not v or string.byte(v, 1) ~= " + EntryCodec.VERSION + " or string.byte(v, 2) ~= "
          + EntryCodec.KIND_TOKEN + " then return 0 end\n"
          + "local f = string.sub(v, " + (EntryCodec.FINGERPRINT_OFFSET + 1) + ", "
          + (EntryCodec.FINGERPRINT_OFFSET + EntryCodec.FINGERPRINT_LENGTH) + ")\n"
          + "for i = 1, #ARGV do\n"
          + "  if f == ARGV[i] then return redis.call('DEL', KEYS[1]) end\n"
          + "end\n"
          + "return 0\n");

  /**
   * Redis's clock, read on the node that owns KEYS[1] (in a Cluster every node has its own clock), so a write can
   * give that node an absolute expiry.
   */
  static final Script TIME = new Script("return redis.call('TIME')\n");

  /**
   * Writes ARGV[1] with an absolute expiry, ARGV[2] in milliseconds on Redis's clock ({@code PEXPIREAT}, in every
   * Redis since 2.6): a write that Redis runs late (a blocked server) cannot outlive the token, and one that runs
   * after that moment leaves nothing behind.
   */
  static final Script SET_EXPIRING_AT = new Script(
      "redis.call('SET', KEYS[1], ARGV[1])\n"
          + "redis.call('PEXPIREAT', KEYS[1], ARGV[2])\n"
          + "return 1\n");

  /**
   * Takes the lease for ARGV[1] for ARGV[2] ms unless someone holds it ({@code SET NX PX}); if ARGV[1] holds it
   * already, extends it to ARGV[2] ms (a holder asking again is not locked out by its own lease). Returns 1 if
   * ARGV[1] holds the lease now. One round trip, and atomic: a lease that expires in between cannot turn a free
   * lease into a refusal.
   */
  static final Script TAKE_LEASE = new Script(
      "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end\n"
          + "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
          + "return 0\n");

  /** Compare-and-delete of a lease: deletes it only if ARGV[1] still holds it (Redis's single-instance lock). */
  static final Script RELEASE_LEASE = new Script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
          + "return 0\n");

  static final List<Script> ALL =
      Collections.unmodifiableList(Arrays.asList(GET_WITH_TTL, DELETE_TOKEN_IF_FINGERPRINT, TIME, SET_EXPIRING_AT,
          TAKE_LEASE, RELEASE_LEASE));

  final byte[] bytes;
  final String sha1;

  private Script(String source) {
    this.bytes = source.getBytes(UTF_8);
    try {
      this.sha1 = Hashing.hex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
