package io.servicetoken;

import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.Closeable;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
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
 * Disposable subscription = provider.token().subscribe(   // cached: now, on this thread; fetched: on the scheduler's
 *     token -> Logger.getGlobal().info("valid until " + token.expiresAt()),
 *     error -> Logger.getGlobal().warning("no token: " + error));  // always handle errors: a wrong secret must not crash
 * // Android: add .observeOn(AndroidSchedulers.mainThread()) before subscribe(..) to touch views.
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
 *       fetch, and get its result on the scheduler's thread. However many ask at once, one request is in flight and
 *       all share its result; a caller that disposes does not cancel it for the others.
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
 *   <li>Every subscription ends: whatever the source does (throws, also an {@link Error}; returns a token that
 *       never expires or one that expired already; never answers), each request ends within the attempt timeout
 *       of its {@link RetryPolicy}.
 * </ul>
 *
 * <h2>Bounded work with nobody asking</h2>
 *
 * With {@code autoRefresh}, a {@link CredentialsRejectedException} stops the timer: no login attempt is made until
 * a caller asks (account lockouts count attempts). Once no usable token is left and nobody asks, background fetches
 * make one request each, at most every 2 minutes (at most 30 requests an hour during a permanent outage). A token
 * that arrives already inside its refresh window is used for most of its remaining time before it is refreshed; a
 * refresh that returns the same token again is not repeated while that token is handed out.
 *
 * <h2>Subscribers</h2>
 *
 * {@link #tokens()} and {@link #events()} deliver on the provider's scheduler, each subscriber from its own queue:
 * a slow or throwing subscriber delays or breaks neither the engine, nor the callers waiting for a token, nor the
 * other subscribers (a throwing one is unsubscribed and gets its own error, as with RxJava's {@code
 * safeSubscribe}).
 *
 * <h2>Clocks</h2>
 *
 * Time comes from the provider's {@link Scheduler} ({@link Schedulers#io()} by default, since a fetch blocks on
 * I/O): every timer and every fetch runs on it, so tests can drive the provider with a {@code TestScheduler}. A
 * token is kept until the earlier of its {@code expiresAt} and its lifetime ({@code expiresAt - receivedAt}, at most
 * 24 hours) counted from its arrival: no token is kept past its {@code expiresAt}, whatever its {@code receivedAt}
 * says. On a virtual scheduler, a token stamped on the wall clock (by a real vendor source) keeps the time it has
 * left on the wall clock, counted from its arrival on the virtual one.
 * The hot path reads the clock once per call and trusts it: a wall clock set back by hand extends the cached
 * token's life by the same amount; the API then answers 401, and {@link AuthorizationInterceptor} invalidates the
 * token and replays the request with a fresh one.
 *
 * <p>A provider stops by itself once the app no longer references it (its timers hold it weakly), but {@link
 * #close()} stops it at once.
 */
public final class TokenProvider implements Closeable {
  private final RefreshEngine engine;
  private final Single<Token> token = new TokenSingle();

  private TokenProvider(Builder builder) {
    this.engine =
        new RefreshEngine(
            builder.source,
            builder.refreshPolicy,
            builder.retryPolicy,
            builder.scheduler,
            builder.autoRefresh,
            builder.credentialsCooldown,
            builder.random,
            builder.store,
            builder.storeKey);
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
   * usable (synchronously, on the subscribing thread), else the result of the one fetch in flight (on the
   * scheduler's thread). The same instance is returned every time, so it may be held and subscribed later. Fails
   * with a {@link TokenException} when no token can be had, and with {@link IllegalStateException} after {@link
   * #close()}.
   *
   * @return the token single
   */
  public Single<Token> token() {
    return token;
  }

  /**
   * Every new token as it arrives; the latest is replayed to new subscribers while it is still handed out (never
   * after it was invalidated or passed its expiry margin). Delivered on the provider's scheduler; completes on
   * {@link #close()}. Subscribing does not start a fetch.
   *
   * @return the tokens
   */
  public Observable<Token> tokens() {
    return engine.tokens();
  }

  /**
   * What the provider does (requests and their outcomes, invalidations, background refreshes, store calls), for
   * metrics and logs. Hot: events before subscription are not replayed. Delivered on the provider's scheduler,
   * never on a caller's thread; completes on {@link #close()}. Never carries a secret.
   *
   * @return the events
   */
  public Observable<TokenEvent> events() {
    return engine.events();
  }

  /**
   * Drops {@code rejected} if it is still the current token, for example after the API answered 401 to it: the
   * next {@link #token()} fetches anew. A no-op when a newer token has replaced it already, so a burst of 401s for
   * one token causes one refresh, not one each. Tokens are compared by value.
   *
   * @param rejected the token the API refused
   */
  public void invalidate(Token rejected) {
    engine.invalidate(Objects.requireNonNull(rejected, "rejected == null"));
  }

  /**
   * Stops every timer and disposes the request in flight: once this returns, no request starts. Callers waiting for
   * it, and every later {@link #token()}, fail with {@link IllegalStateException}; {@link #tokens()} and {@link
   * #events()} complete. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * How long the current token has left before it expires, on the provider's clock, without fetching, refreshing
   * or waiting: for gauges and health checks. Null when there is no token (none yet, invalidated, expired, or
   * the provider is closed).
   *
   * @return the time left, positive, or null
   */
  public @Nullable Duration timeToExpiry() {
    return engine.timeToExpiry();
  }

  @Override
  public String toString() {
    return engine.toString();
  }

  /**
   * The hot path of {@link #token()} without an observer: the cached token when it is usable now (starting the
   * background refresh when it is due), else null, and the caller must subscribe to {@link #token()} and wait. No
   * locks, no I/O, no allocation; {@link AuthorizationInterceptor} uses it to skip its bounded wait.
   */
  @Nullable Token usableToken() {
    return engine.usableToken();
  }

  /** The provider's scheduler, for messages that help with virtual time. */
  Scheduler scheduler() {
    return engine.scheduler();
  }

  /** The subscription logic of {@link #token()}. */
  final class TokenSingle extends Single<Token> {
    @Override
    protected void subscribeActual(SingleObserver<? super Token> observer) {
      Token usable = engine.usableToken();
      if (usable != null) {
        // Hot path: no locks, no I/O, no allocation.
        observer.onSubscribe(Disposable.disposed());
        observer.onSuccess(usable);
        return;
      }
      engine.await(observer);
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
    private @Nullable TokenStore store;
    private @Nullable String storeKey;

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
     * <p>It must be able to run a delayed task (a request's timeout) while another (the request) runs: {@link
     * Schedulers#trampoline()} cannot, and {@link #build()} refuses it.
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
     * still the one that fetches. After a {@link CredentialsRejectedException} the timer stops until a caller asks;
     * with no usable token left and nobody asking, it makes one request at most every 2 minutes.
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

    /**
     * Shares tokens with other providers, in this process or others, through {@code store} (fleet mode), under the
     * key the source names ({@link TokenSource#storeKey()}); every vendor source has one.
     *
     * @param store the shared store
     * @return this builder
     * @throws IllegalArgumentException if the source names no key: use {@link #store(TokenStore, String)}
     */
    public Builder store(TokenStore store) {
      Objects.requireNonNull(store, "store == null");
      String key = source.storeKey();
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException(
            "the token source names no store key (TokenSource.storeKey() is null: a custom source, or a Sportradar"
                + " source whose identity token comes from a provider): use store(store, key) with a key that"
                + " identifies the account");
      }
      this.store = store;
      this.storeKey = key;
      return this;
    }

    /**
     * Shares tokens with other providers through {@code store} under {@code key} (fleet mode), for custom sources.
     * Every provider using the same key must stand for the same account.
     *
     * @param store the shared store
     * @param key the key, not blank; it names the account in the store, so do not put a secret in it
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public Builder store(TokenStore store, String key) {
      Objects.requireNonNull(store, "store == null");
      Objects.requireNonNull(key, "key == null");
      if (key.trim().isEmpty()) throw new IllegalArgumentException("key is blank");
      this.store = store;
      this.storeKey = key;
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
     * @throws IllegalStateException if the scheduler is {@link Schedulers#trampoline()}
     */
    public TokenProvider build() {
      if (scheduler == Schedulers.trampoline()) {
        throw new IllegalStateException(
            "Schedulers.trampoline() cannot run a request's timeout while the request runs: use Schedulers.io()"
                + " (the default), or a TestScheduler in tests");
      }
      return new TokenProvider(this);
    }
  }
}
