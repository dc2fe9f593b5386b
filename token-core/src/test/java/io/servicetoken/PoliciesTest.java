package io.servicetoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  @Test
  void refreshWindowIsTheSmallerOfFiveMinutesAndAQuarter() {
    RefreshPolicy policy = RefreshPolicy.defaults();
    assertEquals(Duration.ofSeconds(75), policy.refreshWindow(Duration.ofSeconds(300)));
    assertEquals(Duration.ofMinutes(5), policy.refreshWindow(Duration.ofHours(1)));
    assertEquals(Duration.ofMillis(500), policy.refreshWindow(Duration.ofSeconds(2)));
  }

  @Test
  void expiryMarginIsTheSmallerOfThirtySecondsAndATenth() {
    RefreshPolicy policy = RefreshPolicy.defaults();
    assertEquals(Duration.ofSeconds(30), policy.expiryMargin(Duration.ofSeconds(300)));
    assertEquals(Duration.ofMillis(200), policy.expiryMargin(Duration.ofSeconds(2)));
  }

  @Test
  void refreshPolicyValidates() {
    assertThrows(IllegalArgumentException.class, () -> RefreshPolicy.builder().refreshWindow(Duration.ofSeconds(1), 1.0));
    assertThrows(IllegalArgumentException.class, () -> RefreshPolicy.builder().expiryMargin(Duration.ofSeconds(-1), 0.1));
    assertThrows(
        IllegalStateException.class,
        () -> RefreshPolicy.builder().refreshWindow(Duration.ofSeconds(10), 0.05).build());
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy policy = RetryPolicy.defaults();
    assertEquals(3, policy.maxAttempts());
    assertEquals(Duration.ofMillis(500), policy.backoffBound(1));
    assertEquals(Duration.ofMillis(1000), policy.backoffBound(2));
    assertEquals(Duration.ofSeconds(16), policy.backoffBound(6));
    assertEquals(Duration.ofSeconds(30), policy.backoffBound(7));
    assertEquals(Duration.ofSeconds(30), policy.backoffBound(1000));
  }

  @Test
  void retryDelayIsFullJitterAndNeverBelowRetryAfter() {
    RetryPolicy policy = RetryPolicy.defaults();
    Random random = new Random(1);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long delay = policy.retryDelay(2, null, random).toMillis();
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    assertTrue(min < 100 && max > 900 && max <= 1000, min + ".." + max);
    assertEquals(Duration.ofSeconds(7), policy.retryDelay(1, Duration.ofSeconds(7), random));
  }

  @Test
  void retryPolicyValidates() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().attemptTimeout(Duration.ZERO));
  }
}
