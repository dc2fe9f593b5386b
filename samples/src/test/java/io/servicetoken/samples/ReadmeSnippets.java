package io.servicetoken.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.servicetoken.AuthorizationInterceptor;
import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.micrometer.TokenProviderMetrics;
import io.servicetoken.redis.RedisTokenStore;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java snippets of README.md, token-core/README.md and token-testing/README.md, as they are, so that the
 * compiler checks them; {@link ReadmeSnippetsTest} checks that every snippet of those READMEs is here. Compiled,
 * never run: the behaviour they show is tested by {@link WeatherClientTest} and the modules' own tests.
 */
@SuppressWarnings("unused")
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  // README.md, "Quick start per vendor".

  static TokenSource viveport() {
    TokenSource source = ViveportTokenSource.builder()
        .appId("SampleApp")
        .appSecret(System.getenv("VIVEPORT_APP_SECRET"))
        .build();                                       // base URL defaults to https://www.viveport.com/
    return source;
  }

  static TokenSource appViewX() {
    TokenSource source = AppViewXTokenSource.builder()
        .baseUrl("https://avx.example.com:31443/")      // required: your gateway, or the tenant host on SaaS
        .clientId("521c3ad2-ea4e-447b-a51b-9621bb7ea126")
        .clientSecret(System.getenv("APPVIEWX_CLIENT_SECRET"))
        .build();
    return source;
  }

  static TokenSource vyopta() {
    TokenSource source = VyoptaTokenSource.builder()
        .username("alice@example.com")
        .password(System.getenv("VYOPTA_PASSWORD"))
        .build();                                       // https://login.vyopta.com/, realm and client "vyopta"
    return source;
  }

  static TokenSource singleView() {
    TokenSource source = SingleViewTokenSource.builder()
        .baseUrl("https://api.singleview.example/")     // required: the documentation names no host
        .clientId("abcdef83643f61c975")
        .clientCode(System.getenv("SINGLEVIEW_CLIENT_CODE"))
        .merchantId("jklmno147852qrstuv")
        .build();
    return source;
  }

  static TokenSource sportradar() {
    TokenSource source = SportradarTokenSource.builder()
        .userIdentityToken(System.getenv("SPORTRADAR_USER_IDENTITY_TOKEN"))  // or a TokenSource / TokenProvider of SSO tokens
        .product("videostream_manager")
        .customerId(345)
        .build();                                       // https://token.connect.sportradar.com/
    return source;
  }

  static void use(TokenSource source) {
    TokenProvider provider = TokenProvider.create(source);        // one per source; share it
    OkHttpClient api = new OkHttpClient.Builder()
        .addInterceptor(AuthorizationInterceptor.of(provider))    // Authorization: Bearer <token>, replay once on 401
        .build();

    Disposable subscription = provider.token().subscribe(         // or ask for the token yourself
        token -> System.out.println("valid until " + token.expiresAt()),
        error -> System.err.println("no token: " + error));       // always handle errors: see below
  }

  // README.md, "Testing with token-testing".

  class WeatherClientTest {
    @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
    final MockWebServer api = new MockWebServer();                       // your own API
    final TestScheduler scheduler = new TestScheduler(System.currentTimeMillis(), TimeUnit.MILLISECONDS);

    @Test void usesAFreshTokenOnceTheOldOneEntersItsRefreshWindow() throws Exception {
      TokenProvider provider = TokenProvider.builder(VyoptaTokenSource.builder()
              .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build())
          .scheduler(scheduler).autoRefresh(true).build();
      WeatherClient weather = new WeatherClient(api.url("/"), provider);  // your code, using AuthorizationInterceptor
      provider.token().test();
      scheduler.triggerActions();                                         // the first fetch runs here

      api.enqueue(new MockResponse().setBody("{}"));
      weather.currentWeather("Oslo");
      assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest().getHeader("Authorization"));

      scheduler.advanceTimeBy(265, TimeUnit.SECONDS);                     // 300 s token: refreshed in the background
      api.enqueue(new MockResponse().setBody("{}"));
      weather.currentWeather("Oslo");
      assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest().getHeader("Authorization"));
      assertEquals(2, vyopta.requestCount());
    }
  }

  class RevokedTokenTest {
    @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
    final MockWebServer api = new MockWebServer();

    @Test void aRevokedTokenIsReplacedAndTheCallReplayedOnce() throws Exception {
      try (TokenProvider provider = TokenProvider.create(VyoptaTokenSource.builder()
          .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build())) {
        WeatherClient weather = new WeatherClient(api.url("/"), provider);
        api.enqueue(new MockResponse().setResponseCode(401));               // the first token was revoked
        api.enqueue(new MockResponse().setBody("{}"));

        assertEquals("{}", weather.currentWeather("Oslo"));                  // one call, replayed once inside
      }
      String refused = api.takeRequest().getHeader("Authorization");
      String replayed = api.takeRequest().getHeader("Authorization");
      assertNotEquals(refused, replayed);
      assertEquals("Bearer " + vyopta.lastIssuedToken(), replayed);
      assertEquals(2, vyopta.tokensIssued());
    }
  }

  // token-core/README.md, "A source of your own".

  static TokenProvider ownSource() {
    TokenSource source = () -> Single.fromCallable(() -> Token.builder(myLogin())  // one request per subscription
        .expiresAt(Instant.now().plus(Duration.ofMinutes(5)))
        .build());
    TokenProvider provider = TokenProvider.create(source);
    return provider;
  }

  private static String myLogin() {
    return "a-token-from-your-login";
  }

  // token-testing/README.md.

  static final class ChainedSettings {
    @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland")
        .tokenLifetime(Duration.ofSeconds(10))      // tokens issued from now on
        .serverClockOffset(Duration.ofMinutes(-3))  // the server's clock, its Date header and the times it states
        .failNext(2)                                // the next 2 requests: 503 in the vendor's error shape
        .slowNext(1, Duration.ofSeconds(2))         // the next answer's headers 2 s late
        .malformedNext(1);                          // the next answer: HTTP 200 with truncated JSON
  }

  // README.md, "Fleets".

  static TokenProvider fleet(TokenSource source, String redisPassword) {
    RedisTokenStore store = RedisTokenStore.builder("rediss://:" + redisPassword + "@redis.internal:6379/0")
        .encryptionKey(Base64.getDecoder().decode(System.getenv("SERVICETOKEN_STORE_KEY"))) // openssl rand -base64 32
        .build();                                         // one per process; or .builder(appsOwnRedisClient)
    TokenProvider provider = TokenProvider.builder(source)
        .store(store)                                     // key = hash of the source's identity
        .autoRefresh(true)
        .build();
    // shutdown: provider.close(); store.close();
    return provider;
  }

  // README.md, "Metrics" (the Spring Boot snippet needs Spring, which this build does not have).

  static void metrics(TokenProvider provider, MeterRegistry registry) {
    TokenProviderMetrics.of(provider, Tags.of("vendor", "vyopta", "account", "reporting")).bindTo(registry);
  }
}
