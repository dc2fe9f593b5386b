package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import io.servicetoken.testing.SecretScanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RedisTokenStore against a real redis-server: what it writes, reads, expires, refuses and never shows. */
class RedisTokenStoreTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();

  /** A store key with account fields in clear, to prove that none of it reaches Redis. */
  static final String KEY = "vyopta|https://login.example.com/|alice@example.com";
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token-value.sig";
  static final byte[] KEY_1 = key(1);
  static final byte[] KEY_2 = key(2);

  static RedisClient adminClient;
  static StatefulRedisConnection<byte[], byte[]> adminConnection;
  static RedisCommands<byte[], byte[]> admin;
  final List<RedisTokenStore> stores = new ArrayList<>();

  @BeforeAll
  static void connectAdmin() {
    adminClient = RedisClient.create(redis.uri());
    adminConnection = adminClient.connect(ByteArrayCodec.INSTANCE);
    admin = adminConnection.sync();
  }

  @AfterAll
  static void closeAdmin() {
    if (adminConnection != null) adminConnection.close();
    if (adminClient != null) adminClient.shutdown();
  }

  @BeforeEach
  void emptyRedis() {
    admin.flushall();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisTokenStore::close);
  }

  @Test
  void tokenIsReadBackWithItsValueTypeAndLifetime() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));

    StoredToken read = store.get(KEY);

    assertNotNull(read);
    assertEquals(TOKEN, read.value());
    assertEquals("Bearer", read.type());
    assertEquals(Duration.ofSeconds(60), read.lifetime());
  }

  @Test
  void missingKeyReadsAsNull() {
    RedisTokenStore store = store(KEY_1);

    assertNull(store.get(KEY));
    assertNull(store.getFailure(KEY));
  }

  @Test
  void remainingTimeIsRedisTtlNotTheWritersClock() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] name = onlyKey("token");
    long pttl = admin.pttl(name);
    assertTrue(pttl > 49_000 && pttl <= 50_000, "PTTL " + pttl);

    // Redis's clock decides: shorten the TTL behind the writer's back and the reader sees it.
    admin.pexpire(name, 2_000);
    StoredToken read = store.get(KEY);

    assertNotNull(read);
    assertTrue(read.remaining().toMillis() <= 2_000 && read.remaining().toMillis() > 1_000, read.toString());
  }

  @Test
  void everyEntryExpiresByItself() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 40));
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(7)));
    store.putFailure(KEY, failure(true, 30));

    long token = admin.pttl(onlyKey("token"));
    long lease = admin.pttl(onlyKey("lease"));
    long failure = admin.pttl(onlyKey("failure"));
    assertTrue(token > 39_000 && token <= 40_000, "token PTTL " + token);
    assertTrue(lease > 6_000 && lease <= 7_000, "lease PTTL " + lease);
    assertTrue(failure > 29_000 && failure <= 30_000, "failure PTTL " + failure);
  }

  @Test
  void tokenWithNothingLeftIsNotWritten() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, StoredToken.of(TOKEN, "Bearer", Duration.ofSeconds(60), Duration.ofNanos(10)));

    assertNull(store.get(KEY));
    assertEquals(0, allKeys().size());
  }

  @Test
  void removeDeletesOnlyTheTokenItWasAskedFor() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));

    assertFalse(store.remove(KEY, "another-token"));
    assertNotNull(store.get(KEY));
    assertTrue(store.remove(KEY, TOKEN));
    assertNull(store.get(KEY));
    assertFalse(store.remove(KEY, TOKEN));
  }

  @Test
  void removingAnOlderTokenKeepsTheNewerOne() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token("old-token", 60, 50));
    store.put(KEY, token("new-token", 60, 59));

    assertFalse(store.remove(KEY, "old-token"));

    StoredToken read = store.get(KEY);
    assertNotNull(read);
    assertEquals("new-token", read.value());
  }

  @Test
  void leaseGoesToOneOwnerAndOnlyThatOwnerReleasesIt() {
    RedisTokenStore pod1 = store(KEY_1);
    RedisTokenStore pod2 = store(KEY_1);

    assertTrue(pod1.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));
    assertFalse(pod2.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

    pod2.releaseLease(KEY, "pod-2"); // not its lease: a no-op
    assertFalse(pod2.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

    pod1.releaseLease(KEY, "pod-1");
    assertTrue(pod2.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
  }

  @Test
  void holderAskingAgainKeepsItsLeaseForTheNewTime() {
    RedisTokenStore store = store(KEY_1);
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(2)));

    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(20)));

    long pttl = admin.pttl(onlyKey("lease"));
    assertTrue(pttl > 19_000 && pttl <= 20_000, "lease PTTL " + pttl);
    assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
  }

  @Test
  void leaseExpiresByItselfWhenItsHolderNeverReleasesIt() {
    RedisTokenStore store = store(KEY_1);
    long start = System.nanoTime();
    assertTrue(store.tryLease(KEY, "dead-pod", Duration.ofMillis(200)));

    Poll.until(Duration.ofSeconds(5), () -> store.tryLease(KEY, "next-pod", Duration.ofSeconds(10)));

    long waited = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waited >= 190, "the lease was taken over after " + waited + " ms");
  }

  @Test
  void releaseByAnOwnerWhoseLeaseExpiredLeavesTheSuccessorsLease() {
    RedisTokenStore store = store(KEY_1);
    assertTrue(store.tryLease(KEY, "slow-pod", Duration.ofMillis(100)));
    Poll.until(Duration.ofSeconds(5), () -> store.tryLease(KEY, "next-pod", Duration.ofSeconds(10)));

    store.releaseLease(KEY, "slow-pod");

    assertFalse(store.tryLease(KEY, "third-pod", Duration.ofSeconds(10)));
  }

  @Test
  void rejectedCredentialsAreSharedWithTheirFacts() {
    RedisTokenStore store = store(KEY_1);
    store.putFailure(KEY, StoredFailure.of(true, "Vyopta", 401, "invalid_grant", "Vyopta rejected the credentials",
        Duration.ofSeconds(30)));

    StoredFailure read = store.getFailure(KEY);

    assertNotNull(read);
    assertTrue(read.credentialsRejected());
    assertEquals("Vyopta", read.vendor());
    assertEquals(401, read.statusCode());
    assertEquals("invalid_grant", read.errorCode());
    assertEquals("Vyopta rejected the credentials", read.message());
    assertTrue(read.remaining().compareTo(Duration.ofSeconds(29)) > 0, read.toString());
    assertTrue(read.remaining().compareTo(Duration.ofSeconds(30)) <= 0, read.toString());
  }

  @Test
  void retryAfterIsSharedWithoutAnErrorCode() {
    RedisTokenStore store = store(KEY_1);
    store.putFailure(KEY, StoredFailure.of(false, "AppViewX", 429, null, "AppViewX: too many requests",
        Duration.ofSeconds(12)));

    StoredFailure read = store.getFailure(KEY);

    assertNotNull(read);
    assertFalse(read.credentialsRejected());
    assertEquals(429, read.statusCode());
    assertNull(read.errorCode());
  }

  @Test
  void redisHoldsNeitherTheTokenNorTheAccountInKeysOrValues() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));
    store.putFailure(KEY, StoredFailure.of(true, "Vyopta", 401, "invalid_grant",
        "Vyopta rejected the credentials of alice@example.com", Duration.ofSeconds(30)));

    List<byte[]> keys = allKeys();
    assertEquals(3, keys.size());
    for (byte[] name : keys) {
      String text = new String(name, UTF_8);
      assertTrue(text.matches("servicetoken:\\{[0-9a-f]{32}\\}:(token|lease|failure)"), text);
      byte[] value = admin.get(name);
      for (String secret : Arrays.asList(TOKEN, "secret-token-value", KEY, "alice", "login.example.com",
          "invalid_grant", "rejected")) {
        assertFalse(contains(name, secret.getBytes(UTF_8)), secret + " in a key name");
        assertFalse(contains(value, secret.getBytes(UTF_8)), secret + " in the value of " + text);
      }
    }
  }

  @Test
  void tamperedEntryIsRefusedNamingItsHashNeverTheToken() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] name = onlyKey("token");
    byte[] value = admin.get(name);
    value[value.length - 20] ^= 1; // one bit of the ciphertext
    admin.set(name, value, SetArgs.Builder.keepttl());

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));

    String hash = hashOf(name);
    assertEquals(hash, e.keyHash());
    assertTrue(e.getMessage().contains(hash), e.getMessage());
    assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
    SecretScanner.assertNoSecret(e, TOKEN, KEY, "alice");
  }

  @Test
  void tamperedHeaderIsRefusedToo() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] name = onlyKey("token");
    byte[] value = admin.get(name);
    value[EntryCodec.FINGERPRINT_OFFSET] ^= 1; // the fingerprint is authenticated as associated data
    admin.set(name, value, SetArgs.Builder.keepttl());

    assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
  }

  @Test
  void entryCopiedToAnotherKeyFailsToDecrypt() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] value = admin.get(onlyKey("token"));
    store.put("another-account", token("other-token", 60, 50));
    byte[] otherName = keyOfValueOtherThan(value);
    admin.set(otherName, value, SetArgs.Builder.keepttl());

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> store.get("another-account"));

    assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
    SecretScanner.assertNoSecret(e, TOKEN, "other-token");
  }

  @Test
  void storeWithAnotherKeySeesNothing() {
    store(KEY_1).put(KEY, token(TOKEN, 60, 50));

    assertNull(store(KEY_2).get(KEY));
  }

  @Test
  void entryOfAnUnknownKeyIsRefusedNamingTheKeyIds() {
    RedisTokenStore writer = store(KEY_1);
    RedisTokenStore reader = store(KEY_2);
    writer.put(KEY, token(TOKEN, 60, 50));
    byte[] value = admin.get(onlyKey("token"));
    reader.put(KEY, token("readers-token", 60, 50));
    byte[] readersName = keyOfValueOtherThan(value);
    admin.set(readersName, value, SetArgs.Builder.keepttl());

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> reader.get(KEY));

    assertTrue(e.getMessage().contains("key this store does not know"), e.getMessage());
    SecretScanner.assertNoSecret(e, TOKEN);
  }

  @Test
  void rotationReadsOldKeyEntriesAndWritesWithTheNewKey() {
    RedisTokenStore onOldKey = store(KEY_1);
    RedisTokenStore rotating = track(RedisTokenStore.builder(redis.uri()).encryptionKey(KEY_2)
        .decryptionKeys(KEY_1).build());
    RedisTokenStore onNewKey = store(KEY_2);
    onOldKey.put(KEY, token("old-key-token", 60, 50));

    StoredToken adopted = rotating.get(KEY);
    assertNotNull(adopted);
    assertEquals("old-key-token", adopted.value());

    rotating.put(KEY, token("new-key-token", 60, 55));
    StoredToken read = onNewKey.get(KEY);
    assertNotNull(read);
    assertEquals("new-key-token", read.value());
    StoredToken readByOld = onOldKey.get(KEY);
    assertNotNull(readByOld);
    assertEquals("old-key-token", readByOld.value(), "the old key's processes keep their own entry");

    assertTrue(rotating.remove(KEY, "old-key-token"), "invalidation reaches the old key's entry too");
    assertNull(onOldKey.get(KEY));
  }

  @Test
  void plaintextStoreSharesTokensAndStillHidesTheAccount() {
    RedisTokenStore store = track(RedisTokenStore.builder(redis.uri()).plaintext().build());
    store.put(KEY, token(TOKEN, 60, 50));

    StoredToken read = store.get(KEY);
    assertNotNull(read);
    assertEquals(TOKEN, read.value());
    byte[] name = onlyKey("token");
    assertFalse(contains(name, "alice".getBytes(UTF_8)));
    assertTrue(contains(admin.get(name), TOKEN.getBytes(UTF_8)), "plaintext means the token is readable");
    assertTrue(store.remove(KEY, TOKEN));
  }

  @Test
  void encryptedStoreRefusesAPlaintextEntry() {
    RedisTokenStore plaintext = track(RedisTokenStore.builder(redis.uri()).plaintext().build());
    RedisTokenStore encrypted = store(KEY_1);
    plaintext.put(KEY, token("injected-token", 60, 50));
    byte[] value = admin.get(onlyKey("token"));
    encrypted.put(KEY, token(TOKEN, 60, 50));
    admin.set(keyOfValueOtherThan(value), value, SetArgs.Builder.keepttl());

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> encrypted.get(KEY));

    assertTrue(e.getMessage().contains("plaintext"), e.getMessage());
  }

  @Test
  void foreignValueIsAnErrorNotACrash() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] name = onlyKey("token");
    admin.set(name, "hello".getBytes(UTF_8), SetArgs.Builder.keepttl());

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
    assertTrue(e.getMessage().contains("not a servicetoken entry"), e.getMessage());
    assertFalse(store.remove(KEY, TOKEN), "a foreign value is not ours to delete");
    assertArrayEquals("hello".getBytes(UTF_8), admin.get(name));

    admin.set(name, new byte[] {1, 1, 1}, SetArgs.Builder.keepttl()); // our version and kind, cut short
    assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
  }

  @Test
  void valueWithoutExpiryIsRefused() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    admin.persist(onlyKey("token"));

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));

    assertTrue(e.getMessage().contains("no expiry"), e.getMessage());
  }

  @Test
  void wrongRedisTypeUnderTheNameIsAnError() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    byte[] name = onlyKey("token");
    admin.del(name);
    admin.hset(name, "field".getBytes(UTF_8), "value".getBytes(UTF_8));

    RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));

    assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
    assertNull(store.getFailure(KEY), "the other entries still work");
  }

  @Test
  void scriptsRunAgainAfterScriptFlush() {
    RedisTokenStore store = store(KEY_1);
    store.put(KEY, token(TOKEN, 60, 50));
    assertNotNull(store.get(KEY));
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));

    assertEquals("+OK", redis.command("SCRIPT FLUSH"));

    assertNotNull(store.get(KEY));
    store.releaseLease(KEY, "pod-1");
    assertTrue(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
    assertTrue(redis.command("SCRIPT FLUSH").equals("+OK"));
    assertTrue(store.remove(KEY, TOKEN));
    assertTrue(redis.command("SCRIPT FLUSH").equals("+OK"));
    store.put(KEY, token(TOKEN, 60, 50));
    assertNotNull(store.get(KEY));
  }

  @Test
  void closingAStoreLeavesTheAppsClientOpen() {
    RedisClient app = RedisClient.create(redis.uri());
    try {
      RedisTokenStore store = RedisTokenStore.builder(app).encryptionKey(KEY_1).build();
      store.put(KEY, token(TOKEN, 60, 50));
      assertNotNull(store.get(KEY));

      store.close();

      assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
      try (StatefulRedisConnection<String, String> connection = app.connect()) {
        assertEquals("PONG", connection.sync().ping());
      }
    } finally {
      app.shutdown();
    }
  }

  @Test
  void builderRefusesAStoreWithoutEncryptionOrPlaintext() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisTokenStore.builder(redis.uri()).build());
    assertTrue(e.getMessage().contains("encryptionKey"), e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> RedisTokenStore.builder(redis.uri()).encryptionKey(KEY_1).plaintext().build());
    assertThrows(IllegalStateException.class,
        () -> RedisTokenStore.builder(redis.uri()).plaintext().decryptionKeys(KEY_1).build());
    assertThrows(IllegalArgumentException.class,
        () -> RedisTokenStore.builder(redis.uri()).encryptionKey(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> RedisTokenStore.builder(redis.uri()).keyPrefix("a{b}:"));
    assertThrows(IllegalArgumentException.class, () -> RedisTokenStore.builder(redis.uri()).timeout(Duration.ZERO));
  }

  @Test
  void malformedUriIsRefusedWithoutRepeatingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisTokenStore.builder("redis://:hunter2-password@[not a host"));

    SecretScanner.assertNoSecret(e, "hunter2-password");
  }

  @Test
  void keyPrefixNamesEveryEntry() {
    RedisTokenStore store = track(RedisTokenStore.builder(redis.uri()).encryptionKey(KEY_1)
        .keyPrefix("billing:tokens:").build());
    store.put(KEY, token(TOKEN, 60, 50));

    assertTrue(new String(allKeys().get(0), UTF_8).startsWith("billing:tokens:{"));
    assertNotNull(store.get(KEY));
  }

  @Test
  void toStringShowsNoSecret() {
    RedisTokenStore store = track(RedisTokenStore.builder("redis://:hunter2-password@127.0.0.1:" + redis.port())
        .encryptionKey(KEY_1).build());

    SecretScanner.assertNoSecret(store.toString(), "hunter2-password");
  }

  // --- helpers ---

  RedisTokenStore store(byte[] key) {
    return track(RedisTokenStore.builder(redis.uri()).encryptionKey(key).build());
  }

  RedisTokenStore track(RedisTokenStore store) {
    stores.add(store);
    Poll.awaitConnected(store);
    return store;
  }

  static StoredToken token(String value, long lifetimeSeconds, long remainingSeconds) {
    return StoredToken.of(value, "Bearer", Duration.ofSeconds(lifetimeSeconds), Duration.ofSeconds(remainingSeconds));
  }

  static StoredFailure failure(boolean rejected, long seconds) {
    return StoredFailure.of(rejected, "Vyopta", 401, "invalid_grant", "rejected", Duration.ofSeconds(seconds));
  }

  static byte[] key(int seed) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) seed);
    key[0] = (byte) (seed * 31 + 7);
    return key;
  }

  static List<byte[]> allKeys() {
    List<byte[]> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = admin.scan(cursor, ScanArgs.Builder.limit(100));
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  /** The one key name in Redis ending with {@code :suffix}. */
  static byte[] onlyKey(String suffix) {
    byte[] found = null;
    for (byte[] name : allKeys()) {
      if (new String(name, UTF_8).endsWith(":" + suffix)) {
        assertNull(found, "more than one " + suffix + " entry");
        found = name;
      }
    }
    assertNotNull(found, "no " + suffix + " entry");
    return found;
  }

  /** The token entry's name whose value is not {@code value}. */
  static byte[] keyOfValueOtherThan(byte[] value) {
    for (byte[] name : allKeys()) {
      if (new String(name, UTF_8).endsWith(":token") && !Arrays.equals(admin.get(name), value)) return name;
    }
    throw new AssertionError("no other token entry");
  }

  static String hashOf(byte[] name) {
    String text = new String(name, UTF_8);
    return text.substring(text.indexOf('{') + 1, text.indexOf('}'));
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
