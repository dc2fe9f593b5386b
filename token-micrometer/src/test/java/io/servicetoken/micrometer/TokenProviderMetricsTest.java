package io.servicetoken.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenServiceException;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters against Vyopta's fake login server. The provider runs on a {@link TestScheduler} set to the wall
 * clock, so its fetches, retries and the delivery of its events (always on its scheduler, never on the caller's
 * thread) all happen inside {@code triggerActions()} / {@code advanceTimeBy(..)} on the test's thread: each
 * assertion follows the work it checks, without waiting.
 */
class TokenProviderMetricsTest {
  private static final String PASSWORD = "wonderland-42";
  private static final List<String> OUTCOMES =
      Arrays.asList("success", "credentials_rejected", "invalid_request", "service_error", "malformed_response");

  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", PASSWORD);

  private final TestScheduler scheduler = new TestScheduler(System.currentTimeMillis(), TimeUnit.MILLISECONDS);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Tags tags = Tags.of("vendor", "vyopta", "account", "alice");
  private final List<TokenProvider> providers = new ArrayList<>();

  @AfterEach
  void closeProviders() {
    providers.forEach(TokenProvider::close);
  }

  private VyoptaTokenSource.Builder source() {
    return VyoptaTokenSource.builder().baseUrl(vyopta.baseUrl().toString()).username("alice").password(PASSWORD);
  }

  private TokenProvider.Builder provider(VyoptaTokenSource.Builder source) {
    return TokenProvider.builder(source.build())
        .scheduler(scheduler)
        .retryPolicy(
            RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build());
  }

  /** A provider of {@code source}'s tokens, bound to the registry with the test's tags, closed after the test. */
  private TokenProvider bound(VyoptaTokenSource.Builder source) {
    TokenProvider provider = provider(source).build();
    providers.add(provider);
    TokenProviderMetrics.of(provider, tags).bindTo(registry);
    return provider;
  }

  /** Asks for a token and runs the provider's work until it is delivered, retries and their backoff included. */
  private TestObserver<Token> fetch(TokenProvider provider) {
    AtomicBoolean done = new AtomicBoolean();
    TestObserver<Token> observer = provider.token().doOnEvent((token, error) -> done.set(true)).test();
    scheduler.triggerActions();
    for (int i = 0; i < 5 && !done.get(); i++) {
      scheduler.advanceTimeBy(100, TimeUnit.MILLISECONDS); // the retry policy's backoff cap
    }
    return observer;
  }

  private static Token tokenOf(TestObserver<Token> observer) {
    observer.assertNoErrors().assertValueCount(1);
    return observer.values().get(0);
  }

  private Timer requests(String outcome) {
    return registry.get("servicetoken.requests").tags(tags).tag("outcome", outcome).timer();
  }

  private double invalidations() {
    return registry.get("servicetoken.invalidations").tags(tags).counter().count();
  }

  private Gauge remaining() {
    return registry.get("servicetoken.token.remaining").tags(tags).gauge();
  }

  private List<Meter> ourMeters(MeterRegistry registry) {
    List<Meter> ours = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (meter.getId().getName().startsWith("servicetoken.")) ours.add(meter);
    }
    return ours;
  }

  /** The count of every outcome series but {@code expected}, which must all be zero. */
  private void assertOtherOutcomesZero(String expected) {
    for (String outcome : OUTCOMES) {
      if (!outcome.equals(expected)) assertEquals(0, requests(outcome).count(), outcome);
    }
  }

  @Test
  void everyOutcomeSeriesExistsAtZeroBeforeTheFirstRequest() {
    bound(source());

    for (String outcome : OUTCOMES) assertEquals(0, requests(outcome).count(), outcome);
    assertEquals(0, invalidations());
    assertTrue(Double.isNaN(remaining().value()), "no token yet");
    assertTrue(registry.find("servicetoken.store.requests").meters().isEmpty(), "no store, no store series");
    assertEquals(7, ourMeters(registry).size());
  }

  @Test
  void successfulFetchIsTimedAsSuccess() {
    TokenProvider provider = bound(source());

    tokenOf(fetch(provider));

    assertEquals(1, requests("success").count());
    assertTrue(requests("success").totalTime(TimeUnit.NANOSECONDS) > 0, "the request's duration is recorded");
    assertOtherOutcomesZero("success");
  }

  @Test
  void wrongPasswordIsTimedAsCredentialsRejected() {
    TokenProvider provider = bound(source().password("not-" + PASSWORD));

    fetch(provider).assertError(CredentialsRejectedException.class);

    assertEquals(1, requests("credentials_rejected").count());
    assertOtherOutcomesZero("credentials_rejected");
  }

  @Test
  void threeServiceUnavailableAnswersAreThreeServiceErrors() {
    vyopta.failNext(3, 503);
    TokenProvider provider = bound(source());

    fetch(provider).assertError(TokenServiceException.class);

    assertEquals(3, vyopta.requestCount());
    assertEquals(3, requests("service_error").count());
    assertOtherOutcomesZero("service_error");
  }

  @Test
  void retriedRequestsAreEachTimedAndTheLastSucceeds() {
    vyopta.failNext(2, 503);
    TokenProvider provider = bound(source());

    tokenOf(fetch(provider));

    assertEquals(2, requests("service_error").count());
    assertEquals(1, requests("success").count());
  }

  @Test
  void unknownRealmIsTimedAsInvalidRequest() {
    TokenProvider provider = bound(source().realm("nowhere"));

    fetch(provider).assertError(InvalidTokenRequestException.class);

    assertEquals(1, requests("invalid_request").count());
    assertOtherOutcomesZero("invalid_request");
  }

  @Test
  void truncatedBodyIsTimedAsMalformedResponse() {
    vyopta.malformedNext(1);
    TokenProvider provider = bound(source());

    fetch(provider).assertError(MalformedTokenResponseException.class);

    assertEquals(1, requests("malformed_response").count());
    assertOtherOutcomesZero("malformed_response");
  }

  @Test
  void invalidatingTheCurrentTokenCountsOnceAndAnOldTokenNotAtAll() {
    TokenProvider provider = bound(source());
    Token first = tokenOf(fetch(provider));

    provider.invalidate(first);
    scheduler.triggerActions();
    assertEquals(1, invalidations());

    Token second = tokenOf(fetch(provider));
    assertNotEquals(first.value(), second.value());
    provider.invalidate(first); // stale: a newer token replaced it already
    scheduler.triggerActions();
    assertEquals(1, invalidations());

    provider.invalidate(second); // the current one: counted, and only it (the stale one would make this 3)
    scheduler.triggerActions();
    assertEquals(2, invalidations());
  }

  @Test
  void remainingGaugeReadsTheCurrentTokensTimeLeftInSeconds() {
    TokenProvider provider = bound(source());
    Gauge remaining = remaining();
    assertTrue(Double.isNaN(remaining.value()), "NaN before the first token");

    Token token = tokenOf(fetch(provider));
    scheduler.advanceTimeTo(System.currentTimeMillis(), TimeUnit.MILLISECONDS); // the provider's clock = wall clock

    double timeLeft = Duration.between(Instant.now(), token.expiresAt()).toMillis() / 1000.0;
    assertEquals(timeLeft, remaining.value(), 1.0);
    assertEquals(FakeVyopta.DEFAULT_LIFETIME.getSeconds(), remaining.value(), 2.0);
    assertEquals("seconds", remaining.getId().getBaseUnit());

    double before = remaining.value();
    scheduler.advanceTimeBy(100, TimeUnit.SECONDS);
    assertEquals(before - 100, remaining.value(), 0.001);

    provider.close();
    assertTrue(Double.isNaN(remaining.value()), "NaN after close()");
  }

  @Test
  void appTagsAreOnEveryMeter() {
    TokenProvider provider = bound(source());
    provider.invalidate(tokenOf(fetch(provider)));
    scheduler.triggerActions();

    List<Meter> meters = ourMeters(registry);
    assertEquals(7, meters.size());
    for (Meter meter : meters) {
      assertEquals("vyopta", meter.getId().getTag("vendor"), meter.getId().toString());
      assertEquals("alice", meter.getId().getTag("account"), meter.getId().toString());
    }
  }

  @Test
  void closeRemovesTheMetersSoANewProviderCanTakeItsTags() {
    TokenProvider provider = bound(source());
    tokenOf(fetch(provider));
    Gauge held = remaining();

    provider.close();
    scheduler.triggerActions();

    assertEquals(0, ourMeters(registry).size());
    assertTrue(Double.isNaN(held.value()), "a gauge the app still holds reads NaN");

    TokenProvider successor = bound(source());
    tokenOf(fetch(successor));
    assertEquals(1, requests("success").count(), "counts start anew");
    assertTrue(remaining().value() > 0, "the gauge reads the new provider");
  }

  @Test
  void bindingAClosedProviderRegistersNothing() {
    TokenProvider provider = provider(source()).build();
    provider.close();

    TokenProviderMetrics.of(provider, tags).bindTo(registry);
    scheduler.triggerActions();

    assertEquals(0, ourMeters(registry).size());
  }

  @Test
  void bindingTwiceToOneRegistryCountsEachRequestOnce() {
    TokenProvider provider = provider(source()).build();
    providers.add(provider);
    TokenProviderMetrics metrics = TokenProviderMetrics.of(provider, tags);
    SimpleMeterRegistry other = new SimpleMeterRegistry();

    metrics.bindTo(registry);
    metrics.bindTo(registry);
    metrics.bindTo(other);
    tokenOf(fetch(provider));

    assertEquals(1, requests("success").count());
    assertEquals(1, other.get("servicetoken.requests").tag("outcome", "success").timer().count());
  }

  @Test
  void boundProviderDroppedWithoutCloseIsGarbageCollected() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TokenProviderMetrics[] metrics = new TokenProviderMetrics[1];
    WeakReference<TokenProvider> provider = boundAndUsed(registry, metrics);
    Gauge remaining = registry.get("servicetoken.token.remaining").gauge();

    for (int i = 0; i < 100 && provider.get() != null; i++) System.gc();

    assertNull(provider.get(), "neither the binder nor the registry keeps the provider alive");
    assertTrue(Double.isNaN(remaining.value()));
    SimpleMeterRegistry later = new SimpleMeterRegistry();
    metrics[0].bindTo(later);
    assertEquals(0, ourMeters(later).size());
  }

  /** In a frame of its own, so that no local variable of the test's frame holds the provider. */
  private WeakReference<TokenProvider> boundAndUsed(MeterRegistry registry, TokenProviderMetrics[] metrics) {
    TokenProvider provider = provider(source()).build();
    metrics[0] = TokenProviderMetrics.of(provider, Tags.empty());
    metrics[0].bindTo(registry);
    tokenOf(fetch(provider));
    assertTrue(registry.get("servicetoken.token.remaining").gauge().value() > 0);
    assertEquals(1, registry.get("servicetoken.requests").tag("outcome", "success").timer().count());
    return new WeakReference<>(provider);
  }

  @Test
  void boundProviderOnTheDefaultSchedulerDroppedWithoutCloseIsGarbageCollected() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WeakReference<TokenProvider> provider = boundAndUsedOnTheDefaultScheduler(registry);

    for (int i = 0; i < 100 && provider.get() != null; i++) System.gc();

    assertNull(provider.get());
    assertTrue(Double.isNaN(registry.get("servicetoken.token.remaining").gauge().value()));
  }

  private WeakReference<TokenProvider> boundAndUsedOnTheDefaultScheduler(MeterRegistry registry) {
    TokenProvider provider = TokenProvider.create(source().build());
    TokenProviderMetrics.of(provider, Tags.empty()).bindTo(registry);
    provider.token().timeout(10, TimeUnit.SECONDS).blockingGet();
    assertTrue(registry.get("servicetoken.token.remaining").gauge().value() > 0);
    return new WeakReference<>(provider);
  }

  @Test
  void aRegistryThatThrowsCostsOneEventIsLoggedAndNeverPrintedNorSentToRxJava() {
    // Every timer of this registry throws when it records; its counter works.
    SimpleMeterRegistry broken = new SimpleMeterRegistry() {
      @Override
      protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        return new CumulativeTimer(id, clock, config, pauseDetector, TimeUnit.SECONDS) {
          @Override
          protected void recordNonNegative(long amount, TimeUnit unit) {
            throw new IllegalStateException("registry bug");
          }
        };
      }
    };
    List<Throwable> toRxJava = new ArrayList<>();
    RxJavaPlugins.setErrorHandler(toRxJava::add);
    List<LogRecord> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(TokenProviderMetrics.class.getName());
    Handler handler = new Handler() {
      @Override public void publish(LogRecord record) { logged.add(record); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Level level = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.setUseParentHandlers(false); // keep the expected warning out of the build's output
    logger.addHandler(handler);
    try {
      TokenProvider provider = provider(source()).build();
      providers.add(provider);
      TokenProviderMetrics.of(provider, tags).bindTo(broken);

      Token first = tokenOf(fetch(provider)); // the success timer throws
      provider.invalidate(first);
      scheduler.triggerActions();
      tokenOf(fetch(provider)); // throws again

      assertEquals(1, broken.get("servicetoken.invalidations").tags(tags).counter().count(),
          "the binder still counts after the registry failed");
      assertEquals(List.of(), toRxJava);
      assertEquals(2, logged.size(), logged.toString());
      assertEquals(Level.WARNING, logged.get(0).getLevel());
      assertEquals("the meter registry failed to record a FETCHED event of a servicetoken provider",
          logged.get(0).getMessage());
      assertEquals("registry bug", logged.get(0).getThrown().getMessage());
      assertEquals(Level.FINE, logged.get(1).getLevel(), "only the first failure is a warning");
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(true);
      logger.setLevel(level);
      RxJavaPlugins.reset();
    }
  }

  @Test
  void argumentsAreRequired() {
    TokenProvider provider = provider(source()).build();
    providers.add(provider);

    assertEquals("provider == null",
        assertThrows(NullPointerException.class, () -> TokenProviderMetrics.of(null, tags)).getMessage());
    assertEquals("tags == null",
        assertThrows(NullPointerException.class, () -> TokenProviderMetrics.of(provider, null)).getMessage());
    assertEquals("registry == null",
        assertThrows(NullPointerException.class, () -> TokenProviderMetrics.of(provider, tags).bindTo(null))
            .getMessage());
  }
}
