package io.servicetoken.benchmarks;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.servicetoken.Token;
import io.servicetoken.viveport.ViveportTokenSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * Fetch overhead: one VIVEPORT token request through {@link ViveportTokenSource} (Retrofit, Moshi, error mapping,
 * expiry resolution with JWT claims and the {@code Date} header) next to a hand-written OkHttp call that parses the
 * same response with Moshi, against the same loopback MockWebServer on one shared client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class FetchOverhead {
  static final String PATH = "/api/thirdpartygatewayservice/v1/monitor/servicetoken";

  /** The response body as VIVEPORT documents it. */
  public static final class ServiceTokenResponse {
    public String serviceToken;
    public long expire;
  }

  MockWebServer server;
  OkHttpClient client;
  ViveportTokenSource source;
  Request request;
  JsonAdapter<ServiceTokenResponse> adapter;

  /** Starts a server answering every request with one valid VIVEPORT response (an hour-long JWT). */
  @Setup
  public void setUp() throws IOException {
    long iat = System.currentTimeMillis() / 1000;
    long exp = iat + 3600;
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String jwt = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"iat\":" + iat + ",\"exp\":" + exp + ",\"duration\":3600}")
            .getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
    String body = "{\"serviceToken\":\"" + jwt + "\",\"expire\":" + exp + "}";
    server = Loopback.server();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest recorded) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
      }
    });
    server.start();
    client = Loopback.client();
    source = ViveportTokenSource.builder()
        .baseUrl(server.url("/").toString())
        .appId("bench-app")
        .appSecret("bench-secret")
        .client(client)
        .build();
    request = new Request.Builder()
        .url(server.url(PATH).newBuilder()
            .addQueryParameter("appId", "bench-app")
            .addQueryParameter("appSecret", "bench-secret")
            .build())
        .build();
    adapter = new Moshi.Builder().build().adapter(ServiceTokenResponse.class);
    if (!source.fetch().blockingGet().value().equals(handWritten().serviceToken)) {
      throw new IllegalStateException("the two paths disagree");
    }
  }

  /** Stops the server. */
  @TearDown
  public void tearDown() throws IOException {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    server.shutdown();
  }

  /** Through the SDK. */
  @Benchmark
  public Token sdkFetch() {
    return source.fetch().blockingGet();
  }

  /** By hand: OkHttp call, Moshi parse. */
  @Benchmark
  public ServiceTokenResponse handWritten() throws IOException {
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
      return adapter.fromJson(response.body().source());
    }
  }
}
