package io.servicetoken.benchmarks;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The per-request token cost inside {@link AuthorizationInterceptor}: {@code intercept} against a chain stub that
 * answers at once, next to the same header work done by hand and Google's {@code getRequestMetadata}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class InterceptorTokenCost {
  TokenProvider provider;
  Interceptor interceptor;
  Interceptor.Chain chain;
  Request request;
  String authorization;
  GoogleCredentials google;

  /** A valid token in our provider and in Google's credential, and a chain that never touches the network. */
  @Setup
  public void setUp() throws IOException {
    long now = System.currentTimeMillis();
    long expiry = now + TimeUnit.HOURS.toMillis(1);
    String value = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";
    Token token =
        Token.builder(value).receivedAt(Instant.ofEpochMilli(now)).expiresAt(Instant.ofEpochMilli(expiry)).build();
    provider = TokenProvider.create(() -> Single.just(token));
    provider.token().blockingGet();
    interceptor = AuthorizationInterceptor.of(provider);
    authorization = token.authorization();
    request = new Request.Builder().url("https://api.example.com/v1/things").build();
    chain = Chains.canned(request);
    google = GoogleCredentials.create(new AccessToken(value, new Date(expiry)));
    google.getRequestMetadata(Caches.URI);
  }

  /** Stops the provider's timers. */
  @TearDown
  public void tearDown() {
    provider.close();
  }

  /** Baseline: what any interceptor does with a token it already holds (copy the request, add a header, proceed). */
  @Benchmark
  public Response baselineHeaderOnly() throws IOException {
    return chain.proceed(request.newBuilder().header("Authorization", authorization).build());
  }

  /** Ours: the whole {@code intercept}, token included. */
  @Benchmark
  public Response oursIntercept() throws IOException {
    return interceptor.intercept(chain);
  }

  /** Google: the token lookup alone. */
  @Benchmark
  public Map<String, List<String>> googleGetRequestMetadata() throws IOException {
    return google.getRequestMetadata(Caches.URI);
  }

  /** Google as an interceptor would use it: look the header up, add it, proceed. */
  @Benchmark
  public Response googleIntercept() throws IOException {
    Request original = chain.request();
    Map<String, List<String>> metadata = google.getRequestMetadata(Caches.URI);
    Request.Builder builder = original.newBuilder();
    for (Map.Entry<String, List<String>> header : metadata.entrySet()) {
      for (String v : header.getValue()) builder.header(header.getKey(), v);
    }
    return chain.proceed(builder.build());
  }
}
