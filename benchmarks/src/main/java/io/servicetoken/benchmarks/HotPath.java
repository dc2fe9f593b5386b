package io.servicetoken.benchmarks;

import com.azure.core.credential.SimpleTokenCache;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.servicetoken.RefreshPolicy;
import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.utils.cache.CachedSupplier;
import software.amazon.awssdk.utils.cache.RefreshResult;

/**
 * Hot path: getting a valid cached token, the cost every app request pays. Each cache holds a token valid for an
 * hour; nothing is fetched while measuring. {@link OneThread} and {@link TwoThreads} run the same methods.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class HotPath {
  /** A volatile field, as any hand-written cache has. */
  static final class Holder {
    final Token token;
    final long usableUntil;

    Holder(Token token, long usableUntil) {
      this.token = token;
      this.usableUntil = usableUntil;
    }
  }

  Token token;
  volatile Holder holder;
  TokenProvider provider;
  Single<Token> single;
  TokenProvider windowed;
  Single<Token> windowedSingle;
  GoogleCredentials google;
  SimpleTokenCache azure;
  CachedSupplier<String> aws;

  /** Fills every cache with a token valid for an hour. */
  @Setup
  public void setUp() throws IOException {
    long now = System.currentTimeMillis();
    long expiry = now + TimeUnit.HOURS.toMillis(1);
    String value = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";
    token = Token.builder(value).receivedAt(Instant.ofEpochMilli(now)).expiresAt(Instant.ofEpochMilli(expiry)).build();
    holder = new Holder(token, expiry - TimeUnit.SECONDS.toMillis(30));
    Token cached = token;
    provider = TokenProvider.create(() -> Single.just(cached));
    single = provider.token();
    single.blockingGet();

    windowed = insideItsRefreshWindow(value);
    windowedSingle = windowed.token();

    google = GoogleCredentials.create(new AccessToken(value, new Date(expiry)));
    google.getRequestMetadata(Caches.URI);

    azure = new SimpleTokenCache(() -> Mono.just(new com.azure.core.credential.AccessToken(
        value, OffsetDateTime.ofInstant(Instant.ofEpochMilli(expiry), ZoneOffset.UTC))));
    azure.getToken().block();

    aws = CachedSupplier.builder(() -> RefreshResult.builder(value)
        .staleTime(Instant.ofEpochMilli(expiry - TimeUnit.SECONDS.toMillis(30)))
        .prefetchTime(Instant.ofEpochMilli(expiry - TimeUnit.MINUTES.toMillis(5)))
        .build()).build();
    aws.get();
  }

  /**
   * A provider whose token is inside its refresh window, with the refresh in flight for the whole run (its source
   * answers the first request only): every call takes the window's path, as callers do for minutes before expiry.
   */
  private static TokenProvider insideItsRefreshWindow(String value) {
    AtomicBoolean first = new AtomicBoolean(true);
    TokenProvider provider =
        TokenProvider.builder(() -> first.getAndSet(false)
                ? Single.fromCallable(() -> Token.builder(value)
                    .expiresAt(Instant.now().plus(1, ChronoUnit.HOURS)).build())
                : Single.<Token>never())
            // The window is nearly the whole hour and starts 3.6 s after arrival; no jitter.
            .refreshPolicy(RefreshPolicy.builder().refreshWindow(Duration.ofHours(1), 0.999).jitter(false).build())
            .retryPolicy(RetryPolicy.builder().attemptTimeout(Duration.ofHours(1)).build())
            .build();
    provider.token().blockingGet();
    try {
      Thread.sleep(4_000); // into the window
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    provider.token().blockingGet(); // starts the refresh, which never ends
    return provider;
  }

  /** Stops the provider's timers. */
  @TearDown
  public void tearDown() {
    provider.close();
    windowed.close();
    aws.close();
  }

  /** Baseline: reading the wall clock alone, which every expiry check pays (about 20-40 ns on many VMs). */
  @Benchmark
  public long baselineClockRead() {
    return System.currentTimeMillis();
  }

  /** Baseline: a volatile read and an expiry check, the least any cache can do. */
  @Benchmark
  public Token baselineVolatileRead() {
    Holder h = holder;
    return System.currentTimeMillis() < h.usableUntil ? h.token : null;
  }

  /** Baseline: RxJava's cheapest blocking Single. */
  @Benchmark
  public Token baselineSingleJust() {
    return Single.just(token).blockingGet();
  }

  /** Ours, as apps call it. */
  @Benchmark
  public Token oursTokenBlockingGet() {
    return single.blockingGet();
  }

  /** Ours, subscribed with an observer the caller keeps (no blockingGet latch): the engine's own cost. */
  @Benchmark
  public Token oursTokenSubscribe(ReusableObserver observer) {
    single.subscribe(observer);
    return observer.value;
  }

  /** Ours inside the refresh window, a refresh in flight: still no lock, allocation or event per call. */
  @Benchmark
  public Token oursInsideRefreshWindow(ReusableObserver observer) {
    windowedSingle.subscribe(observer);
    return observer.value;
  }

  /** Google: {@code getRequestMetadata} on a credential holding a valid token. */
  @Benchmark
  public Map<String, List<String>> googleGetRequestMetadata() throws IOException {
    return google.getRequestMetadata(Caches.URI);
  }

  /** Azure: {@code SimpleTokenCache.getToken().block()}. */
  @Benchmark
  public com.azure.core.credential.AccessToken azureSimpleTokenCache() {
    return azure.getToken().block();
  }

  /** AWS: {@code CachedSupplier.get()}. */
  @Benchmark
  public String awsCachedSupplier() {
    return aws.get();
  }

  /** One caller thread. */
  @Threads(1)
  public static class OneThread extends HotPath {}

  /** Two caller threads sharing each cache. */
  @Threads(2)
  public static class TwoThreads extends HotPath {}

  /** A SingleObserver kept by the caller across calls, one per thread. */
  @State(Scope.Thread)
  public static class ReusableObserver implements SingleObserver<Token> {
    Token value;

    @Override
    public void onSubscribe(Disposable d) {}

    @Override
    public void onSuccess(Token t) {
      value = t;
    }

    @Override
    public void onError(Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
