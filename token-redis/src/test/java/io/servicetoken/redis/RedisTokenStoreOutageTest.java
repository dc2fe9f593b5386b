package io.servicetoken.redis;

import static io.servicetoken.redis.RedisTokenStoreTest.KEY;
import static io.servicetoken.redis.RedisTokenStoreTest.KEY_1;
import static io.servicetoken.redis.RedisTokenStoreTest.TOKEN;
import static io.servicetoken.redis.RedisTokenStoreTest.token;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.servicetoken.StoredToken;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis down, killed, restarted and stalled under a RedisTokenStore: every call ends within its timeout (at once
 * while Redis is known to be down), nothing hangs, and sharing resumes by itself once Redis is back.
 */
class RedisTokenStoreOutageTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();

  static final Duration TIMEOUT = RedisTokenStore.DEFAULT_TIMEOUT;
  /** What a call may take beyond its timeout on a loaded 2-core CI machine. */
  static final Duration SLACK = Duration.ofMillis(700);
  static final Duration RESUME_BOUND = Duration.ofSeconds(30);

  final List<RedisTokenStore> stores = new ArrayList<>();

  @AfterEach
  void redisRunsAgainAndStoresAreClosed() throws Exception {
    stores.forEach(RedisTokenStore::close);
    if (!redis.running()) redis.start();
  }

  @Test
  void storeBuiltWhileRedisIsDownBuildsAtOnceAndServesOnceRedisIsUp() throws Exception {
    redis.kill();

    long start = System.nanoTime();
    RedisTokenStore store = store();
    Duration build = since(start);
    assertTrue(build.compareTo(Duration.ofMillis(500)) < 0, "build() took " + build);

    assertFailsWithinTimeout(() -> store.get(KEY));

    redis.start();
    Duration resumed = Poll.until(RESUME_BOUND, () -> {
      store.put(KEY, token(TOKEN, 60, 50));
      return store.get(KEY) != null;
    });
    System.out.println("store built while Redis was down: served " + resumed.toMillis() + " ms after Redis started");
  }

  @Test
  void whileRedisStaysDownCallsFailAtOnceInsteadOfEachPayingTheTimeout() throws Exception {
    RedisTokenStore store = connectedStore();
    store.put(KEY, token(TOKEN, 60, 50));
    redis.kill();
    assertFailsWithinTimeout(() -> store.get(KEY)); // the first call may learn of the outage the slow way

    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
    }
    Duration fifty = since(start);
    assertTrue(fifty.compareTo(TIMEOUT) < 0, "50 calls while Redis was down took " + fifty);
  }

  @Test
  void everyCallFailsWithinTheTimeoutWhenRedisIsKilledMidRun() throws Exception {
    RedisTokenStore store = connectedStore();
    store.put(KEY, token(TOKEN, 60, 50));
    assertEquals(TOKEN, read(store));

    redis.kill();

    assertFailsWithinTimeout(() -> store.get(KEY));
    assertFailsWithinTimeout(() -> store.put(KEY, token(TOKEN, 60, 50)));
    assertFailsWithinTimeout(() -> store.remove(KEY, TOKEN));
    assertFailsWithinTimeout(() -> store.tryLease(KEY, "pod-1", Duration.ofSeconds(5)));
    assertFailsWithinTimeout(() -> store.releaseLease(KEY, "pod-1"));
    assertFailsWithinTimeout(() -> store.getFailure(KEY));
  }

  @Test
  void sharingResumesWithin30SecondsOfARestart() throws Exception {
    RedisTokenStore store = connectedStore();
    store.put(KEY, token(TOKEN, 60, 50));
    redis.kill();
    assertFailsWithinTimeout(() -> store.get(KEY));

    redis.start(); // empty: no persistence
    Duration resumed = Poll.until(RESUME_BOUND, () -> {
      store.put(KEY, token("after-restart", 60, 50));
      return "after-restart".equals(read(store));
    });
    System.out.println("Redis restarted: the store resumed after " + resumed.toMillis() + " ms");
  }

  @Test
  void stalledRedisFailsCallsWithinTheTimeoutAndLeavesNoLateWrite() throws Exception {
    RedisTokenStore store = connectedStore();

    assertEquals("+OK", redis.command("CLIENT PAUSE 1500 ALL"));
    assertFailsWithinTimeout(() -> store.put(KEY, token(TOKEN, 60, 50)));
    assertFailsWithinTimeout(() -> store.get(KEY));

    Poll.until(Duration.ofSeconds(10), () -> store.getFailure(KEY) == null); // answers again
    assertNull(store.get(KEY), "a write that timed out did not land late");
  }

  @Test
  void fullRedisRefusesWritesWithAnErrorAndStillAnswersReads() throws Exception {
    RedisTokenStore store = connectedStore();
    store.put(KEY, token(TOKEN, 60, 50));
    assertEquals("+OK", redis.command("CONFIG SET maxmemory-policy noeviction"));
    assertEquals("+OK", redis.command("CONFIG SET maxmemory 1"));
    try {
      RedisTokenStoreException e = assertThrows(RedisTokenStoreException.class,
          () -> store.put("another-account", token("other-token", 60, 50)));
      assertTrue(e.getMessage().contains("OOM"), e.getMessage());
      assertThrows(RedisTokenStoreException.class, () -> store.tryLease(KEY, "pod-1", Duration.ofSeconds(5)));
      assertEquals(TOKEN, read(store));
    } finally {
      assertEquals("+OK", redis.command("CONFIG SET maxmemory 0"));
    }
  }

  @Test
  void serverAnsweringGarbageFailsCallsWithinBoundsAndNeverCrashes() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> answerGarbage(garbage), "garbage-server");
      server.setDaemon(true);
      server.start();
      RedisTokenStore store = track(RedisTokenStore.builder("redis://127.0.0.1:" + garbage.getLocalPort())
          .encryptionKey(KEY_1).build());

      long start = System.nanoTime();
      assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
      Duration first = since(start);
      assertTrue(first.compareTo(RedisConnector.FIRST_CONNECT_WAIT.plus(TIMEOUT).plus(SLACK)) < 0,
          "the first call failed after " + first);
      for (int i = 0; i < 5; i++) assertFailsWithinTimeout(() -> store.put(KEY, token(TOKEN, 60, 50)));
    }
  }

  /** A server that answers every connection with bytes that are not RESP, and reads whatever it is sent. */
  static void answerGarbage(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setSoTimeout(10_000);
        Thread reader = new Thread(() -> {
          try (Socket s = socket) {
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n<html>".getBytes(UTF_8));
            s.getOutputStream().flush();
            byte[] buffer = new byte[1024];
            while (s.getInputStream().read(buffer) >= 0) {
              // discard
            }
          } catch (IOException e) {
            // the client hung up or the test ended
          }
        }, "garbage-connection");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Test
  void appsOwnClientWithDefaultOptionsStillFailsWithinTheTimeout() throws Exception {
    RedisClient app = RedisClient.create(redis.uri()); // DisconnectedBehavior.DEFAULT: would queue commands
    try {
      RedisTokenStore store = track(RedisTokenStore.builder(app).encryptionKey(KEY_1).build());
      awaitConnected(store);
      store.put(KEY, token(TOKEN, 60, 50));
      redis.kill();

      assertFailsWithinTimeout(() -> store.get(KEY));
      assertFailsWithinTimeout(() -> store.put(KEY, token(TOKEN, 60, 50)));

      redis.start();
      Poll.until(RESUME_BOUND, () -> {
        store.put(KEY, token("after-restart", 60, 50));
        return "after-restart".equals(read(store));
      });
    } finally {
      app.shutdown();
    }
  }

  @Test
  void failuresNeverShowTheRedisPassword() throws Exception {
    // A wrong password: AUTH fails, and Redis's own error text must not carry it either. (The password shares no run
    // of 6 characters with Redis's own words, such as "username-password pair", which SecretScanner would flag.)
    assertEquals("+OK", redis.command("CONFIG SET requirepass the-right-password"));
    RedisTokenStore store = track(RedisTokenStore.builder("redis://:hunter2-Zq8xW3@127.0.0.1:" + redis.port())
        .encryptionKey(KEY_1).build());
    RedisTokenStoreException refused = assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
    SecretScanner.assertNoSecret(refused, "hunter2-Zq8xW3");

    redis.kill();
    RedisTokenStore down = track(RedisTokenStore.builder("redis://:hunter2-Zq8xW3@127.0.0.1:" + redis.port())
        .encryptionKey(KEY_1).build());
    RedisTokenStoreException unreachable = assertThrows(RedisTokenStoreException.class, () -> down.get(KEY));
    SecretScanner.assertNoSecret(unreachable, "hunter2-Zq8xW3");
  }

  @Test
  void closeEndsPromptlyEvenWhileRedisIsDown() throws Exception {
    RedisTokenStore store = connectedStore();
    redis.kill();
    assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));

    long start = System.nanoTime();
    store.close();
    Duration close = since(start);

    assertTrue(close.compareTo(Duration.ofSeconds(5)) < 0, "close() took " + close);
    assertThrows(RedisTokenStoreException.class, () -> store.get(KEY));
  }

  RedisTokenStore store() {
    return track(RedisTokenStore.builder(redis.uri()).encryptionKey(KEY_1).build());
  }

  /** A store past its first connection (which a loaded machine may take seconds to open), for timing its calls. */
  RedisTokenStore connectedStore() {
    RedisTokenStore store = store();
    awaitConnected(store);
    return store;
  }

  static void awaitConnected(RedisTokenStore store) {
    Poll.awaitConnected(store);
  }

  RedisTokenStore track(RedisTokenStore store) {
    stores.add(store);
    return store;
  }

  static String read(RedisTokenStore store) {
    StoredToken token = store.get(KEY);
    return token == null ? "" : token.value();
  }

  static void assertFailsWithinTimeout(Runnable call) {
    long start = System.nanoTime();
    assertThrows(RedisTokenStoreException.class, call::run);
    Duration took = since(start);
    assertTrue(took.compareTo(TIMEOUT.plus(SLACK)) < 0, "the call failed after " + took);
  }

  static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
