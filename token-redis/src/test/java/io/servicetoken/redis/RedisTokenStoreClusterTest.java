package io.servicetoken.redis;

import static io.servicetoken.redis.RedisTokenStoreTest.KEY;
import static io.servicetoken.redis.RedisTokenStoreTest.KEY_1;
import static io.servicetoken.redis.RedisTokenStoreTest.TOKEN;
import static io.servicetoken.redis.RedisTokenStoreTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.RedisClusterClient;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RedisTokenStore on a Redis Cluster (one node holding every slot): Lettuce's cluster client, scripts by key slot. */
class RedisTokenStoreClusterTest {
  @RegisterExtension
  static final RedisServer redis = new RedisServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
      "--cluster-announce-ip", "127.0.0.1");

  @BeforeAll
  static void assignEverySlot() {
    assertEquals("+OK", redis.command("CLUSTER ADDSLOTSRANGE 0 16383"));
    Poll.until(Duration.ofSeconds(10), () -> {
      String info = redis.command("CLUSTER INFO");
      return info != null && info.contains("cluster_state:ok");
    });
  }

  @Test
  void storeOnAClusterSharesTokensLeasesAndFailures() {
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).cluster().encryptionKey(KEY_1).build()) {
      Poll.awaitConnected(store);
      store.put(KEY, token(TOKEN, 60, 50));
      StoredToken read = store.get(KEY);
      assertNotNull(read);
      assertEquals(TOKEN, read.value());

      assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));
      assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
      store.releaseLease(KEY, "pod-1");
      assertTrue(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

      store.putFailure(KEY, StoredFailure.of(true, "Vyopta", 401, null, "rejected", Duration.ofSeconds(30)));
      assertNotNull(store.getFailure(KEY));

      assertEquals("+OK", redis.command("SCRIPT FLUSH"));
      assertTrue(store.remove(KEY, TOKEN));
      assertNull(store.get(KEY));
    }
  }

  @Test
  void theEntriesOfOneStoreKeyShareOneSlot() {
    EntryCodec.Names names = EntryCodec.plaintext(RedisTokenStore.DEFAULT_KEY_PREFIX).names(KEY);

    String slot = redis.command("CLUSTER KEYSLOT " + EntryCodec.name(names.token));

    assertEquals(slot, redis.command("CLUSTER KEYSLOT " + EntryCodec.name(names.lease)));
    assertEquals(slot, redis.command("CLUSTER KEYSLOT " + EntryCodec.name(names.failure)));
  }

  @Test
  void storeOnTheAppsClusterClientLeavesItOpen() {
    RedisClusterClient app = RedisClusterClient.create(redis.uri());
    try {
      RedisTokenStore store = RedisTokenStore.builder(app).encryptionKey(KEY_1).build();
      Poll.awaitConnected(store);
      store.put(KEY, token(TOKEN, 60, 50));
      assertNotNull(store.get(KEY));
      store.close();

      try (io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String> c = app.connect()) {
        assertEquals("PONG", c.sync().ping());
      }
    } finally {
      app.shutdown();
    }
  }
}
