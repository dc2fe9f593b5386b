package io.servicetoken.internal;


import io.servicetoken.AuthorizationInterceptor;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Authenticator;
import okhttp3.CookieJar;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link OkHttpClient} token requests go through: the app's own client when it gave one (sharing its
 * connection pool, dispatcher, proxy and TLS settings) with the changes credentials need.
 *
 * <ul>
 *   <li>Redirects are not followed: credentials must not travel to another host.
 *   <li>No {@link AuthorizationInterceptor}, authenticator, cookie jar or cache of the app's: the token request
 *       must not wait for a token, nor leak app state, nor be served stale.
 *   <li>Timeouts: connect 10 s, read and write 15 s, whole call 30 s by default; a shared client keeps its own,
 *       except that an unbounded call timeout becomes 30 s, since no token request may hang.
 *   <li>{@code User-Agent: servicetoken/<version> <module>}.
 *   <li>Error bodies (non-2xx) are cut after {@link #MAX_ERROR_BODY_BYTES}: Retrofit buffers an error body whole
 *       before a vendor module reads the first 64 KiB of it, so a huge or endless error page would otherwise be
 *       held in memory (10 MB took 11 MB of heap per call; see docs/RELIABILITY.md).
 * </ul>
 *
 * <p>Requests run synchronously on the subscribing thread ({@code execute()}), so they never wait for a thread of
 * the app's dispatcher.
 */
public final class TokenHttpClient {
  static final long CONNECT_TIMEOUT_SECONDS = 10;
  static final long READ_TIMEOUT_SECONDS = 15;
  static final long CALL_TIMEOUT_SECONDS = 30;

  /** One byte beyond what vendor modules read, so that they still see an error body as too long. */
  static final long MAX_ERROR_BODY_BYTES = VendorErrors.MAX_ERROR_BODY_BYTES + 1;

  private TokenHttpClient() {}

  /** The client for {@code module}'s token requests, derived from {@code appClient} when given. */
  public static OkHttpClient create(@Nullable OkHttpClient appClient, String module) {
    OkHttpClient.Builder builder;
    if (appClient == null) {
      builder =
          new OkHttpClient.Builder()
              .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .writeTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .callTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } else {
      builder = appClient.newBuilder();
      if (appClient.callTimeoutMillis() == 0) builder.callTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      removeAuthorizationInterceptors(builder.interceptors());
      removeAuthorizationInterceptors(builder.networkInterceptors());
    }
    String userAgent = "servicetoken/" + Version.get() + " " + module;
    return builder
        .followRedirects(false)
        .followSslRedirects(false)
        .authenticator(Authenticator.NONE)
        .cookieJar(CookieJar.NO_COOKIES)
        .cache(null)
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build()))
        .addInterceptor(chain -> capErrorBody(chain.proceed(chain.request())))
        .build();
  }

  /** {@code response} with at most {@link #MAX_ERROR_BODY_BYTES} of its body when it is not a 2xx. */
  static Response capErrorBody(Response response) throws IOException {
    ResponseBody body = response.body();
    if (response.isSuccessful() || body == null) return response;
    Buffer buffer = new Buffer();
    try (ResponseBody closing = body) {
      BufferedSource source = closing.source();
      while (buffer.size() < MAX_ERROR_BODY_BYTES) {
        if (source.read(buffer, MAX_ERROR_BODY_BYTES - buffer.size()) == -1) break;
      }
    }
    return response.newBuilder().body(ResponseBody.create(buffer, body.contentType(), buffer.size())).build();
  }

  private static void removeAuthorizationInterceptors(List<Interceptor> interceptors) {
    for (Iterator<Interceptor> i = interceptors.iterator(); i.hasNext(); ) {
      if (i.next() instanceof AuthorizationInterceptor) i.remove();
    }
  }
}
