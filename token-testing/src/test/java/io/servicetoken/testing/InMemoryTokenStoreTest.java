package io.servicetoken.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.StoredFailure;
import io.servicetoken.StoredToken;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest {
  static final String KEY = "account";
  final TestScheduler scheduler = new TestScheduler();
  final InMemoryTokenStore store = InMemoryTokenStore.create(scheduler);

  @Test
  void tokenIsReadBackWithTheTimeItHasLeftOnTheSchedulersClock() throws Exception {
    store.put(KEY, token("t1", 60, 50));

    scheduler.advanceTimeBy(20, TimeUnit.SECONDS);
    StoredToken read = store.get(KEY);

    assertNotNull(read);
    assertEquals("t1", read.value());
    assertEquals("Bearer", read.type());
    assertEquals(Duration.ofSeconds(60), read.lifetime());
    assertEquals(Duration.ofSeconds(30), read.remaining());
  }

  @Test
  void tokenIsGoneOnceItsTimeIsUp() throws Exception {
    store.put(KEY, token("t1", 60, 50));

    scheduler.advanceTimeBy(50, TimeUnit.SECONDS);

    assertNull(store.get(KEY));
    assertFalse(store.remove(KEY, "t1"));
  }

  @Test
  void removeIsCompareAndDelete() throws Exception {
    store.put(KEY, token("t1", 60, 50));
    store.put(KEY, token("t2", 60, 55));

    assertFalse(store.remove(KEY, "t1"));
    assertEquals("t2", store.get(KEY).value());
    assertTrue(store.remove(KEY, "t2"));
    assertNull(store.get(KEY));
  }

  @Test
  void leaseIsExclusiveAndReleasedByItsOwnerOnly() throws Exception {
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));
    assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

    store.releaseLease(KEY, "pod-2");
    assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

    store.releaseLease(KEY, "pod-1");
    assertTrue(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
  }

  @Test
  void holderAskingAgainKeepsItsLeaseForTheNewTime() throws Exception {
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(2)));
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(20)));

    scheduler.advanceTimeBy(19, TimeUnit.SECONDS);

    assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
  }

  @Test
  void leaseExpiresWithItsHolder() throws Exception {
    assertTrue(store.tryLease(KEY, "dead-pod", Duration.ofSeconds(10)));

    scheduler.advanceTimeBy(9, TimeUnit.SECONDS);
    assertFalse(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    assertTrue(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));

    store.releaseLease(KEY, "dead-pod"); // too late: not its lease any more
    assertFalse(store.tryLease(KEY, "pod-3", Duration.ofSeconds(10)));
  }

  @Test
  void failureIsSharedForItsCoolDown() throws Exception {
    store.putFailure(KEY, StoredFailure.of(true, "Vyopta", 401, "invalid_grant", "rejected", Duration.ofSeconds(30)));

    scheduler.advanceTimeBy(10, TimeUnit.SECONDS);
    StoredFailure read = store.getFailure(KEY);
    assertNotNull(read);
    assertTrue(read.credentialsRejected());
    assertEquals("invalid_grant", read.errorCode());
    assertEquals(Duration.ofSeconds(20), read.remaining());

    scheduler.advanceTimeBy(20, TimeUnit.SECONDS);
    assertNull(store.getFailure(KEY));
  }

  @Test
  void unavailableStoreFailsEveryCallAndKeepsWhatItHeld() throws Exception {
    store.put(KEY, token("t1", 60, 50));
    store.setAvailable(false);

    assertThrows(IOException.class, () -> store.get(KEY));
    assertThrows(IOException.class, () -> store.put(KEY, token("t2", 60, 50)));
    assertThrows(IOException.class, () -> store.tryLease(KEY, "pod-1", Duration.ofSeconds(1)));

    store.setAvailable(true);
    assertEquals("t1", store.get(KEY).value());
    assertEquals(5, store.callCount());
  }

  @Test
  void clearForgetsEverything() throws Exception {
    store.put(KEY, token("t1", 60, 50));
    assertTrue(store.tryLease(KEY, "pod-1", Duration.ofSeconds(10)));

    store.clear();

    assertNull(store.get(KEY));
    assertTrue(store.tryLease(KEY, "pod-2", Duration.ofSeconds(10)));
  }

  @Test
  void hugeLifetimesDoNotWrapTheClock() throws Exception {
    store.put(KEY, StoredToken.of("forever", "Bearer", Duration.ofDays(365_000), Duration.ofDays(365_000)));

    scheduler.advanceTimeBy(1_000, TimeUnit.DAYS);

    assertEquals("forever", store.get(KEY).value());
  }

  @Test
  void realTimeStoreWorksWithoutAScheduler() throws Exception {
    InMemoryTokenStore real = InMemoryTokenStore.create();
    real.put(KEY, token("t1", 3600, 3600));

    StoredToken read = real.get(KEY);

    assertNotNull(read);
    assertTrue(read.remaining().compareTo(Duration.ofSeconds(3590)) > 0);
  }

  @Test
  void oneOfManyConcurrentProvidersGetsTheLease() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String owner = "pod-" + i;
        results.add(pool.submit(() -> {
          assertTrue(start.await(10, TimeUnit.SECONDS));
          return store.tryLease(KEY, owner, Duration.ofSeconds(10));
        }));
      }
      start.countDown();
      int granted = 0;
      for (Future<Boolean> result : results) {
        if (result.get(10, TimeUnit.SECONDS)) granted++;
      }
      assertEquals(1, granted);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void toStringCountsEntriesAndShowsNoToken() throws Exception {
    store.put(KEY, token("secret-token-value", 60, 50));

    assertEquals("InMemoryTokenStore{tokens=1, leases=0, failures=0}", store.toString());
    SecretScanner.assertNoSecret(store, "secret-token-value");
  }

  static StoredToken token(String value, long lifetimeSeconds, long remainingSeconds) {
    return StoredToken.of(value, "Bearer", Duration.ofSeconds(lifetimeSeconds), Duration.ofSeconds(remainingSeconds));
  }
}
