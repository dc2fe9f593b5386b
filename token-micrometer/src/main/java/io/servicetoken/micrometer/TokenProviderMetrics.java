package io.servicetoken.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reactivex.rxjava3.core.Observer;
import io.reactivex.rxjava3.disposables.Disposable;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenStore;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for one {@link TokenProvider}, fed by its {@link TokenProvider#events() events}, so that
 * operators see fetches, failures and time to expiry on their dashboards and can alert on them.
 *
 * <pre>{@code
 * TokenProvider provider = TokenProvider.create(source);
 * TokenProviderMetrics.of(provider, Tags.of("vendor", "vyopta", "account", "reporting")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters (the app's tags are added to every one)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>one per</th></tr>
 *   <tr><td>{@code servicetoken.requests}</td><td>Timer</td>
 *       <td>{@code outcome}: {@code success}, {@code credentials_rejected}, {@code invalid_request},
 *       {@code service_error}, {@code malformed_response}</td>
 *       <td>request to the vendor (each retry counts), with its duration</td></tr>
 *   <tr><td>{@code servicetoken.invalidations}</td><td>Counter</td><td></td>
 *       <td>token dropped by {@link TokenProvider#invalidate(io.servicetoken.Token)} while it was still current
 *       (after a 401); a stale token's invalidation does not count</td></tr>
 *   <tr><td>{@code servicetoken.token.remaining}</td><td>Gauge, seconds</td><td></td>
 *       <td>time until the current token expires ({@link TokenProvider#timeToExpiry()}); NaN when there is
 *       none</td></tr>
 *   <tr><td>{@code servicetoken.store.requests}</td><td>Timer</td>
 *       <td>{@code result}: {@code hit}, {@code miss}, {@code write}, {@code error}</td>
 *       <td>call to the provider's {@link TokenStore}, with its duration; only with a store</td></tr>
 * </table>
 *
 * <p>The five {@code servicetoken.requests} series and {@code servicetoken.invalidations} are registered at 0 when
 * bound, so that dashboards and alerts see them before the first failure: a series that first appears with the
 * value 1 shows Prometheus's {@code rate()} and {@code increase()} no increase, and the first rejected secret would
 * go unseen. The four {@code servicetoken.store.requests} series are registered together on the first store call,
 * so a provider without a store adds none.
 *
 * <h2>Lifecycle</h2>
 *
 * <ul>
 *   <li>Bind before the provider's first use: events are not replayed, so earlier requests are not counted (the
 *       gauge reads the provider's state whenever it is read).
 *   <li>{@link TokenProvider#close()} removes the meters from the registry, as soon as the provider's scheduler
 *       delivers the end of its events (a gauge the app still holds reads NaN at once), so a new provider can be
 *       bound with the same tags.
 *   <li>Nothing bound keeps the provider alive: this binder and the gauge hold it weakly, and the other meters
 *       do not refer to it. A provider dropped without {@code close()} is garbage collected; its meters stay in
 *       the registry, the gauge reading NaN.
 *   <li>Binding to one registry twice is a no-op (events would otherwise be counted twice); binding to two
 *       registries counts in each.
 *   <li>Give each provider its own tags (an {@code account} tag, say): providers bound with equal tags share
 *       their timers and counter, only the first one's gauge is registered, and closing either removes them.
 * </ul>
 *
 * <p>Tags should be of low cardinality: a vendor and an account name, never a token, a user's secret or an error
 * message. Micrometer's own {@code MeterFilter}s add percentile histograms or SLO buckets to the timers.
 *
 * <p>A registry that throws while recording (a broken custom registry or filter) costs that one event: the binder
 * keeps counting later ones and reports the failure to {@code java.util.logging} (logger {@code
 * io.servicetoken.micrometer.TokenProviderMetrics}, the first failure at {@code WARNING}, later ones at {@code
 * FINE}), which Spring Boot and other frameworks route to the app's logging. It never prints, and never hands the
 * failure to RxJava's global error handler, whose default prints the stack trace and calls the thread's uncaught
 * exception handler.
 */
public final class TokenProviderMetrics implements MeterBinder {
  private static final Logger LOGGER = Logger.getLogger(TokenProviderMetrics.class.getName());

  /** Timer of the requests to the vendor, tagged {@code outcome}. */
  private static final String REQUESTS = "servicetoken.requests";
  /** Counter of the invalidations of the current token. */
  private static final String INVALIDATIONS = "servicetoken.invalidations";
  /** Gauge of the current token's time left, in seconds. */
  private static final String REMAINING = "servicetoken.token.remaining";
  /** Timer of the calls to the token store, tagged {@code result}. */
  private static final String STORE_REQUESTS = "servicetoken.store.requests";

  private final WeakReference<TokenProvider> provider;
  private final Tags tags;
  /** The registries bound to; guarded by itself. Weak keys: a registry dropped by the app is not kept. */
  private final Set<MeterRegistry> registries =
      Collections.newSetFromMap(new WeakHashMap<MeterRegistry, Boolean>());

  private TokenProviderMetrics(TokenProvider provider, Tags tags) {
    this.provider = new WeakReference<>(provider);
    this.tags = tags;
  }

  /**
   * Meters for {@code provider}, with {@code tags} on every meter. Nothing is registered until {@link
   * #bindTo(MeterRegistry)}.
   *
   * @param provider the provider to measure; held weakly
   * @param tags the app's tags, for example {@code Tags.of("vendor", "vyopta")}; may be empty
   * @return the binder
   * @throws NullPointerException if an argument is null
   */
  public static TokenProviderMetrics of(TokenProvider provider, Iterable<Tag> tags) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(tags, "tags == null");
    return new TokenProviderMetrics(provider, Tags.of(tags));
  }

  /**
   * Registers the meters in {@code registry} and starts counting the provider's events into them. A no-op when
   * the provider has been garbage collected or this binder is bound to {@code registry} already; when the
   * provider is closed, the meters are removed again as soon as its scheduler delivers the end of its events.
   *
   * @param registry the registry
   * @throws NullPointerException if {@code registry} is null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    TokenProvider measured = provider.get();
    if (measured == null) return;
    synchronized (registries) {
      if (registries.contains(registry)) return;
      Gauge remaining =
          Gauge.builder(REMAINING, measured, TokenProviderMetrics::secondsLeft)
              .tags(tags)
              .baseUnit("seconds")
              .description("Time until the current service token expires; NaN when there is none")
              .register(registry);
      measured.events().subscribe(new Recorder(registry, tags, remaining));
      registries.add(registry);
    }
  }

  /** The gauge's reading. Static, so that the gauge's function holds no reference to the provider. */
  private static double secondsLeft(TokenProvider provider) {
    Duration left = provider.timeToExpiry();
    return left == null ? Double.NaN : left.getSeconds() + left.getNano() / 1e9;
  }

  /**
   * Records one provider's events into one registry's meters, and removes them when the events complete (the
   * provider closed). Referenced only by the provider's event stream, so it lives as long as the provider does.
   * Its callbacks never overlap: the stream is serialized.
   */
  private static final class Recorder implements Observer<TokenEvent> {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<TokenEvent.Outcome, Timer> requests = new EnumMap<>(TokenEvent.Outcome.class);
    private final Counter invalidations;
    private @Nullable Map<TokenEvent.StoreResult, Timer> storeRequests;
    /** Whether a recording failure was logged at WARNING already: later ones go to FINE. */
    private boolean warned;
    /** Every meter registered, for removal on completion. */
    private final List<Meter> meters = new ArrayList<>();

    Recorder(MeterRegistry registry, Tags tags, Gauge remaining) {
      this.registry = registry;
      this.tags = tags;
      meters.add(remaining);
      for (TokenEvent.Outcome outcome : TokenEvent.Outcome.values()) {
        Timer timer =
            Timer.builder(REQUESTS)
                .tags(tags)
                .tag("outcome", outcome.tag())
                .description("Requests to the vendor's token endpoint, each retry included, by outcome")
                .register(registry);
        requests.put(outcome, timer);
        meters.add(timer);
      }
      invalidations =
          Counter.builder(INVALIDATIONS)
              .tags(tags)
              .description("Current service tokens dropped because an API refused them")
              .register(registry);
      meters.add(invalidations);
    }

    @Override
    public void onSubscribe(Disposable d) {}

    @Override
    public void onNext(TokenEvent event) {
      try {
        record(event);
      } catch (RuntimeException e) {
        // A registry that fails must not end the subscription, or every later event would go uncounted.
        LOGGER.log(warned ? Level.FINE : Level.WARNING,
            "the meter registry failed to record a " + event.type() + " event of a servicetoken provider", e);
        warned = true;
      }
    }

    private void record(TokenEvent event) {
      switch (event.type()) {
        case FETCHED:
        case REFRESH_FAILED:
          TokenEvent.Outcome outcome = event.outcome();
          if (outcome != null) Objects.requireNonNull(requests.get(outcome)).record(durationOf(event));
          break;
        case INVALIDATED:
          invalidations.increment();
          break;
        case STORE:
          TokenEvent.StoreResult result = event.storeResult();
          if (result != null) Objects.requireNonNull(storeRequests().get(result)).record(durationOf(event));
          break;
        default:
          break;
      }
    }

    /** The store timers, all four registered on the first store call so that each series starts at 0. */
    private Map<TokenEvent.StoreResult, Timer> storeRequests() {
      Map<TokenEvent.StoreResult, Timer> timers = storeRequests;
      if (timers == null) {
        timers = new EnumMap<>(TokenEvent.StoreResult.class);
        for (TokenEvent.StoreResult result : TokenEvent.StoreResult.values()) {
          Timer timer =
              Timer.builder(STORE_REQUESTS)
                  .tags(tags)
                  .tag("result", result.tag())
                  .description("Calls to the shared token store, by result")
                  .register(registry);
          timers.put(result, timer);
          meters.add(timer);
        }
        storeRequests = timers;
      }
      return timers;
    }

    /** The event's duration; zero if the engine did not measure it (it always should). */
    private static Duration durationOf(TokenEvent event) {
      Duration duration = event.duration();
      return duration != null ? duration : Duration.ZERO;
    }

    @Override
    public void onError(Throwable e) {
      removeMeters();
    }

    @Override
    public void onComplete() {
      removeMeters();
    }

    private void removeMeters() {
      for (Meter meter : meters) registry.remove(meter);
      meters.clear();
    }
  }
}
