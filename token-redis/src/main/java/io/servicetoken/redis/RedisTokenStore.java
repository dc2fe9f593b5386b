package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import io.servicetoken.TokenStore;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} on Redis, through Lettuce: fleet mode, where every process of a service shares one vendor
 * token, one vendor request per token lifetime, and one cool-down after a rejected password.
 *
 * <pre>{@code
 * RedisTokenStore store = RedisTokenStore.builder("rediss://:" + redisPassword + "@redis.internal:6379/0")
 *     .encryptionKey(Base64.getDecoder().decode(System.getenv("SERVICETOKEN_STORE_KEY"))) // 32 bytes
 *     .build();
 * TokenProvider provider = TokenProvider.builder(source).store(store).autoRefresh(true).build();
 * ...
 * provider.close();
 * store.close();
 * }</pre>
 *
 * <p><b>Connections.</b> {@link #builder(String)} makes the store's own Lettuce client (closed by {@link #close()})
 * from a Redis URI: {@code redis://}, {@code rediss://} (TLS), {@code redis-sentinel://}, with the password and
 * database in the URI, or a Cluster node with {@link Builder#cluster()}. {@link #builder(RedisClient)} and {@link
 * #builder(RedisClusterClient)} take the app's own client: the store opens one connection of its own from it and
 * closes only that. Building never connects and never fails because Redis is down: the store connects in the
 * background, a call fails within the {@linkplain Builder#timeout(Duration) timeout} (at once while Redis is known to
 * be unreachable) and the connection comes back by itself when Redis does.
 *
 * <p><b>What lies in Redis.</b> Per store key three entries, {@code <prefix>{<hash>}:token}, {@code :lease} and
 * {@code :failure}, each with a TTL (the token's remaining time, the lease's time, the cool-down), so every entry
 * expires by itself. The hash is a keyed hash (HMAC-SHA256 under a key derived from the encryption key) of the store
 * key, itself a hash of the account's identity, so key names show no account. Values are sealed with AES-256-GCM
 * (a random 96-bit nonce per write, the full key name as associated data): an entry that was tampered with, moved to
 * another key, or written with an unknown key is refused with a {@link RedisTokenStoreException}, which the provider
 * reports and treats as a miss. The remaining time is read from Redis's own clock (PTTL) in the same round trip as
 * the value, so processes whose clocks differ agree on when a token expires.
 *
 * <p>Thread-safe; one Lettuce connection serves every provider that shares the store.
 */
public final class RedisTokenStore implements TokenStore, Closeable {
  /** The default command timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
  /** The default prefix of the Redis key names. */
  public static final String DEFAULT_KEY_PREFIX = "servicetoken:";
  /** How long the store's own client waits for a TCP connection to Redis. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final RedisConnector connector;
  private final EntryCodec codec;
  private final Duration timeout;

  private RedisTokenStore(RedisConnector connector, EntryCodec codec, Duration timeout) {
    this.connector = connector;
    this.codec = codec;
    this.timeout = timeout;
  }

  /**
   * A builder for a store with a Lettuce client of its own, closed by {@link #close()}.
   *
   * @param redisUri a Redis URI as Lettuce reads it: {@code redis://[[user]:password@]host[:port][/database]},
   *     {@code rediss://...} for TLS, {@code redis-sentinel://[password@]host[:port][,host2...][/database]
   *     #masterId}; with {@link Builder#cluster()}, a node of a Redis Cluster
   * @return the builder
   * @throws IllegalArgumentException if {@code redisUri} is not a Redis URI (the message never repeats it: it may
   *     hold a password)
   */
  public static Builder builder(String redisUri) {
    Objects.requireNonNull(redisUri, "redisUri == null");
    RedisURI uri;
    try {
      uri = RedisURI.create(redisUri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("redisUri is not a Redis URI (redis://host:port/database, rediss://..., "
          + "redis-sentinel://...#master): " + e.getClass().getSimpleName());
    }
    return new Builder(uri, null, null);
  }

  /**
   * A builder for a store on the app's own Lettuce client (created with a {@code RedisURI}): the store opens a
   * connection of its own from it, closes that connection on {@link #close()}, and never shuts the client down.
   * The client's options apply; for calls that fail at once while Redis is down, give it {@code
   * ClientOptions.builder().disconnectedBehavior(REJECT_COMMANDS)} (the store bounds every call with its timeout
   * either way).
   *
   * @param client the app's client
   * @return the builder
   */
  public static Builder builder(RedisClient client) {
    Objects.requireNonNull(client, "client == null");
    return new Builder(null, client, null);
  }

  /**
   * A builder for a store on the app's own Lettuce Redis Cluster client; see {@link #builder(RedisClient)}.
   *
   * @param client the app's cluster client
   * @return the builder
   */
  public static Builder builder(RedisClusterClient client) {
    Objects.requireNonNull(client, "client == null");
    return new Builder(null, null, client);
  }

  @Override
  public @Nullable StoredToken get(String key) {
    Objects.requireNonNull(key, "key == null");
    long deadline = connector.deadline();
    for (EntryCodec.Names names : codec.readNames(key)) {
      Entry entry = read("GET token", names.token, names.hash, deadline);
      if (entry != null) return codec.openToken(names, entry.value, entry.remainingMillis);
    }
    return null;
  }

  @Override
  public void put(String key, StoredToken token) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(token, "token == null");
    long start = System.nanoTime();
    EntryCodec.Names names = codec.names(key);
    writeUntil("SET token", names, names.token, codec.sealToken(names, token), token.remaining(), start);
  }

  @Override
  public boolean remove(String key, String value) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(value, "value == null");
    byte[][] fingerprints = codec.fingerprints(value).toArray(new byte[0][]);
    long deadline = connector.deadline();
    boolean removed = false;
    for (EntryCodec.Names names : codec.readNames(key)) {
      Long deleted = script("DEL token if same", Script.DELETE_TOKEN_IF_FINGERPRINT, ScriptOutputType.INTEGER,
          names.token, names.hash, deadline, fingerprints);
      removed |= deleted != null && deleted == 1L;
    }
    return removed;
  }

  /**
   * {@code SET NX PX}, in one script with its second half: takes the lease unless someone holds it; if {@code owner}
   * itself holds it, extends it to {@code ttl} and says yes (a holder asking again, for example for a retry, is not
   * locked out by its own lease).
   */
  @Override
  public boolean tryLease(String key, String owner, Duration ttl) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    long millis = Objects.requireNonNull(ttl, "ttl == null").toMillis();
    if (millis < 1) throw new IllegalArgumentException("ttl < 1 ms: " + ttl);
    EntryCodec.Names names = codec.names(key);
    byte[] holder = owner.getBytes(UTF_8);
    Long taken = script("SET lease NX or extend own", Script.TAKE_LEASE, ScriptOutputType.INTEGER, names.lease,
        names.hash, connector.deadline(), holder, Long.toString(millis).getBytes(UTF_8));
    return taken != null && taken == 1L;
  }

  @Override
  public void releaseLease(String key, String owner) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(owner, "owner == null");
    EntryCodec.Names names = codec.names(key);
    script("DEL lease if owner", Script.RELEASE_LEASE, ScriptOutputType.INTEGER, names.lease, names.hash,
        connector.deadline(), owner.getBytes(UTF_8));
  }

  @Override
  public @Nullable StoredFailure getFailure(String key) {
    Objects.requireNonNull(key, "key == null");
    long deadline = connector.deadline();
    for (EntryCodec.Names names : codec.readNames(key)) {
      Entry entry = read("GET failure", names.failure, names.hash, deadline);
      if (entry != null) return codec.openFailure(names, entry.value, entry.remainingMillis);
    }
    return null;
  }

  @Override
  public void putFailure(String key, StoredFailure failure) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(failure, "failure == null");
    long start = System.nanoTime();
    EntryCodec.Names names = codec.names(key);
    writeUntil("SET failure", names, names.failure, codec.sealFailure(names, failure), failure.remaining(), start);
  }

  /**
   * Closes the store's connection and, for a store built from a URI, its client; an app's own client stays open.
   * Later calls fail with a {@link RedisTokenStoreException}. Idempotent.
   */
  @Override
  public void close() {
    connector.close();
  }

  /** Says how the store is configured; never the URI, a password or a key. */
  @Override
  public String toString() {
    return "RedisTokenStore{" + (codec.encrypted() ? "aes-256-gcm" : "plaintext") + ", timeout=" + timeout + '}';
  }

  /**
   * Writes {@code value} to expire {@code remaining} after {@code start} ({@link System#nanoTime()}), on Redis's
   * clock: first Redis's time, then the value with that absolute expiry. The expiry errs early, by at most the
   * round trip of the first command, never late, however long Redis takes to run the write.
   */
  private void writeUntil(String what, EntryCodec.Names names, byte[] keyName, byte[] value, Duration remaining,
      long start) {
    long ttl = remaining.toMillis();
    if (ttl < 1) return; // expires before Redis could hand it out
    long deadline = connector.deadline(start);
    List<Object> time = script("TIME", Script.TIME, ScriptOutputType.MULTI, keyName, names.hash, deadline);
    long elapsed = System.nanoTime() - start;
    // TIME ran at some moment of the round trip: Redis's clock read at most `elapsed` more than at `start`.
    long expireAt = redisMillis(time, names.hash) - ceilMillis(elapsed) + ttl;
    script(what, Script.SET_EXPIRING_AT, ScriptOutputType.INTEGER, keyName, names.hash, deadline, value,
        Long.toString(expireAt).getBytes(UTF_8));
  }

  /**
   * The entry under {@code keyName} and its remaining time, less the round trip that read it (the time can only
   * have shrunk since Redis measured it); null when there is none or nothing is left.
   */
  private @Nullable Entry read(String what, byte[] keyName, String hash, long deadline) {
    long start = System.nanoTime();
    List<Object> reply = script(what, Script.GET_WITH_TTL, ScriptOutputType.MULTI, keyName, hash, deadline);
    long elapsed = System.nanoTime() - start;
    if (reply == null || reply.isEmpty()) return null;
    Object value = reply.get(0);
    Object ttl = reply.size() > 1 ? reply.get(1) : null;
    if (!(value instanceof byte[]) || !(ttl instanceof Long)) {
      throw new RedisTokenStoreException(what + ": unexpected reply from Redis for " + EntryCodec.name(keyName),
          hash, null);
    }
    long pttl = (Long) ttl;
    if (pttl == -1) {
      throw new RedisTokenStoreException("the entry " + EntryCodec.name(keyName) + " has no expiry: not written by "
          + "servicetoken, ignored", hash, null);
    }
    long remaining = pttl - ceilMillis(elapsed);
    return remaining > 0 ? new Entry((byte[]) value, remaining) : null;
  }

  private static long redisMillis(@Nullable List<Object> time, String hash) {
    if (time != null && time.size() == 2) {
      Long seconds = number(time.get(0));
      Long micros = number(time.get(1));
      if (seconds != null && micros != null) return seconds * 1000 + micros / 1000;
    }
    throw new RedisTokenStoreException("TIME: unexpected reply from Redis", hash, null);
  }

  private static @Nullable Long number(Object o) {
    if (o instanceof Long) return (Long) o;
    if (o instanceof byte[]) {
      try {
        return Long.parseLong(new String((byte[]) o, UTF_8));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private <T> T script(String what, Script script, ScriptOutputType type, byte[] keyName, String hash, long deadline,
      byte[]... args) {
    byte[][] keys = {keyName};
    try {
      return connector.call(what, hash, deadline, c -> c.<T>evalsha(script.sha1, type, keys, args));
    } catch (RedisTokenStoreException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) throw e;
      // Not cached on this node (restart, fail-over, SCRIPT FLUSH): EVAL sends it and caches it again.
      return connector.call(what, hash, deadline, c -> c.<T>eval(script.bytes, type, keys, args));
    }
  }

  private static final class Entry {
    final byte[] value;
    final long remainingMillis;

    Entry(byte[] value, long remainingMillis) {
      this.value = value;
      this.remainingMillis = remainingMillis;
    }
  }

  /**
   * Configures a {@link RedisTokenStore}. Either {@link #encryptionKey(byte[])} or {@link #plaintext()} must be said;
   * everything else has a default.
   */
  public static final class Builder {
    private final @Nullable RedisURI uri;
    private final @Nullable RedisClient client;
    private final @Nullable RedisClusterClient clusterClient;
    private boolean cluster;
    private byte @Nullable [] encryptionKey;
    private final List<byte[]> decryptionKeys = new ArrayList<>();
    private boolean plaintext;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(@Nullable RedisURI uri, @Nullable RedisClient client, @Nullable RedisClusterClient clusterClient) {
      this.uri = uri;
      this.client = client;
      this.clusterClient = clusterClient;
    }

    /**
     * Encrypts every entry with AES-256-GCM under this key, and derives from it the key that hashes the Redis key
     * names. Every process of the fleet needs the same key; keep it in the app's secret store, never in Redis.
     *
     * @param key32 32 random bytes (for example {@code openssl rand -base64 32}, decoded); copied
     * @return this builder
     * @throws IllegalArgumentException if the key is not 32 bytes long
     */
    public Builder encryptionKey(byte[] key32) {
      this.encryptionKey = checkKey(key32, "encryptionKey");
      return this;
    }

    /**
     * Keys that still decrypt entries but never encrypt one, for a key rotation: deploy the new key with {@code
     * encryptionKey(newKey).decryptionKeys(oldKey)}, and drop the old key once every process runs the new one.
     * Meanwhile a process on the new key reads the entries of processes still on the old key (under the old key's
     * names, after a miss under its own), while those do not read its entries: until the rollout ends the fleet
     * may fetch one token per key instead of one.
     *
     * @param oldKeys 32-byte keys; copied
     * @return this builder
     * @throws IllegalArgumentException if a key is not 32 bytes long
     */
    public Builder decryptionKeys(byte[]... oldKeys) {
      Objects.requireNonNull(oldKeys, "oldKeys == null");
      for (byte[] key : oldKeys) decryptionKeys.add(checkKey(key, "decryptionKeys"));
      return this;
    }

    /**
     * Stores tokens unencrypted, which must be said explicitly: anyone who can read the Redis database can then
     * use the tokens. Key names still show no account (SHA-256 of the store key).
     *
     * @return this builder
     */
    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

    /**
     * The prefix of every Redis key name the store writes; {@code "servicetoken:"} by default. Give
     * services that must not share tokens different prefixes (or Redis databases).
     *
     * @param keyPrefix a prefix without braces (they would change the Redis Cluster hash slot)
     * @return this builder
     * @throws IllegalArgumentException if it contains a brace
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix == null");
      if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException("keyPrefix must not contain '{' or '}' (Redis Cluster hash tags)");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * How long one call may take, connection included, before it fails (and the provider goes on without the
     * store); {@link #DEFAULT_TIMEOUT} (300 ms) by default.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout <= 0: " + timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * Connects to a Redis Cluster: the URI of {@link RedisTokenStore#builder(String)} names one of its nodes, and
     * Lettuce's cluster client discovers the others (and follows fail-overs and slot moves).
     *
     * @return this builder
     * @throws IllegalStateException if the builder was given a client (pass a {@link RedisClusterClient} instead)
     */
    public Builder cluster() {
      if (uri == null) {
        throw new IllegalStateException("cluster() applies to builder(String); for a client of your own pass a "
            + "RedisClusterClient to builder(..)");
      }
      this.cluster = true;
      return this;
    }

    /**
     * Builds the store and starts connecting in the background; never blocks on Redis and never fails because Redis
     * is down.
     *
     * @return the store
     * @throws IllegalStateException if neither {@link #encryptionKey(byte[])} nor {@link #plaintext()} was said, or
     *     both were, or {@link #decryptionKeys(byte[]...)} without an encryption key
     */
    public RedisTokenStore build() {
      byte[] key = encryptionKey;
      if (key == null && !plaintext) {
        throw new IllegalStateException("encryptionKey(..) required (or say plaintext() to store tokens "
            + "unencrypted)");
      }
      if (key != null && plaintext) {
        throw new IllegalStateException("encryptionKey(..) and plaintext() exclude each other");
      }
      if (key == null && !decryptionKeys.isEmpty()) {
        throw new IllegalStateException("decryptionKeys(..) needs an encryptionKey(..)");
      }
      EntryCodec codec = key == null
          ? EntryCodec.plaintext(keyPrefix)
          : EntryCodec.encrypted(keyPrefix, key, decryptionKeys);
      RedisConnector connector = connector();
      connector.connectInBackground();
      return new RedisTokenStore(connector, codec, timeout);
    }

    private RedisConnector connector() {
      RedisConnector.Warmer warmer = Builder::loadScripts;
      RedisClient appClient = client;
      if (appClient != null) {
        return new RedisConnector(() -> standalone(appClient.connect(ByteArrayCodec.INSTANCE)), warmer, timeout,
            () -> {});
      }
      RedisClusterClient appClusterClient = clusterClient;
      if (appClusterClient != null) {
        return new RedisConnector(() -> cluster(appClusterClient.connect(ByteArrayCodec.INSTANCE)), warmer, timeout,
            () -> {});
      }
      RedisURI redisUri = Objects.requireNonNull(uri, "uri");
      // Reconnect soon after Redis is back (Lettuce's default waits up to 30 s between attempts).
      ClientResources resources = DefaultClientResources.builder()
          .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RedisConnector.MAX_BACKOFF, 2,
              TimeUnit.MILLISECONDS))
          .build();
      SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build();
      TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
      if (cluster) {
        RedisClusterClient own = RedisClusterClient.create(resources, redisUri);
        own.setOptions(ClusterClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(timeouts)
            .socketOptions(socket) // Lettuce 7 follows MOVED/ASK and fail-overs by default (adaptive refresh)
            .build());
        return new RedisConnector(() -> cluster(own.connect(ByteArrayCodec.INSTANCE)), warmer, timeout,
            () -> shutdown(() -> own.shutdown(0, 2, TimeUnit.SECONDS), resources));
      }
      RedisClient own = RedisClient.create(resources, redisUri);
      own.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          // Fail at once while disconnected instead of queueing commands until Redis is back.
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .timeoutOptions(timeouts)
          .socketOptions(socket)
          .build());
      return new RedisConnector(() -> standalone(own.connect(ByteArrayCodec.INSTANCE)), warmer, timeout,
          () -> shutdown(() -> own.shutdown(0, 2, TimeUnit.SECONDS), resources));
    }

    /**
     * Loads the scripts on a new connection, off the callers' threads: the first calls then need no EVAL, and the
     * JVM has loaded Lettuce's command path before a call is timed.
     */
    private static void loadScripts(RedisConnector.Link link) throws Exception {
      for (Script script : Script.ALL) {
        link.commands.scriptLoad(script.bytes).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private static void shutdown(Runnable client, ClientResources resources) {
      try {
        client.run();
      } finally {
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      }
    }

    private static RedisConnector.Link standalone(StatefulRedisConnection<byte[], byte[]> connection) {
      return new RedisConnector.Link(connection, connection.async());
    }

    private static RedisConnector.Link cluster(StatefulRedisClusterConnection<byte[], byte[]> connection) {
      return new RedisConnector.Link(connection, connection.async());
    }

    private static byte[] checkKey(byte[] key, String name) {
      Objects.requireNonNull(key, name + " == null");
      if (key.length != 32) {
        throw new IllegalArgumentException(name + " must be 32 bytes (AES-256), got " + key.length);
      }
      return Arrays.copyOf(key, key.length);
    }
  }
}
