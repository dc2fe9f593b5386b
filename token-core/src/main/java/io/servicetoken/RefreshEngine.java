package io.servicetoken;

import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.disposables.SerialDisposable;
import io.reactivex.rxjava3.subjects.BehaviorSubject;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.servicetoken.Flight.Reason;
import io.servicetoken.ProviderState.Cached;
import io.servicetoken.ProviderState.Failure;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The cache and refresh state machine behind a {@link TokenProvider}: one immutable {@link ProviderState} in an
 * {@link AtomicReference}, moved on by compare-and-set from the callers' threads and the scheduler's. The hot path
 * ({@link #usableToken()}) reads it without locks or allocation; everything else runs on the provider's scheduler.
 *
 * <p>Timers hold the engine weakly, so a provider the app drops without {@link #close()} is garbage collected and
 * stops; only a fetch in flight, which ends within its attempt bound, holds it strongly.
 */
final class RefreshEngine {
  /**
   * With {@code autoRefresh}, nobody asking and no usable token left, background fetches make one request each and
   * start at most this often: at most 30 requests an hour during a permanent outage.
   */
  static final long BACKGROUND_RETRY_MILLIS = TimeUnit.MINUTES.toMillis(2);

  /** Fleet mode: a lease lasts one attempt timeout plus this, so a holder that dies blocks the others no longer. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
  /** Fleet mode: the first and the longest pause between looks in the store while another provider fetches. */
  static final long FIRST_POLL_MILLIS = 50;
  static final long MAX_POLL_MILLIS = 400;

  private final TokenSource source;
  private final RefreshSchedule schedule;
  private final RetryPolicy retryPolicy;
  private final Scheduler scheduler;
  private final boolean autoRefresh;
  private final long credentialsCooldownMillis;
  private final Random random;

  private final AtomicReference<ProviderState> state = new AtomicReference<>(ProviderState.EMPTY);
  private final Broadcast<Token> tokens;
  private final Broadcast<TokenEvent> events;
  /** The pending auto-refresh or retry-later timer. */
  private final SerialDisposable timer = new SerialDisposable();
  private final WeakReference<RefreshEngine> weakSelf = new WeakReference<>(this);
  /** Fleet mode: the store shared with other providers, or null. */
  private final @Nullable FleetStore fleet;
  /** The value of the last token invalidated here: a store still holding it must not hand it back. */
  private volatile @Nullable String lastRejected;

  RefreshEngine(
      TokenSource source,
      RefreshPolicy refreshPolicy,
      RetryPolicy retryPolicy,
      Scheduler scheduler,
      boolean autoRefresh,
      Duration credentialsCooldown,
      Random random,
      @Nullable TokenStore store,
      @Nullable String storeKey) {
    this.source = source;
    this.schedule = new RefreshSchedule(refreshPolicy, random);
    this.retryPolicy = retryPolicy;
    this.scheduler = scheduler;
    this.autoRefresh = autoRefresh;
    this.credentialsCooldownMillis = credentialsCooldown.toMillis();
    this.random = random;
    this.tokens = new Broadcast<>(BehaviorSubject.<Token>create().toSerialized(), scheduler, this::isLive);
    this.events = new Broadcast<>(PublishSubject.<TokenEvent>create().toSerialized(), scheduler, event -> true);
    this.fleet =
        store == null
            ? null
            : new FleetStore(
                store,
                Objects.requireNonNull(storeKey),
                retryPolicy.attemptTimeout().plus(LEASE_MARGIN),
                this::onStoreCall,
                this::now);
  }

  Observable<Token> tokens() {
    return tokens.observable();
  }

  Observable<TokenEvent> events() {
    return events.observable();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  /**
   * The hot path: the cached token when it is usable now (starting the background refresh when it is due), else
   * null and the caller must {@link #await}. No locks, no I/O, no allocation, no event.
   */
  @Nullable Token usableToken() {
    long now = now();
    Cached cached = state.get().cached;
    if (cached == null || now >= cached.usableUntil) return null;
    if (now >= cached.refreshAt) startFetchIfDue(now, Reason.AHEAD);
    return cached.token;
  }

  /** The slow path: join the fetch in flight, start one, or fail fast while the last failure cools down. */
  void await(SingleObserver<? super Token> observer) {
    long now = now();
    while (true) {
      ProviderState current = state.get();
      if (current.closed) {
        observer.onSubscribe(Disposable.empty());
        observer.onError(closedException());
        return;
      }
      Cached cached = current.cached;
      if (cached != null && now < cached.usableUntil) {
        observer.onSubscribe(Disposable.disposed());
        observer.onSuccess(cached.token);
        return;
      }
      if (current.flight != null) {
        current.flight.join(observer);
        return;
      }
      Failure failure = current.failure;
      if (failure != null && now < failure.notBefore) {
        observer.onSubscribe(Disposable.empty());
        observer.onError(failure.error);
        return;
      }
      Flight flight = new Flight(Reason.COLD, retryPolicy.maxAttempts());
      if (state.compareAndSet(current, current.withFlight(flight))) {
        flight.join(observer);
        attempt(flight, 1, 0);
        return;
      }
    }
  }

  /** Starts a fetch unless one is in flight, the provider is closed, or the last failure is still cooling down. */
  private void startFetchIfDue(long now, Reason reason) {
    while (true) {
      ProviderState current = state.get();
      if (current.closed || current.flight != null) return;
      if (current.failure != null && now < current.failure.notBefore) return;
      Flight flight = new Flight(reason, reason == Reason.BACKGROUND ? 1 : retryPolicy.maxAttempts());
      if (state.compareAndSet(current, current.withFlight(flight))) {
        attempt(flight, 1, 0);
        return;
      }
    }
  }

  void invalidate(Token rejected) {
    while (true) {
      ProviderState current = state.get();
      Cached cached = current.cached;
      if (current.closed || cached == null || !cached.token.value().equals(rejected.value())) return;
      if (state.compareAndSet(current, current.withCached(null))) {
        emit(TokenEvent.Type.INVALIDATED, Instant.ofEpochMilli(cached.expiry), null, 0, null);
        FleetStore fleet = this.fleet;
        if (fleet != null) {
          String value = cached.token.value();
          lastRejected = value;
          scheduler.scheduleDirect(() -> fleet.remove(value)); // compare-and-delete: a newer token stays
        }
        if (autoRefresh) startFetchIfDue(now(), Reason.COLD);
        return;
      }
    }
  }

  void close() {
    ProviderState current;
    do {
      current = state.get();
      if (current.closed) return;
    } while (!state.compareAndSet(current, ProviderState.CLOSED));
    timer.dispose();
    Flight flight = current.flight;
    if (flight != null) {
      flight.cancel();
      flight.fail(closedException());
      FleetStore fleet = this.fleet;
      if (fleet != null && flight.holdsLease) scheduler.scheduleDirect(fleet::releaseLease);
    }
    tokens.complete();
    events.complete();
  }

  @Nullable Duration timeToExpiry() {
    Cached cached = state.get().cached;
    if (cached == null) return null;
    long left = cached.expiry - now();
    return left > 0 ? Duration.ofMillis(left) : null;
  }

  /** Whether {@code token} is the one handed out now: only such a token is worth delivering to subscribers. */
  private boolean isLive(Token token) {
    ProviderState current = state.get();
    Cached cached = current.cached;
    return cached != null && cached.token == token && now() < cached.usableUntil;
  }

  /** Runs request number {@code n} of {@code flight} on the scheduler, after {@code delayMillis}. */
  private void attempt(Flight flight, int n, long delayMillis) {
    Runnable task = () -> runAttempt(flight, n);
    flight.track(
        delayMillis <= 0
            ? scheduler.scheduleDirect(task)
            : scheduler.scheduleDirect(task, delayMillis, TimeUnit.MILLISECONDS));
  }

  private void runAttempt(Flight flight, int n) {
    if (state.get().flight != flight || flight.isCancelled()) return;
    if (n == 1 && flight.reason == Reason.AHEAD && flight.polls == 0) {
      emit(TokenEvent.Type.SERVED_WHILE_REFRESHING, null, null, 0, null);
    }
    if (n == 1 && fleet != null && !flight.holdsLease && consultedStore(flight, fleet)) return;
    Attempt attempt = new Attempt(flight, n);
    try {
      Single<Token> request = Objects.requireNonNull(source.fetch(), "TokenSource.fetch() returned null");
      request.timeout(retryPolicy.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS, scheduler).subscribe(attempt);
    } catch (Throwable e) {
      // Thrown by fetch() itself, or by a source that throws out of subscribe (RxJava rethrows fatal errors such as
      // LinkageError there, and wraps others in a NullPointerException): every one ends this attempt.
      attempt.onError(e instanceof NullPointerException && e.getCause() != null ? e.getCause() : e);
    }
  }

  private void onTokenArrived(Flight flight, int n, Token token, Duration took) {
    long now = now();
    ProviderState current = state.get();
    if (current.flight != flight) return;
    Cached cached;
    try {
      cached = schedule.arrive(token, now, System.currentTimeMillis(), current.cached);
    } catch (TokenException e) {
      onAttemptFailed(flight, n, e, took);
      return;
    }
    if (!accept(flight, cached, now)) return;
    emit(TokenEvent.Type.FETCHED, Instant.ofEpochMilli(cached.expiry), null, n, took);
    // Only the lease holder writes: a pod that fetched by itself while the store was out must not overwrite the
    // token the fleet shares meanwhile.
    FleetStore fleet = this.fleet;
    if (fleet != null && flight.holdsLease) {
      // The time left now, after the callers were answered: the entry must not outlive the token.
      fleet.put(FleetStore.storedOf(token, cached.lifetime, cached.expiry - now()));
      fleet.releaseLease();
    }
  }

  /**
   * Makes {@code cached} the provider's token and ends {@code flight} with it: waiting callers first, subscribers
   * after, then the next refresh's timer. False when the provider closed meanwhile.
   */
  private boolean accept(Flight flight, Cached cached, long now) {
    if (!settle(flight, cached)) return false;
    flight.succeed(cached.token);
    tokens.publish(cached.token);
    if (autoRefresh) scheduleTimer(cached.refreshAt - now);
    return true;
  }

  /** Ends {@code flight} with {@code cached} as the provider's entry: false when the provider closed meanwhile. */
  private boolean settle(Flight flight, Cached cached) {
    while (true) {
      ProviderState current = state.get();
      if (current.flight != flight) return false;
      if (state.compareAndSet(current, new ProviderState(cached, null, null, 0, false))) return true;
    }
  }

  /**
   * {@link #consultStore}, never ending the attempt by a throw: what a store's entry makes it throw (a custom store
   * handing back a value no token can have, a lifetime that overflows) is reported as a store error, and the attempt
   * goes on to the vendor as without a store. A throw out of a scheduled attempt would leave the flight, and every
   * caller waiting on it, unended.
   */
  private boolean consultedStore(Flight flight, FleetStore fleet) {
    try {
      return consultStore(flight, fleet);
    } catch (RuntimeException e) {
      onStoreCall(TokenEvent.StoreResult.ERROR, Duration.ZERO, e);
      fleet.releaseLease(); // if it threw after taking the lease; compare-and-delete, so harmless otherwise
      return false;
    }
  }

  /**
   * Fleet mode, before asking the vendor: adopt a token another provider stored, fail fast while the fleet pauses,
   * or take the lease and ask the vendor for the fleet (false: go on with the request). While another provider holds
   * the lease, a refresh ahead keeps serving the current token and looks again later; a caller without a token waits
   * for the holder's token, looking in the store again and again, until the lease expires and it may take it.
   *
   * @return true when the flight was handled without a request of its own
   */
  private boolean consultStore(Flight flight, FleetStore fleet) {
    Cached cached = state.get().cached;
    if (answeredByStore(flight, fleet, cached)) return true;
    if (!fleet.available()) return false; // the store is out: fetch by ourselves, as without one, and share nothing
    if (fleet.tryLease()) {
      if (!fleet.available()) return false; // the lease request failed: the same
      // The last holder may have stored its token or failure, and released the lease, between our reads and our
      // lease: read again before asking the vendor.
      if (answeredByStore(flight, fleet, cached)) {
        fleet.releaseLease();
        return true;
      }
      flight.holdsLease = true;
      return false;
    }
    long now = now();
    if (flight.reason == Reason.AHEAD && cached != null && now < cached.usableUntil) {
      // Another provider is refreshing for the fleet: keep serving ours, and adopt its token at the next look.
      // The next look comes before ours stops being usable (half way there at most), so callers never wait for it.
      long again = Math.min(now + MAX_POLL_MILLIS * 2, now + Math.max(1, (cached.usableUntil - now) / 2));
      Cached later = cached.withRefreshAt(again);
      if (settle(flight, later)) {
        flight.succeed(cached.token);
        if (autoRefresh) scheduleTimer(later.refreshAt - now);
      }
      return true;
    }
    int polls = flight.polls++;
    long delay = Math.min(FIRST_POLL_MILLIS << Math.min(polls, 10), MAX_POLL_MILLIS);
    attempt(flight, 1, delay);
    return true;
  }

  /**
   * Ends {@code flight} from the store when it can: adopts a stored token other than the provider's own (and other
   * than one invalidated here, which it removes), or fails fast while the fleet pauses after a shared failure.
   *
   * @return true when the store answered the flight
   */
  private boolean answeredByStore(Flight flight, FleetStore fleet, @Nullable Cached cached) {
    StoredToken stored = fleet.get();
    if (stored != null && stored.value().equals(lastRejected)) {
      fleet.remove(stored.value()); // a 401 reached us before the token left the store
    } else if (stored != null && (cached == null || !stored.value().equals(cached.token.value()))) {
      if (adopt(flight, fleet, stored, now(), cached)) return true;
    }
    StoredFailure paused = fleet.getFailure();
    if (paused != null) {
      onFetchFailed(flight, FleetStore.failureOf(paused), paused.remaining().toMillis());
      return true;
    }
    return false;
  }

  /** Adopts a token from the store, on this provider's clock: false when it is not usable here. */
  private boolean adopt(Flight flight, FleetStore fleet, StoredToken stored, long now, @Nullable Cached previous) {
    Token token;
    try {
      token = FleetStore.tokenOf(stored, now);
    } catch (RuntimeException e) {
      fleet.remove(stored.value()); // no provider can use it: let the next lease holder replace it
      throw e;
    }
    Cached cached;
    try {
      cached = schedule.arrive(token, now, now, previous);
    } catch (RuntimeException e) {
      return false; // too close to its expiry to be handed out here: fetch a fresh one
    }
    return accept(flight, cached, now);
  }

  private void onStoreCall(TokenEvent.StoreResult result, Duration took, @Nullable Throwable error) {
    events.publish(new TokenEvent(TokenEvent.Type.STORE, Instant.ofEpochMilli(now()), null, error, 0, took, result));
  }

  private void onAttemptFailed(Flight flight, int n, Throwable failure, Duration took) {
    if (state.get().flight != flight) return;
    Throwable error = normalize(failure);
    emit(TokenEvent.Type.REFRESH_FAILED, null, error, n, took);
    if (error instanceof TokenServiceException && n < flight.maxAttempts) {
      Duration delay = retryPolicy.retryDelay(n, ((TokenServiceException) error).retryAfter(), random);
      // A server asking for a longer pause than our cap ends this fetch: callers must not wait that long.
      if (delay.compareTo(retryPolicy.maxDelay()) <= 0) {
        // The fleet waits for this provider's retry: its lease must outlast the pause (a Retry-After may be long).
        FleetStore fleet = this.fleet;
        if (fleet != null && flight.holdsLease) fleet.holdLease(delay);
        attempt(flight, n + 1, delay.toMillis());
        return;
      }
    }
    onFetchFailed(flight, error);
  }

  private void onFetchFailed(Flight flight, Throwable error) {
    onFetchFailed(flight, error, -1);
  }

  /** Ends {@code flight} with {@code error}; the next fetch waits {@code pauseMillis}, or as the failure says. */
  private void onFetchFailed(Flight flight, Throwable error, long pauseMillis) {
    long now = now();
    ProviderState next;
    long pause;
    while (true) {
      ProviderState current = state.get();
      if (current.flight != flight) return;
      int failedFetches = current.failedFetches + 1;
      pause = pauseMillis >= 0 ? pauseMillis : pauseAfterFailure(error, failedFetches);
      long notBefore = RefreshSchedule.saturatedAdd(now, pause);
      next = new ProviderState(current.cached, null, new Failure(error, notBefore), failedFetches, false);
      if (state.compareAndSet(current, next)) break;
    }
    flight.fail(error);
    FleetStore fleet = this.fleet;
    if (fleet != null && flight.holdsLease) {
      StoredFailure shared = FleetStore.shareable(error, pause);
      if (shared != null) fleet.putFailure(shared);
      fleet.releaseLease();
    }
    if (!autoRefresh) return;
    if (error instanceof CredentialsRejectedException) {
      // A wrong or rotated secret: no login attempt until a caller asks (account lockouts count them).
      timer.set(Disposable.empty());
      return;
    }
    long at = Objects.requireNonNull(next.failure).notBefore;
    if (!next.usable(now)) at = Math.max(at, RefreshSchedule.saturatedAdd(now, BACKGROUND_RETRY_MILLIS));
    scheduleTimer(at - now);
  }

  /**
   * How long after a failed fetch the next may start. Credentials: the cool-down. Otherwise exponential in the
   * number of consecutive failed fetches, with equal jitter (never less than half the bound, so no tight loop),
   * and never sooner than the server's {@code Retry-After}.
   */
  private long pauseAfterFailure(Throwable error, int failedFetches) {
    if (error instanceof CredentialsRejectedException) return credentialsCooldownMillis;
    long bound = retryPolicy.backoffBound(failedFetches).toMillis();
    long pause = bound / 2 + (long) (random.nextDouble() * (bound / 2.0));
    if (error instanceof TokenServiceException) {
      Duration retryAfter = ((TokenServiceException) error).retryAfter();
      if (retryAfter != null) pause = Math.max(pause, retryAfter.toMillis());
    }
    return pause;
  }

  /** The auto-refresh timer went off: refresh ahead, or retry in the background while no token is usable. */
  private void onTimer() {
    long now = now();
    ProviderState current = state.get();
    if (current.closed || current.flight != null) return;
    Failure failure = current.failure;
    if (failure != null && failure.error instanceof CredentialsRejectedException) return;
    Cached cached = current.cached;
    if (cached == null || now >= cached.usableUntil) {
      startFetchIfDue(now, Reason.BACKGROUND);
    } else if (now >= cached.refreshAt) {
      startFetchIfDue(now, Reason.AHEAD);
    }
  }

  private void scheduleTimer(long delayMillis) {
    timer.set(scheduler.scheduleDirect(new Timer(weakSelf), Math.max(0, delayMillis), TimeUnit.MILLISECONDS));
  }

  private Throwable normalize(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return new TokenServiceException(
          "token request timed out after " + retryPolicy.attemptTimeout().toMillis() + " ms",
          "unknown", TokenException.NO_STATUS, null, null, null);
    }
    if (failure instanceof IOException) {
      return new TokenServiceException(
          "token request failed: " + failure.getClass().getSimpleName(),
          "unknown", TokenException.NO_STATUS, null, null, failure);
    }
    return failure;
  }

  private void emit(
      TokenEvent.Type type,
      @Nullable Instant expiresAt,
      @Nullable Throwable error,
      int attempt,
      @Nullable Duration duration) {
    events.publish(new TokenEvent(type, Instant.ofEpochMilli(now()), expiresAt, error, attempt, duration, null));
  }

  static IllegalStateException closedException() {
    return new IllegalStateException("TokenProvider is closed");
  }

  @Override
  public String toString() {
    ProviderState current = state.get();
    return "TokenProvider{token=" + (current.cached == null ? null : current.cached.token)
        + ", fetching=" + (current.flight != null) + ", closed=" + current.closed + '}';
  }

  /** One request to the source: ends exactly once, with a token or an error, whatever the source does. */
  private final class Attempt implements SingleObserver<Token> {
    private final Flight flight;
    private final int n;
    private final long startedNanos = System.nanoTime();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Disposable upstream = Disposable.empty();

    Attempt(Flight flight, int n) {
      this.flight = flight;
      this.n = n;
    }

    @Override
    public void onSubscribe(Disposable d) {
      upstream = d;
      flight.track(d); // disposed at once when the provider closed meanwhile: the request never starts
    }

    @Override
    public void onSuccess(Token token) {
      if (!done.compareAndSet(false, true)) return;
      try {
        onTokenArrived(flight, n, token, took());
      } catch (Throwable e) {
        abandon(e);
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!done.compareAndSet(false, true)) return;
      upstream.dispose();
      try {
        onAttemptFailed(flight, n, error, took());
      } catch (Throwable e) {
        abandon(e);
      }
    }

    private Duration took() {
      return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A failure of the engine itself must still end the fetch, or its callers would wait forever. */
    private void abandon(Throwable e) {
      onFetchFailed(flight, e);
    }
  }

  /** The auto-refresh timer; holds the engine weakly, so that it never keeps a dropped provider alive. */
  private static final class Timer implements Runnable {
    private final WeakReference<RefreshEngine> engine;

    Timer(WeakReference<RefreshEngine> engine) {
      this.engine = engine;
    }

    @Override
    public void run() {
      RefreshEngine target = engine.get();
      if (target != null) target.onTimer();
    }
  }
}
