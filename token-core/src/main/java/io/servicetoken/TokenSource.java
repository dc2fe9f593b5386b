package io.servicetoken;

import io.reactivex.rxjava3.core.Single;
import org.jspecify.annotations.Nullable;

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

  /**
   * The key under which a {@link TokenStore} shares this source's tokens with other processes: a stable hash of
   * what identifies the account (vendor, base URL, account fields), never any of them in clear. Two sources with
   * the same key must stand for the same account, so that a token fetched by one is valid for the other. The
   * vendor sources return one; the default, for custom sources, is null, and such a source needs an explicit key
   * ({@link TokenProvider.Builder#store(TokenStore, String)}).
   *
   * @return the key, or null when this source has none
   */
  default @Nullable String storeKey() {
    return null;
  }
}
