package io.servicetoken.redis;

import io.reactivex.rxjava3.observers.TestObserver;
import io.servicetoken.Token;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenEvent.StoreResult;
import io.servicetoken.TokenProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One process of a fleet as the fleet tests build it: a provider with a store of its own (its own Lettuce client and
 * connection, as a separate process would have), its scheduler, and every event it reported.
 */
final class Pod implements AutoCloseable {
  /** The longest any test waits for one token. */
  static final long TOKEN_BOUND_SECONDS = 20;

  final String name;
  final PodScheduler scheduler;
  final RedisTokenStore store;
  final TokenProvider provider;
  final List<TokenEvent> events = new CopyOnWriteArrayList<>();

  Pod(String name, PodScheduler scheduler, RedisTokenStore store, TokenProvider provider) {
    this.name = name;
    this.scheduler = scheduler;
    this.store = store;
    this.provider = provider;
    provider.events().subscribe(events::add);
  }

  /** The token, waiting for it (bounded). */
  Token token() {
    return ask().awaitDone(TOKEN_BOUND_SECONDS, TimeUnit.SECONDS).assertNoErrors().assertComplete().values().get(0);
  }

  /** Asks for a token without waiting: the observer tells whether it was served at once (the hot path) or later. */
  TestObserver<Token> ask() {
    return provider.token().test();
  }

  /** How many calls to its store failed (and were reported as {@link StoreResult#ERROR}). */
  long storeErrors() {
    return storeEvents(StoreResult.ERROR);
  }

  /** How many store calls had {@code result}, once the events of what the pod did so far have been delivered. */
  long storeEvents(StoreResult result) {
    scheduler.awaitIdle();
    return events.stream()
        .filter(e -> e.type() == TokenEvent.Type.STORE && e.storeResult() == result)
        .count();
  }

  /** How many tokens it fetched from the vendor, once the events of what it did so far have been delivered. */
  long fetched() {
    scheduler.awaitIdle();
    return events.stream().filter(e -> e.type() == TokenEvent.Type.FETCHED).count();
  }

  @Override
  public void close() {
    provider.close();
    store.close();
  }

  @Override
  public String toString() {
    return name + events;
  }
}
