package io.servicetoken;

import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Adds {@code Authorization: <type> <token>} from a {@link TokenProvider} to every request of an app's {@code
 * OkHttpClient}, and replays a request once with a fresh token when the server answers 401 to the token attached.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(AuthorizationInterceptor.forHosts(provider, "api.vyopta.com"))
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>A request that already has an {@code Authorization} header is sent as it is.
 *   <li>On a 401 the token attached is invalidated (compare-and-invalidate: many 401s for one token cause one
 *       refresh), also when the request cannot be replayed, and the request is replayed at most once, with the new
 *       token, unless its body is one-shot. A second 401 is returned to the caller. The 401 response is closed
 *       whenever it is not returned.
 *   <li>When no token can be obtained the call fails with an {@link IOException} whose cause is the {@link
 *       TokenException}, as OkHttp's {@link Interceptor} contract asks; any other failure of the interceptor's own
 *       is an {@code IOException} too, so no dispatcher thread dies of it.
 *   <li>Waiting for a token is bounded by the call's timeout (60 s when the call has none), and ends within about
 *       100 ms of {@link okhttp3.Call#cancel()}.
 * </ul>
 *
 * <p><b>Where the token goes.</b> Add it with {@code addInterceptor}: OkHttp then follows redirects after it, and
 * drops the {@code Authorization} header itself when a redirect leaves the host. Added with {@code
 * addNetworkInterceptor}, it sees every hop, and attaches the token only to a hop for the host the call was made
 * for, so a redirect never carries the token to another host. {@link #forHosts} limits it further to the hosts
 * named, for a client shared with other APIs: requests to any other host never carry the token.
 *
 * <p>Token requests themselves never pass through this interceptor, even when the app hands its client to a token
 * source, and run on the provider's scheduler rather than the app's dispatcher, so an app whose dispatcher threads
 * are all waiting here cannot deadlock.
 */
public final class AuthorizationInterceptor implements Interceptor {
  static final long DEFAULT_WAIT_MILLIS = 60_000;
  /** How often a wait for a token looks whether the call was cancelled. */
  static final long CANCEL_POLL_MILLIS = 50;

  private final TokenProvider provider;
  /** Lower-case host names the token may go to; empty for any host. */
  private final List<String> hosts;

  private AuthorizationInterceptor(TokenProvider provider, List<String> hosts) {
    this.provider = provider;
    this.hosts = hosts;
  }

  /**
   * An interceptor attaching {@code provider}'s tokens to every request of the client.
   *
   * @param provider the token provider
   * @return the interceptor
   * @throws NullPointerException if {@code provider} is null
   */
  public static AuthorizationInterceptor of(TokenProvider provider) {
    return new AuthorizationInterceptor(
        Objects.requireNonNull(provider, "provider == null"), Collections.<String>emptyList());
  }

  /**
   * An interceptor attaching {@code provider}'s tokens only to requests for one of {@code hosts} (exact host names,
   * compared without case); requests to other hosts pass through untouched. For a client shared with other APIs.
   *
   * @param provider the token provider
   * @param hosts the API's host names, for example {@code "api.vyopta.com"}; at least one
   * @return the interceptor
   * @throws IllegalArgumentException if no host is given, or one is not a valid host name
   */
  public static AuthorizationInterceptor forHosts(TokenProvider provider, String... hosts) {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(hosts, "hosts == null");
    if (hosts.length == 0) throw new IllegalArgumentException("hosts is empty");
    List<String> names = new ArrayList<>();
    for (String host : hosts) {
      Objects.requireNonNull(host, "host == null");
      names.add(hostName(host));
    }
    return new AuthorizationInterceptor(provider, Collections.unmodifiableList(names));
  }

  /** {@code host} as OkHttp spells it in {@link HttpUrl#host()}: lower case, IPv6 without brackets. */
  private static String hostName(String host) {
    String trimmed = host.trim();
    boolean ipv6 = trimmed.startsWith("[");
    HttpUrl url =
        trimmed.matches(".*[/@?#\\s].*") || (!ipv6 && trimmed.contains(":"))
            ? null
            : HttpUrl.parse("https://" + trimmed + "/");
    if (url == null || url.port() != 443 || (ipv6 && !trimmed.endsWith("]"))) {
      throw new IllegalArgumentException("not a host name: give the host only, without scheme, port or path");
    }
    return url.host();
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
    if (request.header("Authorization") != null || !mayCarryToken(chain, request.url())) {
      return chain.proceed(request);
    }

    Token token = awaitToken(chain);
    Response response = chain.proceed(authorized(request, token));
    if (response.code() != 401) return response;

    provider.invalidate(token);
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) return response;
    Token fresh;
    try {
      fresh = awaitToken(chain);
    } catch (IOException e) {
      response.close();
      throw e;
    }
    if (fresh.value().equals(token.value())) return response;
    response.close();
    return chain.proceed(authorized(request, fresh));
  }

  /**
   * Whether the token may go to {@code url}: one of the named hosts, if any; and as a network interceptor, only the
   * host the call was made for, so that a redirect to another host never carries it.
   */
  private boolean mayCarryToken(Chain chain, HttpUrl url) {
    if (!hosts.isEmpty() && !hosts.contains(url.host()) /* HttpUrl's host is lower case */) return false;
    if (chain.connection() == null) return true; // an application interceptor: OkHttp follows redirects after us
    HttpUrl origin = chain.call().request().url();
    return origin.host().equalsIgnoreCase(url.host()) && origin.port() == url.port()
        && origin.scheme().equals(url.scheme());
  }

  /** Tokens hold printable ASCII only (validated where they enter), which OkHttp always takes in a header. */
  private static Request authorized(Request request, Token token) {
    return request.newBuilder().header("Authorization", token.authorization()).build();
  }

  private Token awaitToken(Chain chain) throws IOException {
    try {
      // Hot path, every request: a usable cached token needs no observer, latch or wait (see docs/BENCHMARKS.md).
      Token usable = provider.usableToken();
      if (usable != null) return usable;
      return waitForToken(chain);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException("could not obtain a token: " + e, e);
    }
  }

  private Token waitForToken(Chain chain) throws IOException {
    long callTimeout = chain.call().timeout().timeoutNanos();
    long waitMillis = callTimeout > 0 ? TimeUnit.NANOSECONDS.toMillis(callTimeout) : DEFAULT_WAIT_MILLIS;
    long started = System.nanoTime();
    VirtualClock virtual = VirtualClock.of(provider.scheduler());
    TokenWait wait = new TokenWait();
    provider.token().subscribe(wait);
    try {
      while (!wait.latch.await(CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        boolean timedOut = waited >= waitMillis || (virtual != null && virtual.stalled(waited));
        if (timedOut || chain.call().isCanceled()) {
          wait.dispose();
          // OkHttp cancels a call whose own timeout passed: that is a timeout too, and says why.
          if (timedOut || waited + CANCEL_POLL_MILLIS >= waitMillis) {
            throw new InterruptedIOException(timeoutMessage(waited, virtual != null));
          }
          throw new IOException("Canceled while waiting for a token");
        }
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

  private static String timeoutMessage(long waitedMillis, boolean virtualTime) {
    String message = "timed out after " + waitedMillis + " ms waiting for a token";
    if (virtualTime) {
      message += ": the provider runs on a TestScheduler, which fetches only when the test advances it"
          + " (testScheduler.triggerActions() or advanceTimeBy(..)) while the call waits, for example from another"
          + " thread; or fetch the first token before the call: provider.token().test(); triggerActions()";
    }
    return message;
  }

  /**
   * A provider on a {@code TestScheduler} fetches only when a test moves it. A call that waits while that clock
   * stands still for {@link #STALL_MILLIS} is waiting for a test that blocked itself in this very call: it fails
   * then, saying so, rather than after the whole call timeout.
   */
  private static final class VirtualClock {
    static final long STALL_MILLIS = 5_000;
    private final TestScheduler scheduler;
    private long lastNow;
    private long lastMoveMillis;

    private VirtualClock(TestScheduler scheduler) {
      this.scheduler = scheduler;
      this.lastNow = scheduler.now(TimeUnit.NANOSECONDS);
    }

    static @Nullable VirtualClock of(io.reactivex.rxjava3.core.Scheduler scheduler) {
      return scheduler instanceof TestScheduler ? new VirtualClock((TestScheduler) scheduler) : null;
    }

    boolean stalled(long waitedMillis) {
      long now = scheduler.now(TimeUnit.NANOSECONDS);
      if (now != lastNow) {
        lastNow = now;
        lastMoveMillis = waitedMillis;
      }
      return waitedMillis - lastMoveMillis >= STALL_MILLIS;
    }
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
