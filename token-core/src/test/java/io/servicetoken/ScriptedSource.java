package io.servicetoken;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token source for engine tests: counts fetches, issues {@code token-N} living {@link #lifetime} on the given
 * scheduler's clock, and fails with the scripted errors first.
 */
final class ScriptedSource implements TokenSource {
  final AtomicInteger fetches = new AtomicInteger();
  final ConcurrentLinkedDeque<RuntimeException> failures = new ConcurrentLinkedDeque<>();
  private final Scheduler clock;
  volatile Duration lifetime;
  volatile boolean failForever;
  volatile RuntimeException failure = new TokenServiceException("HTTP 503", "test", 503, null, null, null);

  ScriptedSource(Scheduler clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  ScriptedSource failNext(RuntimeException... errors) {
    for (RuntimeException error : errors) failures.add(error);
    return this;
  }

  @Override
  public Single<Token> fetch() {
    return Single.fromCallable(
        () -> {
          int n = fetches.incrementAndGet();
          RuntimeException scripted = failures.poll();
          if (scripted != null) throw scripted;
          if (failForever) throw failure;
          Instant now = Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
          return Token.builder("token-" + n).receivedAt(now).expiresAt(now.plus(lifetime)).build();
        });
  }

  static TokenServiceException serviceUnavailable() {
    return new TokenServiceException("HTTP 503", "test", 503, null, null, null);
  }

  static TokenServiceException tooManyRequests(Duration retryAfter) {
    return new TokenServiceException("HTTP 429", "test", 429, null, retryAfter, null);
  }

  static CredentialsRejectedException rejected() {
    return new CredentialsRejectedException("HTTP 401", "test", 401, "invalid_grant", null);
  }
}
