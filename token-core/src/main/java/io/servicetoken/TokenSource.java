package io.servicetoken;

import io.reactivex.rxjava3.core.Single;

/**
 * One request to a vendor's token endpoint.
 *
 * <p>The returned {@link Single} is cold: every subscription performs one request, on the thread that subscribes,
 * and emits one {@link Token} or one {@link TokenException}. A source does no caching; wrap it in a {@link
 * TokenProvider} for that.
 *
 * <pre>{@code
 * TokenSource source = () -> Single.fromCallable(() -> myLogin());
 * TokenProvider provider = TokenProvider.create(source);
 * }</pre>
 */
@FunctionalInterface
public interface TokenSource {
  /**
   * A cold {@link Single} that performs one token request per subscription.
   *
   * @return the request, not yet started
   */
  Single<Token> fetch();
}
