package io.servicetoken;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A second-level cache that several {@link TokenProvider}s share, so that a fleet of processes makes one vendor
 * request where each would have made its own (fleet mode). The provider's in-process cache stays the first level:
 * a store is read only when the provider would otherwise ask the vendor, never on the hot path.
 *
 * <p>An SPI, small and blocking: every method is called on the provider's {@link
 * io.reactivex.rxjava3.core.Scheduler scheduler} only, and may block for I/O there. A method that fails (throws)
 * or is slow never fails a {@link TokenProvider#token()} call: the provider falls back to fetching by itself and
 * reports the failure in {@link TokenProvider#events()}. Implementations must bound their own calls (a timeout of
 * a few hundred milliseconds) and be thread-safe.
 *
 * <p>Times are durations, never instants: a store keeps each entry for the time it says it has left and hands back
 * what is left when read, so processes whose clocks differ still agree on when a token expires.
 *
 * <p>Only {@link #get}, {@link #put} and {@link #remove} must be implemented; a store for one process (an Android
 * app keeping its token across restarts) leaves the fleet methods as they are:
 *
 * <pre>{@code
 * final class PreferencesTokenStore implements TokenStore {
 *   public StoredToken get(String key) { ... decrypt, and return null once past its expiry ... }
 *   public void put(String key, StoredToken token) { ... encrypt with a key from the Android Keystore ... }
 *   public boolean remove(String key, String value) { ... }
 * }
 * }</pre>
 *
 * @see TokenProvider.Builder#store(TokenStore)
 */
public interface TokenStore {
  /**
   * The token stored under {@code key}, with the time it has left now; null when there is none or it has expired.
   *
   * @param key the store key
   * @return the token or null
   * @throws Exception when the store cannot answer; the provider falls back to the vendor
   */
  @Nullable StoredToken get(String key) throws Exception;

  /**
   * Stores {@code token} under {@code key}, replacing what is there; the entry expires by itself once {@link
   * StoredToken#remaining()} has passed.
   *
   * @param key the store key
   * @param token the token and its times
   * @throws Exception when the store cannot write
   */
  void put(String key, StoredToken token) throws Exception;

  /**
   * Removes the token under {@code key} only if its value is still {@code value} (compare-and-delete), for
   * example after an API answered 401 to it.
   *
   * @param key the store key
   * @param value the rejected token's value
   * @return true if it was removed, false if the store held another token or none
   * @throws Exception when the store cannot answer
   */
  boolean remove(String key, String value) throws Exception;

  /**
   * Takes the lease on {@code key} for {@code owner} unless another owner holds it: the holder is the one process
   * of the fleet that asks the vendor, the others wait for it and read its token. A lease expires by itself after
   * {@code ttl}, so a holder that dies blocks the others for {@code ttl} at most. The default, for stores of a
   * single process, always grants it.
   *
   * @param key the store key
   * @param owner a value unique to the asking provider
   * @param ttl how long the lease lasts unless released
   * @return true if {@code owner} holds the lease now
   * @throws Exception when the store cannot answer
   */
  default boolean tryLease(String key, String owner, Duration ttl) throws Exception {
    return true;
  }

  /**
   * Releases {@code owner}'s lease on {@code key}; a no-op when another owner holds it (compare-and-delete), so
   * a provider whose lease expired never releases its successor's.
   *
   * @param key the store key
   * @param owner the owner that took the lease
   * @throws Exception when the store cannot answer
   */
  default void releaseLease(String key, String owner) throws Exception {}

  /**
   * The failure that pauses the fleet's vendor requests for {@code key} (a rejection of the credentials, or a
   * {@code Retry-After}), with the time the pause has left; null when there is none. The default keeps none.
   *
   * @param key the store key
   * @return the failure or null
   * @throws Exception when the store cannot answer
   */
  default @Nullable StoredFailure getFailure(String key) throws Exception {
    return null;
  }

  /**
   * Records a failure that pauses the fleet's vendor requests for {@code key}; it expires by itself once {@link
   * StoredFailure#remaining()} has passed. The default drops it.
   *
   * @param key the store key
   * @param failure the failure and its pause
   * @throws Exception when the store cannot write
   */
  default void putFailure(String key, StoredFailure failure) throws Exception {}
}
