package io.servicetoken.redis;

import org.jspecify.annotations.Nullable;

/**
 * Why a {@link RedisTokenStore} call failed: Redis could not be reached or did not answer in time, or an entry it
 * holds could not be read (tampered with, moved from another key, written with an unknown encryption key, or not a
 * servicetoken entry at all). A {@link io.servicetoken.TokenProvider} reports it in its events and goes on as if
 * the store were empty, so it never fails a {@code token()} call.
 *
 * <p>The message names the entry by its Redis key name, which holds only a hash ({@link #keyHash()}), never a store
 * key, an account field, a token or the Redis password.
 */
public final class RedisTokenStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The hash in the entry's key names, or null. */
  private final @Nullable String keyHash;

  RedisTokenStoreException(String message, @Nullable String keyHash, @Nullable Throwable cause) {
    super(message, cause);
    this.keyHash = keyHash;
  }

  /**
   * The hash in the Redis key names of the entry concerned (the part between braces, as in {@code
   * servicetoken:{3f1c...}:token}), to find it with {@code redis-cli}; null when the failure concerns no entry.
   *
   * @return the hash or null
   */
  public @Nullable String keyHash() {
    return keyHash;
  }
}
