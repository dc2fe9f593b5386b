package io.servicetoken.samples;

import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.Disposable;
import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenEvent;
import io.servicetoken.TokenException;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.testing.FakeAppViewX;
import io.servicetoken.testing.FakeSingleView;
import io.servicetoken.testing.FakeSportradar;
import io.servicetoken.testing.FakeViveport;
import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The runnable demo: {@code ./mvnw -q -pl samples -am verify -Pdemo} from the repository's root.
 *
 * <p><b>Without configuration</b> it starts the five fake vendors of {@code token-testing} on loopback and shows,
 * in a few seconds:
 *
 * <ol>
 *   <li>one token per vendor (VIVEPORT, AppViewX, Vyopta, SingleView, Sportradar), printed redacted, with its expiry;
 *   <li>a refresh ahead of expiry in the background, with 4-second tokens and the provider's events;
 *   <li>a wrong secret becoming a {@link CredentialsRejectedException} after one request, however often it is asked;
 *   <li>an app's request through {@link io.servicetoken.AuthorizationInterceptor} to a small API checking the
 *       {@code Bearer} token.
 * </ol>
 *
 * <p><b>With {@code SERVICETOKEN_VENDOR} set</b> it fetches one real token from that vendor instead, with credentials
 * taken from environment variables only (see {@link EnvironmentSources} for all of them), for example:
 *
 * <pre>
 * SERVICETOKEN_VENDOR=vyopta VYOPTA_USERNAME=alice@example.com VYOPTA_PASSWORD=... \
 *   ./mvnw -q -pl samples -am verify -Pdemo
 * </pre>
 *
 * <ul>
 *   <li>{@code viveport}: {@code VIVEPORT_APP_ID}, {@code VIVEPORT_APP_SECRET} [, {@code VIVEPORT_BASE_URL}]
 *   <li>{@code appviewx}: {@code APPVIEWX_BASE_URL}, {@code APPVIEWX_CLIENT_ID}, {@code APPVIEWX_CLIENT_SECRET} [,
 *       {@code APPVIEWX_GATEWAY_SOURCE}]
 *   <li>{@code vyopta}: {@code VYOPTA_USERNAME}, {@code VYOPTA_PASSWORD} [, {@code VYOPTA_BASE_URL}, {@code
 *       VYOPTA_REALM}, {@code VYOPTA_CLIENT_ID}, {@code VYOPTA_PATH_PREFIX}, {@code VYOPTA_SCOPE}]
 *   <li>{@code singleview}: {@code SINGLEVIEW_BASE_URL}, {@code SINGLEVIEW_CLIENT_ID}, {@code SINGLEVIEW_CLIENT_CODE},
 *       {@code SINGLEVIEW_MERCHANT_ID}
 *   <li>{@code sportradar}: {@code SPORTRADAR_USER_IDENTITY_TOKEN}, {@code SPORTRADAR_PRODUCT}, {@code
 *       SPORTRADAR_CUSTOMER_ID} [, {@code SPORTRADAR_SCOPES} (comma-separated), {@code SPORTRADAR_BASE_URL}]
 * </ul>
 *
 * <p>Exit status: 0 when everything worked, 1 when a token could not be had (the typed error is printed: exception
 * class, HTTP status, vendor error code, retryable or not), 2 when the configuration is incomplete or refused (the
 * message names the environment variable and what to set it to). A failure prints the demo's own few lines and
 * nothing else: the Maven profile runs {@link #main} inside Maven's JVM ({@code exec:java}), so its {@code
 * System.exit} ends Maven with the demo's status before Maven can add a stack trace of its own.
 *
 * <p>Waiting for a real vendor is bounded by the SDK itself (connect, read and call timeouts of the source's
 * client, then the provider's retries), never by a timer of the demo's: whatever happens, the typed error is what
 * the user sees.
 */
public final class Demo {
  /** How long the fake-server part waits for a background refresh, which no SDK call bounds (nobody asks). */
  static final Duration REFRESH_WAIT = Duration.ofSeconds(20);

  /** Exit status: a token could not be had. */
  static final int NO_TOKEN = 1;

  /** Exit status: the environment's configuration is incomplete or refused. */
  static final int BAD_CONFIGURATION = 2;

  /** The lifetime of the tokens in the refresh part: short, yet above the 1 s vendor sources insist on. */
  static final Duration SHORT_LIFETIME = Duration.ofSeconds(4);

  // The fakes' credentials. Real ones come from the environment only.
  private static final String VIVEPORT_APP_ID = "demo-app";
  private static final String VIVEPORT_SECRET = "demo-viveport-secret";
  private static final String APPVIEWX_CLIENT_ID = "521c3ad2-ea4e-447b-a51b-9621bb7ea126";
  private static final String APPVIEWX_SECRET = "demo-appviewx-secret";
  private static final String VYOPTA_USER = "alice@example.com";
  private static final String VYOPTA_PASSWORD = "demo-vyopta-password";
  private static final String SINGLEVIEW_CLIENT_ID = "abcdef83643f61c975";
  private static final String SINGLEVIEW_CODE = "demo-singleview-code";
  private static final String SINGLEVIEW_MERCHANT = "jklmno147852qrstuv";
  private static final String SPORTRADAR_IDENTITY = "demo-sso-identity-token";
  private static final String SPORTRADAR_PRODUCT = "videostream_manager";

  private final PrintStream out;
  private final OkHttpClient client;

  private Demo(PrintStream out, OkHttpClient client) {
    this.out = out;
    this.client = client;
  }

  /**
   * Runs the demo, or fetches a real token when {@code SERVICETOKEN_VENDOR} is set, and exits with the status.
   *
   * @param args ignored: secrets never travel as arguments
   */
  public static void main(String[] args) {
    // Exit explicitly, with the status the README promises. Inside Maven (the demo profile's exec:java) this ends
    // Maven too, so the shell gets this status and no build-failure report follows the demo's own lines. It also
    // spares a plain `java` run a minute of OkHttp's and MockWebServer's idle pools.
    System.exit(run(System.getenv(), System.out));
  }

  /**
   * The demo without exiting, for tests.
   *
   * @param env the environment
   * @param out where to print
   * @return the exit status: 0 ok, 1 no token, 2 incomplete configuration
   */
  public static int run(Map<String, String> env, PrintStream out) {
    return run(env, out, null);
  }

  /** As {@link #run(Map, PrintStream)}, with real vendors' token requests on {@code client} when it is not null. */
  static int run(Map<String, String> env, PrintStream out, OkHttpClient client) {
    Demo demo = new Demo(out, client);
    try {
      String vendor = env.get(EnvironmentSources.VENDOR);
      return vendor == null || vendor.trim().isEmpty() ? demo.withFakes() : demo.withRealVendor(env);
    } catch (TokenException e) {
      demo.printError("", e);
      return NO_TOKEN;
    } catch (IOException | RuntimeException e) {
      out.println("demo failed: " + e);
      return NO_TOKEN;
    }
  }

  private int withRealVendor(Map<String, String> env) {
    TokenSource source;
    try {
      source = EnvironmentSources.create(env, client);
    } catch (IllegalArgumentException e) {
      // Names the variable and what to do, never a value.
      out.println("configuration error: " + e.getMessage());
      out.println("every vendor's variables: README.md, \"Run the demo against a real vendor\"");
      return BAD_CONFIGURATION;
    }
    out.println("fetching one token with " + source);
    try (TokenProvider provider = TokenProvider.create(source)) {
      // A real vendor may take a while to fail (timeouts, then retries with backoff): say what is going on.
      int attempts = RetryPolicy.defaults().maxAttempts();
      Disposable retries = provider.events()
          .filter(event -> event.type() == TokenEvent.Type.REFRESH_FAILED && event.attempt() < attempts
              && event.error() instanceof TokenException && ((TokenException) event.error()).isRetryable())
          .subscribe(event -> out.println("  attempt " + event.attempt() + " of " + attempts + " failed ("
              + event.error().getClass().getSimpleName() + "), retrying"));
      try {
        printToken(displayName(env.get(EnvironmentSources.VENDOR)), await(provider));
      } finally {
        retries.dispose();
      }
      return 0;
    }
  }

  private int withFakes() throws IOException {
    FakeViveport viveport = FakeViveport.accepting(VIVEPORT_APP_ID, VIVEPORT_SECRET);
    FakeAppViewX appViewX = FakeAppViewX.accepting(APPVIEWX_CLIENT_ID, APPVIEWX_SECRET);
    FakeVyopta vyopta = FakeVyopta.accepting(VYOPTA_USER, VYOPTA_PASSWORD);
    FakeSingleView singleView = FakeSingleView.accepting(SINGLEVIEW_CLIENT_ID, SINGLEVIEW_CODE, SINGLEVIEW_MERCHANT);
    FakeSportradar sportradar = FakeSportradar.accepting(SPORTRADAR_IDENTITY).products(SPORTRADAR_PRODUCT);
    List<AutoCloseable> resources = new ArrayList<>(List.of(viveport, appViewX, vyopta, singleView, sportradar));
    try {
      out.println("== 1. One token from each of five vendors (fake servers on loopback) ==");
      TokenProvider viveportTokens = track(resources, TokenProvider.create(ViveportTokenSource.builder()
          .baseUrl(viveport.baseUrl().toString())
          .appId(VIVEPORT_APP_ID)
          .appSecret(VIVEPORT_SECRET)
          .build()));
      TokenProvider appViewXTokens = track(resources, TokenProvider.create(appViewX(appViewX, APPVIEWX_SECRET)));
      TokenProvider vyoptaTokens = track(resources, TokenProvider.create(vyopta(vyopta)));
      TokenProvider singleViewTokens = track(resources, TokenProvider.create(SingleViewTokenSource.builder()
          .baseUrl(singleView.baseUrl().toString())
          .clientId(SINGLEVIEW_CLIENT_ID)
          .clientCode(SINGLEVIEW_CODE)
          .merchantId(SINGLEVIEW_MERCHANT)
          .build()));
      TokenProvider sportradarTokens = track(resources, TokenProvider.create(SportradarTokenSource.builder()
          .baseUrl(sportradar.baseUrl().toString())
          .userIdentityToken(SPORTRADAR_IDENTITY)
          .product(SPORTRADAR_PRODUCT)
          .customerId(345)
          .build()));
      printToken("VIVEPORT", await(viveportTokens));
      printToken("AppViewX", await(appViewXTokens));
      printToken("Vyopta", await(vyoptaTokens));
      printToken("SingleView", await(singleViewTokens));
      printToken("Sportradar", await(sportradarTokens));

      refreshAhead(resources);
      wrongSecret(resources, appViewX);
      appRequest(resources, singleView, singleViewTokens);
      out.println();
      out.println("Demo finished.");
      return 0;
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          out.println("while closing: " + e);
        }
      }
    }
  }

  /** Part 2: a token refreshed in the background before it expires; nobody waits for it. */
  private void refreshAhead(List<AutoCloseable> resources) {
    out.println();
    out.println("== 2. Refresh ahead of expiry, in the background (Vyopta, " + SHORT_LIFETIME.getSeconds()
        + " s tokens, autoRefresh) ==");
    FakeVyopta shortLived = FakeVyopta.accepting(VYOPTA_USER, VYOPTA_PASSWORD);
    shortLived.tokenLifetime(SHORT_LIFETIME);
    resources.add(shortLived);
    TokenProvider provider = track(resources, TokenProvider.builder(vyopta(shortLived)).autoRefresh(true).build());
    Instant start = Instant.now();
    Disposable events = provider.events().subscribe(event -> out.println("  event at +" + seconds(start, event.time())
        + " s: " + event.type() + (event.expiresAt() == null ? "" : ", expires at " + event.expiresAt())));
    try {
      Token first = await(provider);
      out.println("  first token  " + first);
      // Wait (bounded) for the next token on the stream: the provider's own timer fetches it, no caller asks.
      Token second = provider.tokens()
          .filter(token -> !token.value().equals(first.value()))
          .firstOrError()
          .timeout(REFRESH_WAIT.toMillis(), TimeUnit.MILLISECONDS, Single.error(() -> new IllegalStateException(
              "no token was refreshed in the background within " + REFRESH_WAIT.getSeconds() + " s")))
          .blockingGet();
      Instant arrived = Instant.now();
      out.println("  second token " + second);
      // Timing on a busy machine is not the demo's to assert (core's tests do, in virtual time): report it.
      out.println("  it arrived " + (arrived.isBefore(first.expiresAt())
              ? seconds(arrived, first.expiresAt()) + " s before" : seconds(first.expiresAt(), arrived) + " s after")
          + " the first one expired; token() hands it out at once: "
          + (await(provider).equals(second) ? "yes" : "no"));
    } finally {
      events.dispose();
    }
  }

  /** Part 3: a wrong secret is one request and a typed error, not a retry loop that locks the account. */
  private void wrongSecret(List<AutoCloseable> resources, FakeAppViewX appViewX) {
    out.println();
    out.println("== 3. A wrong secret (AppViewX) ==");
    TokenProvider provider = track(resources, TokenProvider.create(appViewX(appViewX, "not-the-secret")));
    int before = appViewX.requestCount();
    int calls = 3;
    for (int call = 1; call <= calls; call++) {
      try {
        await(provider);
        throw new IllegalStateException("a wrong secret got a token");
      } catch (CredentialsRejectedException e) {
        if (call == 1) {
          printError("  call 1: ", e);
        } else {
          out.println("  call " + call + ": the same " + e.getClass().getSimpleName() + " at once, no request");
        }
      }
    }
    int requests = appViewX.requestCount() - before;
    out.println("  AppViewX saw " + requests + " request(s) for " + calls + " calls: the error is cached for the "
        + "credential cool-down (30 s), so a wrong secret cannot lock the account");
    if (requests != 1) throw new IllegalStateException("expected 1 request, saw " + requests);
  }

  /** Part 4: the app's own HTTP client gets the token from AuthorizationInterceptor. */
  private void appRequest(List<AutoCloseable> resources, FakeSingleView singleView, TokenProvider provider)
      throws IOException {
    out.println();
    out.println("== 4. An app request through AuthorizationInterceptor (SingleView token, a weather API) ==");
    MockWebServer api = new MockWebServer();
    resources.add(api::shutdown);
    api.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // The API accepts exactly the token SingleView issued last.
        String expected = "Bearer " + singleView.lastIssuedToken();
        if (!expected.equals(request.getHeader("Authorization"))) {
          return new MockResponse().setResponseCode(401).setBody("{\"error\":\"invalid_token\"}");
        }
        return new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("{\"city\":\"Oslo\",\"temperature\":-3}");
      }
    });
    api.start();
    WeatherClient weather = new WeatherClient(api.url("/"), provider);
    resources.add(weather::shutdown);
    String answer = weather.currentWeather("Oslo");
    out.println("  GET " + api.url("/v1/weather?city=Oslo") + " -> " + answer);
    out.println("  the API checked \"Authorization: Bearer <SingleView token>\" and accepted it");
  }

  private AppViewXTokenSource appViewX(FakeAppViewX fake, String secret) {
    return AppViewXTokenSource.builder()
        .baseUrl(fake.baseUrl().toString())
        .clientId(APPVIEWX_CLIENT_ID)
        .clientSecret(secret)
        .build();
  }

  private VyoptaTokenSource vyopta(FakeVyopta fake) {
    return VyoptaTokenSource.builder()
        .baseUrl(fake.baseUrl().toString())
        .username(VYOPTA_USER)
        .password(VYOPTA_PASSWORD)
        .build();
  }

  private static TokenProvider track(List<AutoCloseable> resources, TokenProvider provider) {
    resources.add(provider);
    return provider;
  }

  /**
   * Waits for a token; a {@link TokenException} is rethrown as it is. Bounded by the SDK (the client's timeouts, the
   * provider's attempt timeout and retry count), so no timer of ours can replace the typed error with its own.
   */
  private static Token await(TokenProvider provider) {
    return provider.token().blockingGet();
  }

  private void printToken(String vendor, Token token) {
    out.println(String.format(Locale.ROOT, "%-11s %s  (valid for %s s)",
        vendor, token, seconds(Instant.now(), token.expiresAt())));
  }

  private void printError(String prefix, TokenException e) {
    out.println(prefix + e.getClass().getSimpleName() + " from " + e.vendor()
        + ": statusCode()=" + e.statusCode()
        + ", errorCode()=" + e.errorCode()
        + ", isRetryable()=" + e.isRetryable());
    out.println("    " + e.getMessage());
  }

  private static String displayName(String vendor) {
    switch (vendor.trim().toLowerCase(Locale.ROOT)) {
      case "viveport": return "VIVEPORT";
      case "appviewx": return "AppViewX";
      case "vyopta": return "Vyopta";
      case "singleview": return "SingleView";
      case "sportradar": return "Sportradar";
      default: return vendor;
    }
  }

  private static String seconds(Instant from, Instant to) {
    return String.format(Locale.ROOT, "%.1f", Duration.between(from, to).toMillis() / 1000.0);
  }
}
