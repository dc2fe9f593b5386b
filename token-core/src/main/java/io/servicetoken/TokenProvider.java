package io.servicetoken;

import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.disposables.SerialDisposable;
import io.reactivex.rxjava3.exceptions.Exceptions;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subjects.BehaviorSubject;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.reactivex.rxjava3.subjects.SingleSubject;
import io.reactivex.rxjava3.subjects.Subject;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Caches the tokens of a {@link TokenSource} and keeps them fresh. Thread-safe; create one per source and share it.
 *
 * <pre>{@code
 * TokenProvider provider = TokenProvider.create(
 *     VyoptaTokenSource.builder().username("me@example.com").password(password).build());
 *
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 *
 * provider.token().subscribe(token -> show(token.expiresAt()));
 * }</pre>
 *
 * <h2>What a caller waits for</h2>
 *
 * <ul>
 *   <li><b>A valid cached token</b> is emitted synchronously, on the subscribing thread, without locks or I/O.
 *   <li><b>Inside the refresh window</b> (see {@link RefreshPolicy}) the caller still gets the current token at
 *       once, and one refresh starts in the background on the provider's scheduler (stale-while-revalidate).
 *       With {@link Builder#autoRefresh(boolean) autoRefresh(true)} a timer starts it without any access.
 *   <li><b>With no usable token</b> (none yet, or under the expiry margin, or invalidated) callers wait for the
 *       fetch. However many ask at once, one request is in flight and all share its result; a caller that disposes
 *       does not cancel it for the others.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * <ul>
 *   <li>{@link TokenServiceException}s are retried with exponential backoff and full jitter ({@link RetryPolicy}),
 *       never sooner than the server's {@code Retry-After}.
 *   <li>While a valid token exists, a failed refresh keeps serving it and tries again later; callers see the error
 *       only once the token is past its expiry margin.
 *   <li>After a failed fetch, callers without a valid token get that error at once, without a request, until the
 *       next attempt is due (growing backoff, up to the retry cap), so failures never turn into a loop of
 *       requests. After a {@link CredentialsRejectedException} that pause is the credential cool-down (30 s by
 *       default), so a wrong secret cannot lock an account.
 * </ul>
 *
 * <p>Time comes from the provider's {@link Scheduler} ({@link Schedulers#io()} by default, since a fetch blocks on
 * I/O): every timer and every fetch runs on it, so tests can drive the provider with a {@code TestScheduler}.
 * Tokens' times are read on that clock; when a token was evidently stamped on another clock (a virtual scheduler
 * driving a real vendor source), its lifetime ({@code expiresAt - receivedAt}) counts from its arrival instead.
 */
public final class TokenProvider implements Closeable {

  private final TokenSource source;
  private final RefreshPolicy refreshPolicy;
  private final RetryPolicy retryPolicy;
  private final Scheduler scheduler;
  private final boolean autoRefresh;
  private final Duration credentialsCooldown;
  private final Random random;

  private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);
  private final Single<Token> token = new TokenSingle();
  private final Subject<Token> tokens = BehaviorSubject.<Token>create().toSerialized();
  private final Subject<TokenEvent> events = PublishSubject.<TokenEvent>create().toSerialized();
  /** The pending auto-refresh or retry-later timer. */
  private final SerialDisposable timer = new SerialDisposable();
  /** The request or backoff delay of the fetch in flight. */
  private final SerialDisposable work = new SerialDisposable();

  private TokenProvider(Builder builder) {
    this.source = builder.source;
    this.refreshPolicy = builder.refreshPolicy;
    this.retryPolicy = builder.retryPolicy;
    this.scheduler = builder.scheduler;
    this.autoRefresh = builder.autoRefresh;
    this.credentialsCooldown = builder.credentialsCooldown;
    this.random = builder.random;
  }

  /**
   * A provider with the default policies, on {@link Schedulers#io()}, refreshing on access.
   *
   * @param source the token source
   * @return a new provider
   */
  public static TokenProvider create(TokenSource source) {
    return builder(source).build();
  }

  /**
   * A builder for a provider of {@code source}'s tokens.
   *
   * @param source the token source
   * @return a new builder
   * @throws NullPointerException if {@code source} is null
   */
  public static Builder builder(TokenSource source) {
    return new Builder(Objects.requireNonNull(source, "source == null"));
  }

  /**
   * A lazy {@link Single} that, on each subscription, emits a token valid at that moment: the cached one when it is
   * usable (synchronously), else the result of the one fetch in flight. The same instance is returned every time,
   * so it may be held and subscribed later. Fails with a {@link TokenException} when no token can be had, and with
   * {@link IllegalStateException} after {@link #close()}.
   *
   * @return the token single
   */
  public Single<Token> token() {
    return token;
  }

  /**
   * Every new token as it arrives; the latest is replayed to new subscribers. Completes on {@link #close()}.
   * Subscribing does not start a fetch.
   *
   * @return the tokens
   */
  public Observable<Token> tokens() {
    return tokens.hide();
  }

  /**
   * What the provider does (fetched, refresh failed, invalidated, served while refreshing), for metrics and logs.
   * Hot: events before subscription are not replayed. Completes on {@link #close()}. Never carries a secret.
   *
   * @return the events
   */
  public Observable<TokenEvent> events() {
    return events.hide();
  }

  /**
   * Drops {@code rejected} if it is still the current token, for example after the API answered 401 to it: the
   * next {@link #token()} fetches anew. A no-op when a newer token has replaced it already, so a burst of 401s for
   * one token causes one refresh, not one each. Tokens are compared by value.
   *
   * @param rejected the token the API refused
   */
  public void invalidate(Token rejected) {
    Objects.requireNonNull(rejected, "rejected == null");
    while (true) {
      State current = state.get();
      Cached cached = current.cached;
      if (current.closed || cached == null || !cached.token.value().equals(rejected.value())) return;
      if (state.compareAndSet(current, current.withCached(null))) {
        emit(TokenEvent.Type.INVALIDATED, cached.token.expiresAt(), null, 0);
        if (autoRefresh) startFetchIfDue(now());
        return;
      }
    }
  }

  /**
   * Stops every timer and the fetch in flight. Callers waiting for it, and every later {@link #token()}, fail with
   * {@link IllegalStateException}; {@link #tokens()} and {@link #events()} complete. Idempotent.
   */
  @Override
  public void close() {
    State current;
    do {
      current = state.get();
      if (current.closed) return;
    } while (!state.compareAndSet(current, State.CLOSED));
    timer.dispose();
    work.dispose();
    if (current.fetch != null) current.fetch.onError(closedException());
    tokens.onComplete();
    events.onComplete();
  }

  @Override
  public String toString() {
    State current = state.get();
    return "TokenProvider{token=" + (current.cached == null ? null : current.cached.token)
        + ", fetching=" + (current.fetch != null) + ", closed=" + current.closed + '}';
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  /**
   * The hot path of {@link #token()} without an observer: the cached token when it is usable now (starting the
   * background refresh when it is due), else null, and the caller must subscribe to {@link #token()} and wait. No
   * locks, no I/O, no allocation; {@link AuthorizationInterceptor} uses it to skip its bounded wait.
   */
  @Nullable Token usableToken() {
    long now = now();
    Cached cached = state.get().cached;
    if (cached == null || now >= cached.usableUntil) return null;
    if (now >= cached.refreshAt) refreshInBackground(now);
    return cached.token;
  }

  /** The subscription logic of {@link #token()}. */
  final class TokenSingle extends Single<Token> {
    @Override
    protected void subscribeActual(SingleObserver<? super Token> observer) {
      Token usable = usableToken();
      if (usable != null) {
        // Hot path: no locks, no I/O, no allocation.
        observer.onSubscribe(Disposable.disposed());
        observer.onSuccess(usable);
        return;
      }
      await(observer, now());
    }
  }

  private void refreshInBackground(long now) {
    startFetchIfDue(now);
    if (state.get().fetch != null) emit(TokenEvent.Type.SERVED_WHILE_REFRESHING, null, null, 0);
  }

  /** The slow path: join the fetch in flight, start one, or fail fast while the last failure cools down. */
  private void await(SingleObserver<? super Token> observer, long now) {
    while (true) {
      State current = state.get();
      if (current.closed) {
        Disposable none = Disposable.empty();
        observer.onSubscribe(none);
        observer.onError(closedException());
        return;
      }
      Cached cached = current.cached;
      if (cached != null && now < cached.usableUntil) {
        observer.onSubscribe(Disposable.disposed());
        observer.onSuccess(cached.token);
        return;
      }
      if (current.fetch != null) {
        current.fetch.subscribe(observer);
        return;
      }
      Failure failure = current.failure;
      if (failure != null && now < failure.notBefore) {
        observer.onSubscribe(Disposable.empty());
        observer.onError(failure.error);
        return;
      }
      SingleSubject<Token> fetch = SingleSubject.create();
      if (state.compareAndSet(current, current.withFetch(fetch))) {
        fetch.subscribe(observer);
        attempt(fetch, 1);
        return;
      }
    }
  }

  /** Starts a fetch unless one is in flight, the provider is closed, or the last failure is still cooling down. */
  private void startFetchIfDue(long now) {
    while (true) {
      State current = state.get();
      if (current.closed || current.fetch != null) return;
      if (current.failure != null && now < current.failure.notBefore) return;
      SingleSubject<Token> fetch = SingleSubject.create();
      if (state.compareAndSet(current, current.withFetch(fetch))) {
        attempt(fetch, 1);
        return;
      }
    }
  }

  /** Runs request number {@code attempt} of {@code fetch} on the scheduler. */
  private void attempt(SingleSubject<Token> fetch, int attempt) {
    work.replace(scheduler.scheduleDirect(() -> subscribeToSource(fetch, attempt)));
  }

  private void subscribeToSource(SingleSubject<Token> fetch, int attempt) {
    if (state.get().fetch != fetch) return;
    Single<Token> request;
    try {
      request = Objects.requireNonNull(source.fetch(), "TokenSource.fetch() returned null");
    } catch (Throwable e) {
      Exceptions.throwIfFatal(e);
      onAttemptFailed(fetch, attempt, e);
      return;
    }
    long timeout = retryPolicy.attemptTimeout().toMillis();
    work.replace(
        request
            .timeout(timeout, TimeUnit.MILLISECONDS, scheduler)
            .subscribe(
                token -> onTokenArrived(fetch, attempt, token),
                error -> onAttemptFailed(fetch, attempt, error)));
  }

  private void onTokenArrived(SingleSubject<Token> fetch, int attempt, Token token) {
    long now = now();
    long received = token.receivedAt().toEpochMilli();
    long lifetime = token.expiresAt().toEpochMilli() - received;
    if (lifetime <= 0) {
      // Vendor sources refuse these already; a custom source must not make the provider loop either.
      onAttemptFailed(
          fetch,
          attempt,
          new MalformedTokenResponseException(
              "token source returned a token that was already expired (expiresAt is not after receivedAt)",
              "unknown", TokenException.NO_STATUS, null, null));
      return;
    }
    Cached cached = schedule(token, expiryOnSchedulerClock(token, now, lifetime), lifetime);
    if (cached.usableUntil <= now) {
      onAttemptFailed(
          fetch,
          attempt,
          new TokenServiceException(
              "token expired in transit: it lived " + lifetime + " ms and arrived too late to be used",
              "unknown", TokenException.NO_STATUS, null, null, null));
      return;
    }
    while (true) {
      State current = state.get();
      if (current.fetch != fetch) return; // closed meanwhile
      if (state.compareAndSet(current, new State(cached, null, null, 0, false))) break;
    }
    tokens.onNext(token);
    emit(TokenEvent.Type.FETCHED, token.expiresAt(), null, 0);
    fetch.onSuccess(token);
    if (autoRefresh) scheduleTimer(cached.refreshAt - now);
  }

  /**
   * When the token expires, on the scheduler's clock. Tokens are resolved on the local clock, which is the
   * scheduler's by default: then {@code expiresAt} is used as it is, so time the token spent in transit counts.
   * When the scheduler runs on another clock (a {@code TestScheduler} driving a real vendor source), the token's
   * lifetime is carried over from the moment it arrived instead.
   */
  private long expiryOnSchedulerClock(Token token, long now, long lifetime) {
    long sinceReceived = now - token.receivedAt().toEpochMilli();
    boolean sameClock = sinceReceived >= -1000 && sinceReceived <= retryPolicy.attemptTimeout().toMillis();
    return sameClock ? token.expiresAt().toEpochMilli() : now + lifetime;
  }

  /** Draws the refresh moment and computes the usable deadline of a token expiring at {@code expiry}. */
  private Cached schedule(Token token, long expiry, long lifetimeMillis) {
    Duration lifetime = Duration.ofMillis(lifetimeMillis);
    long window = refreshPolicy.refreshWindow(lifetime).toMillis();
    long margin = refreshPolicy.expiryMargin(lifetime).toMillis();
    long jitter = refreshPolicy.jitter() ? (long) (random.nextDouble() * (window / 2.0)) : 0;
    return new Cached(token, expiry - window + jitter, expiry - margin);
  }

  private void onAttemptFailed(SingleSubject<Token> fetch, int attempt, Throwable failure) {
    if (state.get().fetch != fetch) return;
    Throwable error = normalize(failure);
    emit(TokenEvent.Type.REFRESH_FAILED, null, error, attempt);
    if (error instanceof TokenServiceException && attempt < retryPolicy.maxAttempts()) {
      Duration retryAfter = ((TokenServiceException) error).retryAfter();
      Duration delay = retryPolicy.retryDelay(attempt, retryAfter, random);
      // A server asking for a longer pause than our cap ends this fetch: callers must not wait that long.
      if (delay.compareTo(retryPolicy.maxDelay()) <= 0) {
        work.replace(
            scheduler.scheduleDirect(() -> attempt(fetch, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS));
        return;
      }
    }
    onFetchFailed(fetch, error);
  }

  private void onFetchFailed(SingleSubject<Token> fetch, Throwable error) {
    long now = now();
    State next;
    while (true) {
      State current = state.get();
      if (current.fetch != fetch) return;
      int failedFetches = current.failedFetches + 1;
      long pause = pauseAfterFailure(error, failedFetches);
      next = new State(current.cached, null, new Failure(error, now + pause), failedFetches, false);
      if (state.compareAndSet(current, next)) break;
    }
    fetch.onError(error);
    Failure failure = Objects.requireNonNull(next.failure);
    if (autoRefresh) scheduleTimer(failure.notBefore - now);
  }

  /**
   * How long after a failed fetch the next may start. Credentials: the cool-down. Otherwise exponential in the
   * number of consecutive failed fetches, with equal jitter (never less than half the bound, so no tight loop),
   * and never sooner than the server's {@code Retry-After}.
   */
  private long pauseAfterFailure(Throwable error, int failedFetches) {
    if (error instanceof CredentialsRejectedException) return credentialsCooldown.toMillis();
    long bound = retryPolicy.backoffBound(failedFetches).toMillis();
    long pause = bound / 2 + (long) (random.nextDouble() * (bound / 2.0));
    if (error instanceof TokenServiceException) {
      Duration retryAfter = ((TokenServiceException) error).retryAfter();
      if (retryAfter != null) pause = Math.max(pause, retryAfter.toMillis());
    }
    return pause;
  }

  private void scheduleTimer(long delayMillis) {
    timer.set(
        scheduler.scheduleDirect(() -> startFetchIfDue(now()), Math.max(0, delayMillis), TimeUnit.MILLISECONDS));
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

  private void emit(TokenEvent.Type type, @Nullable Instant expiresAt, @Nullable Throwable error, int attempt) {
    events.onNext(new TokenEvent(type, Instant.ofEpochMilli(now()), expiresAt, error, attempt));
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("TokenProvider is closed");
  }

  /** A token and the two moments that matter for it, on the scheduler's clock. */
  static final class Cached {
    final Token token;
    final long refreshAt;
    final long usableUntil;

    Cached(Token token, long refreshAt, long usableUntil) {
      this.token = token;
      this.refreshAt = refreshAt;
      this.usableUntil = usableUntil;
    }
  }

  /** The last failed fetch and when the next may start. */
  static final class Failure {
    final Throwable error;
    final long notBefore;

    Failure(Throwable error, long notBefore) {
      this.error = error;
      this.notBefore = notBefore;
    }
  }

  /** Everything the provider knows, replaced atomically as a whole. */
  static final class State {
    static final State EMPTY = new State(null, null, null, 0, false);
    static final State CLOSED = new State(null, null, null, 0, true);

    final @Nullable Cached cached;
    final @Nullable SingleSubject<Token> fetch;
    final @Nullable Failure failure;
    final int failedFetches;
    final boolean closed;

    State(
        @Nullable Cached cached,
        @Nullable SingleSubject<Token> fetch,
        @Nullable Failure failure,
        int failedFetches,
        boolean closed) {
      this.cached = cached;
      this.fetch = fetch;
      this.failure = failure;
      this.failedFetches = failedFetches;
      this.closed = closed;
    }

    State withFetch(SingleSubject<Token> fetch) {
      return new State(cached, fetch, failure, failedFetches, closed);
    }

    State withCached(@Nullable Cached cached) {
      return new State(cached, fetch, failure, failedFetches, closed);
    }
  }

  /** Builds a {@link TokenProvider}. */
  public static final class Builder {
    private final TokenSource source;
    private RefreshPolicy refreshPolicy = RefreshPolicy.defaults();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Scheduler scheduler = Schedulers.io();
    private boolean autoRefresh;
    private Duration credentialsCooldown = Duration.ofSeconds(30);
    private Random random = new Random();

    Builder(TokenSource source) {
      this.source = source;
    }

    /**
     * When to refresh ahead of expiry and when to stop handing a token out. Default {@link
     * RefreshPolicy#defaults()}.
     *
     * @param refreshPolicy the policy
     * @return this builder
     */
    public Builder refreshPolicy(RefreshPolicy refreshPolicy) {
      this.refreshPolicy = Objects.requireNonNull(refreshPolicy, "refreshPolicy == null");
      return this;
    }

    /**
     * How to retry retryable failures. Default {@link RetryPolicy#defaults()}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /**
     * The clock and the threads of every timer and fetch. Default {@link Schedulers#io()}: a fetch blocks on I/O.
     *
     * @param scheduler the scheduler; a {@code TestScheduler} makes time virtual in tests
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
      return this;
    }

    /**
     * Whether a timer refreshes the token inside its refresh window even when nobody asks for it (default false:
     * refreshes start on access). The timer starts with the first token, so the first {@link #token()} call is
     * still the one that fetches.
     *
     * @param autoRefresh true to refresh without access
     * @return this builder
     */
    public Builder autoRefresh(boolean autoRefresh) {
      this.autoRefresh = autoRefresh;
      return this;
    }

    /**
     * How long after a {@link CredentialsRejectedException} further requests fail fast with the same error,
     * without contacting the vendor (default 30 s).
     *
     * @param cooldown not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code cooldown} is negative
     */
    public Builder credentialsCooldown(Duration cooldown) {
      Objects.requireNonNull(cooldown, "cooldown == null");
      if (cooldown.isNegative()) throw new IllegalArgumentException("cooldown < 0: " + cooldown);
      this.credentialsCooldown = cooldown;
      return this;
    }

    /** The source of jitter; tests pass a seeded one. */
    Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random == null");
      return this;
    }

    /**
     * Creates the provider. Nothing is fetched until the first {@link TokenProvider#token()} subscription.
     *
     * @return the provider
     */
    public TokenProvider build() {
      return new TokenProvider(this);
    }
  }
}
