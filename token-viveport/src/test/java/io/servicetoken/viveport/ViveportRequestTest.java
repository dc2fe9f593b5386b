package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_ID;
import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static io.servicetoken.viveport.TestSupport.fetch;
import static io.servicetoken.viveport.TestSupport.sampleResponse;
import static io.servicetoken.viveport.TestSupport.source;
import static io.servicetoken.viveport.TestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.core.Single;
import io.servicetoken.Token;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire is the documented request. */
class ViveportRequestTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void requestIsTheDocumentedGetWithAppIdAndAppSecretInTheQuery() throws Exception {
    server.enqueue(sampleResponse());

    fetch(source(server));

    RecordedRequest request = take(server);
    assertEquals("GET", request.getMethod());
    HttpUrl url = request.getRequestUrl();
    assertEquals("/api/thirdpartygatewayservice/v1/monitor/servicetoken", url.encodedPath());
    assertEquals(Arrays.asList("appId", "appSecret"), Arrays.asList(url.queryParameterNames().toArray()));
    assertEquals(APP_ID, url.queryParameter("appId"));
    assertEquals(APP_SECRET, url.queryParameter("appSecret"));
    assertEquals("appId=SampleApp&appSecret=" + APP_SECRET, url.encodedQuery());
  }

  @Test
  void requestAcceptsJson() throws Exception {
    server.enqueue(sampleResponse());

    fetch(source(server));

    assertEquals("application/json", take(server).getHeader("Accept"));
  }

  @Test
  void requestCarriesTheSdkUserAgent() throws Exception {
    server.enqueue(sampleResponse());

    fetch(source(server));

    String userAgent = take(server).getHeader("User-Agent");
    assertTrue(userAgent.startsWith("servicetoken/"), userAgent);
    assertTrue(userAgent.endsWith(" token-viveport"), userAgent);
  }

  @Test
  void requestHasNoBodyNorAuthorizationNorCookie() throws Exception {
    server.enqueue(sampleResponse());

    fetch(source(server));

    RecordedRequest request = take(server);
    assertEquals(0, request.getBodySize());
    assertNull(request.getHeader("Authorization"));
    assertNull(request.getHeader("Cookie"));
  }

  @Test
  void secretWithReservedCharactersArrivesIntact() throws Exception {
    String secret = "a+b&c=d/e f%g#h?é";
    server.enqueue(sampleResponse());
    ViveportTokenSource source =
        ViveportTokenSource.builder().baseUrl(server.url("/").toString()).appId("My App&1").appSecret(secret).build();

    fetch(source);

    HttpUrl url = take(server).getRequestUrl();
    assertEquals(secret, url.queryParameter("appSecret"));
    assertEquals("My App&1", url.queryParameter("appId"));
    assertEquals(2, url.querySize());
  }

  @Test
  void baseUrlPathPrefixIsKeptAndTrailingSlashAdded() throws Exception {
    server.enqueue(sampleResponse());
    ViveportTokenSource source =
        ViveportTokenSource.builder()
            .baseUrl(server.url("/gateway").toString())
            .appId(APP_ID)
            .appSecret(APP_SECRET)
            .build();

    fetch(source);

    assertEquals(
        "/gateway/api/thirdpartygatewayservice/v1/monitor/servicetoken", take(server).getRequestUrl().encodedPath());
  }

  @Test
  void fetchIsColdAndEachSubscriptionIsOneRequest() {
    server.enqueue(sampleResponse());
    server.enqueue(sampleResponse());
    ViveportTokenSource source = source(server);

    Single<Token> single = source.fetch();
    assertEquals(0, server.getRequestCount());

    fetch(source);
    single.timeout(10, java.util.concurrent.TimeUnit.SECONDS).blockingGet();
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void requestRunsOnTheSubscribingThread() {
    server.enqueue(sampleResponse());
    Thread caller = Thread.currentThread();
    Thread[] seen = new Thread[1];
    // The synchronous call adapter emits on the thread that executed the call; an asynchronous one (OkHttp's
    // dispatcher) would emit on one of the dispatcher's threads. The app's own client is shared.
    ViveportTokenSource source =
        ViveportTokenSource.builder()
            .baseUrl(server.url("/").toString())
            .appId(APP_ID)
            .appSecret(APP_SECRET)
            .client(new okhttp3.OkHttpClient())
            .build();

    source.fetch().doOnSuccess(token -> seen[0] = Thread.currentThread()).timeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .blockingGet();

    assertEquals(caller, seen[0]);
  }
}
