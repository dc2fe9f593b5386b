package io.servicetoken.samples;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.TokenProvider;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.IOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an app tests its own code that depends on a {@link TokenProvider}: a fake vendor from {@code token-testing}
 * (a JUnit 5 extension), the app's API on a {@link MockWebServer}, and a {@link TestScheduler} so that hours of
 * token lifetime pass in no time.
 *
 * <p>With a {@code TestScheduler}, token fetches run when the test calls {@code triggerActions()} or {@code
 * advanceTimeBy(..)}, on the test's thread. So the test fetches the first token before the app's call (which
 * would otherwise wait for it), and lets refreshes happen by advancing time. The 401 path is the exception: there
 * the app's own call waits for a new token, so those tests run the provider on real threads.
 */
class WeatherClientTest {
  @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice@example.com", "wonderland");

  private final MockWebServer api = new MockWebServer();
  // Starting at the wall clock keeps the fake's token times and the provider's clock in step.
  private final TestScheduler scheduler = new TestScheduler(System.currentTimeMillis(), MILLISECONDS);
  private TokenProvider provider;
  private WeatherClient weather;

  @BeforeEach
  void setUp() throws IOException {
    api.start();
    provider = providerFor("wonderland").autoRefresh(true).build();
    weather = new WeatherClient(api.url("/"), provider);
  }

  @AfterEach
  void tearDown() throws IOException {
    weather.shutdown();
    provider.close();
    api.shutdown();
  }

  @Test
  void sendsTheVendorsTokenAsBearer() throws IOException {
    fetchFirstToken();
    api.enqueue(new MockResponse().setBody("{\"temperature\":-3}"));

    assertEquals("{\"temperature\":-3}", weather.currentWeather("Oslo"));

    RecordedRequest request = takeApiRequest();
    assertEquals("/v1/weather?city=Oslo", request.getPath());
    assertEquals("Bearer " + vyopta.lastIssuedToken(), request.getHeader("Authorization"));
  }

  @Test
  void manyCallsShareOneTokenRequest() throws IOException {
    fetchFirstToken();
    for (int i = 0; i < 5; i++) {
      api.enqueue(new MockResponse().setBody("{}"));
      weather.currentWeather("Oslo");
    }

    assertEquals(1, vyopta.requestCount());
  }

  @Test
  void aNewTokenIsUsedOnceTheOldOneEntersItsRefreshWindow() throws IOException {
    fetchFirstToken();
    String first = vyopta.lastIssuedToken();
    api.enqueue(new MockResponse().setBody("{}"));
    weather.currentWeather("Oslo");

    // Vyopta's tokens live 300 s; the refresh window is the last 75 s, the moment drawn from its first half
    // (225 s to 262.5 s), and the token is handed out until 30 s before expiry. At 265 s the background refresh
    // has happened and the old token is still valid: nobody waited.
    scheduler.advanceTimeBy(265, SECONDS);
    api.enqueue(new MockResponse().setBody("{}"));
    weather.currentWeather("Oslo");

    assertEquals("Bearer " + first, takeApiRequest().getHeader("Authorization"));
    String second = takeApiRequest().getHeader("Authorization");
    assertEquals("Bearer " + vyopta.lastIssuedToken(), second);
    assertNotEquals("Bearer " + first, second);
    assertEquals(2, vyopta.requestCount());
  }

  @Test
  void aWrongPasswordFailsTheAppsCallWithoutHittingTheApiOrRetrying() throws IOException {
    try (TokenProvider wrong = providerFor("not-the-password").build()) {
      WeatherClient client = new WeatherClient(api.url("/"), wrong);
      wrong.token().test();
      scheduler.triggerActions();

      for (int call = 0; call < 3; call++) {
        IOException e = assertThrows(IOException.class, () -> client.currentWeather("Oslo"));
        assertInstanceOf(CredentialsRejectedException.class, e.getCause());
      }
      client.shutdown();
    }

    assertEquals(1, vyopta.requestCount());
    assertEquals(0, api.getRequestCount());
  }

  /**
   * The 401 path: the API refuses a token the vendor revoked before its expiry; {@code AuthorizationInterceptor}
   * drops it, fetches a new one and replays the call once. This test runs the provider on real threads ({@code
   * TokenProvider.create}): the interceptor blocks the app's calling thread until the new token arrives, and with a
   * {@code TestScheduler} that fetch would wait for a {@code triggerActions()} that only the blocked thread could
   * make. The fake answers in milliseconds, so real threads cost nothing here.
   */
  @Test
  void aRevokedTokenIsReplacedAndTheCallReplayedOnce() throws IOException {
    try (TokenProvider live = TokenProvider.create(source("wonderland"))) {
      WeatherClient client = new WeatherClient(api.url("/"), live);
      api.enqueue(new MockResponse().setResponseCode(401));       // the token was revoked
      api.enqueue(new MockResponse().setBody("{\"temperature\":-3}"));

      assertEquals("{\"temperature\":-3}", client.currentWeather("Oslo"));
      client.shutdown();
    }

    String refused = takeApiRequest().getHeader("Authorization");
    String replayed = takeApiRequest().getHeader("Authorization");
    assertNotEquals(refused, replayed);
    assertEquals("Bearer " + vyopta.lastIssuedToken(), replayed);
    assertEquals(2, vyopta.tokensIssued());                         // one new token, not a loop
  }

  /** A second 401, to the new token too, reaches the app: one replay, never a loop of token requests. */
  @Test
  void aSecond401ReachesTheAppAfterOneReplay() throws IOException {
    try (TokenProvider live = TokenProvider.create(source("wonderland"))) {
      WeatherClient client = new WeatherClient(api.url("/"), live);
      api.enqueue(new MockResponse().setResponseCode(401));
      api.enqueue(new MockResponse().setResponseCode(401));

      IOException e = assertThrows(IOException.class, () -> client.currentWeather("Oslo"));
      assertEquals("weather API answered 401: ", e.getMessage());
      client.shutdown();
    }

    assertEquals(2, api.getRequestCount());
    assertEquals(2, vyopta.tokensIssued());
  }

  private TokenProvider.Builder providerFor(String password) {
    return TokenProvider.builder(source(password)).scheduler(scheduler);
  }

  private VyoptaTokenSource source(String password) {
    return VyoptaTokenSource.builder()
        .baseUrl(vyopta.baseUrl().toString())
        .username("alice@example.com")
        .password(password)
        .build();
  }

  /** Fetches on the test's thread, so the app's first call finds a token instead of waiting for one. */
  private void fetchFirstToken() {
    provider.token().test();
    scheduler.triggerActions();
    assertEquals(1, vyopta.tokensIssued());
  }

  private RecordedRequest takeApiRequest() {
    try {
      RecordedRequest request = api.takeRequest(5, SECONDS);
      if (request == null) throw new AssertionError("the API got no request within 5 s");
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
