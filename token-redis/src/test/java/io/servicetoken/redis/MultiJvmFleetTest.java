package io.servicetoken.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet of separate processes: JVMs running {@link FleetPodMain}, each with its own Redis connection, sharing one
 * real Redis and one fake vendor (in this JVM). Four pods start once for the class (a JVM start is the expensive
 * part); each test uses its own store key, so each starts from a cold fleet.
 */
class MultiJvmFleetTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();
  @RegisterExtension final FleetVendor vendor = new FleetVendor();

  static final Duration START_BOUND = Duration.ofSeconds(60);
  static final Duration TOKEN_BOUND = Duration.ofSeconds(20);
  /** The pods' attempt timeout: their lease lasts this plus 5 s. */
  static final long ATTEMPT_TIMEOUT_MILLIS = 1_500;
  static final Duration LEASE = Duration.ofMillis(ATTEMPT_TIMEOUT_MILLIS).plus(FleetModeTest.LEASE_MARGIN);
  /**
   * Beyond the lease: a waiting pod looks again every 400 ms at most, and a fresh JVM's first request loads its HTTP
   * stack (hundreds of milliseconds on a loaded 2-core machine).
   */
  static final Duration SLACK = Duration.ofMillis(1_500);

  static final List<JvmPod> pods = new ArrayList<>();

  @BeforeAll
  static void startPods() throws Exception {
    try {
      for (int i = 0; i < 4; i++) pods.add(JvmPod.start("pod-" + i, redis.uri(), FleetModeTest.ENCRYPTION_KEY));
      for (JvmPod pod : pods) pod.expect("ready", START_BOUND);
    } catch (Throwable e) {
      stopPods();
      throw e;
    }
  }

  @AfterAll
  static void stopPods() throws InterruptedException {
    for (JvmPod pod : pods) pod.close();
  }

  @Test
  void coldFleetOfProcessesMakesOneVendorRequest() throws Exception {
    List<JvmPod> fleet = pods.subList(1, 4);
    for (JvmPod pod : fleet) pod.send(ask("cold"));

    Set<String> tokens = new HashSet<>();
    for (JvmPod pod : fleet) tokens.add(pod.expect("token cold ", TOKEN_BOUND));

    assertEquals(1, vendor.requests());
    assertEquals(1, tokens.size(), "every process serves the same token: " + tokens);
    assertEquals("token cold " + FleetPodMain.fingerprint(vendor.vyopta.lastIssuedToken()), tokens.iterator().next());
  }

  @Test
  void processKilledMidFetchHoldingTheLeaseBlocksTheOthersForAtMostTheLeaseTime() throws Exception {
    JvmPod holder = pods.get(0);
    List<JvmPod> others = pods.subList(1, 3);
    vendor.hangNext(1);

    long leaseTaken = System.nanoTime();
    holder.send(ask("killed"));
    vendor.awaitRequests(1, TOKEN_BOUND); // it holds the lease, and its request hangs
    for (JvmPod pod : others) pod.send(ask("killed"));
    holder.kill();

    Set<String> tokens = new HashSet<>();
    for (JvmPod pod : others) tokens.add(pod.expect("token killed ", TOKEN_BOUND));

    // The holder took its lease after the command was sent (a fresh JVM loads its HTTP stack first) and before its
    // request arrived: the others' request must come no later than a lease after the first one, and not before the
    // lease could have expired.
    List<Long> arrivals = vendor.arrivals();
    Duration afterRequest = Duration.ofNanos(arrivals.get(1) - arrivals.get(0));
    Duration afterCommand = Duration.ofNanos(arrivals.get(1) - leaseTaken);
    System.out.println("kill -9 of the lease holder: the next request came " + afterRequest.toMillis() + " ms after "
        + "its own (" + LEASE.toMillis() + " ms lease)");
    assertEquals(2, vendor.requests(), "the dead holder's request and one for the others");
    assertEquals(1, tokens.size());
    assertTrue(afterRequest.compareTo(LEASE.plus(SLACK)) < 0, "the others waited " + afterRequest);
    assertTrue(afterCommand.compareTo(LEASE.minus(SLACK)) > 0, "the others did not wait for the lease");
  }

  String ask(String key) {
    return String.join(" ", Arrays.asList("token", key, vendor.baseUrl(), Long.toString(ATTEMPT_TIMEOUT_MILLIS)));
  }
}
