package io.servicetoken;

import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Adds {@code Authorization: <type> <token>} from a {@link TokenProvider} to every request of an app's {@code
 * OkHttpClient}, and replays a request once with a fresh token when the server answers 401 to the token attached.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.of(provider))
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>A request that already has an {@code Authorization} header is sent as it is.
 *   <li>On a 401 the token attached is invalidated (compare-and-invalidate: many 401s for one token cause one
 *       refresh), and the request is replayed at most once, with the new token, unless its body is one-shot. A
 *       second 401 is returned to the caller.
 *   <li>When no token can be obtained the call fails with an {@link IOException} whose cause is the {@link
 *       TokenException}, as OkHttp's {@link Interceptor} contract asks.
 *   <li>Waiting for a token is bounded by the call's timeout (60 s when the call has none).
 * </ul>
 *
 * <p>Token requests themselves never pass through this interceptor, even when the app hands its client to a token
 * source, and run on the provider's scheduler rather than the app's dispatcher, so an app whose dispatcher threads
 * are all waiting here cannot deadlock.
 */
public final class AuthorizationInterceptor implements Interceptor {
  static final long DEFAULT_WAIT_MILLIS = 60_000;

  private final TokenProvider provider;

  private AuthorizationInterceptor(TokenProvider provider) {
    this.provider = provider;
  }

  /**
   * An interceptor attaching {@code provider}'s tokens.
   *
   * @param provider the token provider
   * @return the interceptor
   * @throws NullPointerException if {@code provider} is null
   */
  public static AuthorizationInterceptor of(TokenProvider provider) {
    return new AuthorizationInterceptor(Objects.requireNonNull(provider, "provider == null"));
  }

  /**
   * Attaches the token, proceeds, and replays once after a 401 to that token.
   *
   * @param chain the OkHttp chain
   * @return the response
   * @throws IOException when the request fails or no token can be obtained
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (request.header("Authorization") != null) return chain.proceed(request);

    Token token = awaitToken(chain);
    Response response = chain.proceed(authorized(request, token));
    if (response.code() != 401) return response;
    if (request.body() != null && Objects.requireNonNull(request.body()).isOneShot()) return response;

    provider.invalidate(token);
    Token fresh = awaitToken(chain);
    if (fresh.value().equals(token.value())) return response;
    response.close();
    return chain.proceed(authorized(request, fresh));
  }

  private static Request authorized(Request request, Token token) {
    return request.newBuilder().header("Authorization", token.authorization()).build();
  }

  private Token awaitToken(Chain chain) throws IOException {
    // Hot path, every request: a usable cached token needs no observer, latch or wait (see docs/BENCHMARKS.md).
    Token usable = provider.usableToken();
    if (usable != null) return usable;
    long callTimeout = chain.call().timeout().timeoutNanos();
    long waitMillis = callTimeout > 0 ? TimeUnit.NANOSECONDS.toMillis(callTimeout) : DEFAULT_WAIT_MILLIS;
    TokenWait wait = new TokenWait();
    provider.token().subscribe(wait);
    try {
      if (!wait.latch.await(waitMillis, TimeUnit.MILLISECONDS)) {
        wait.dispose();
        throw new InterruptedIOException("timed out after " + waitMillis + " ms waiting for a token");
      }
    } catch (InterruptedException e) {
      wait.dispose();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a token");
    }
    Throwable error = wait.error;
    if (error != null) throw new IOException("could not obtain a token: " + error.getMessage(), error);
    return Objects.requireNonNull(wait.token);
  }

  /** One bounded wait for {@link TokenProvider#token()}. */
  private static final class TokenWait implements SingleObserver<Token> {
    final CountDownLatch latch = new CountDownLatch(1);
    final AtomicReference<@Nullable Disposable> upstream = new AtomicReference<>();
    volatile @Nullable Token token;
    volatile @Nullable Throwable error;

    @Override
    public void onSubscribe(Disposable d) {
      upstream.set(d);
    }

    @Override
    public void onSuccess(Token value) {
      token = value;
      latch.countDown();
    }

    @Override
    public void onError(Throwable e) {
      error = e;
      latch.countDown();
    }

    void dispose() {
      Disposable d = upstream.get();
      if (d != null) d.dispose();
    }
  }
}
