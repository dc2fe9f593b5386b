package io.servicetoken.benchmarks;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
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
 * Interceptor overhead: requests per second through OkHttp to a loopback MockWebServer, with and without {@link
 * AuthorizationInterceptor} (holding a valid token). One keep-alive connection, one caller thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class InterceptorOverhead {
  MockWebServer server;
  TokenProvider provider;
  OkHttpClient plain;
  OkHttpClient authorized;
  Request request;

  /** Starts the server and builds both clients on one connection pool. */
  @Setup
  public void setUp() throws IOException {
    server = Loopback.server();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest recorded) {
        return new MockResponse().setResponseCode(200).setBody("{\"ok\":true}");
      }
    });
    server.start();
    long now = System.currentTimeMillis();
    Token token = Token.builder("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl")
        .receivedAt(Instant.ofEpochMilli(now))
        .expiresAt(Instant.ofEpochMilli(now + TimeUnit.HOURS.toMillis(1)))
        .build();
    provider = TokenProvider.create(() -> Single.just(token));
    provider.token().blockingGet();
    plain = Loopback.client();
    authorized = plain.newBuilder().addInterceptor(AuthorizationInterceptor.of(provider)).build();
    request = new Request.Builder().url(server.url("/v1/things")).build();
  }

  /** Stops the server and the provider. */
  @TearDown
  public void tearDown() throws IOException {
    provider.close();
    plain.dispatcher().executorService().shutdown();
    plain.connectionPool().evictAll();
    server.shutdown();
  }

  /** Without the interceptor. */
  @Benchmark
  public int withoutInterceptor() throws IOException {
    return call(plain);
  }

  /** With {@link AuthorizationInterceptor}. */
  @Benchmark
  public int withInterceptor() throws IOException {
    return call(authorized);
  }

  private int call(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().string().length();
    }
  }
}
