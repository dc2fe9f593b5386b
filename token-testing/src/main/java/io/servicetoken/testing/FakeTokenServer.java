package io.servicetoken.testing;

import com.squareup.moshi.JsonWriter;
import io.servicetoken.internal.Hashing;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * A vendor's token endpoint on a loopback {@link MockWebServer}: the base of {@code FakeViveport}, {@code
 * FakeAppViewX}, {@code FakeVyopta}, {@code FakeSingleView} and {@code FakeSportradar}.
 *
 * <p>Each fake accepts the credentials it was created with, answers the vendor documentation's success shape with
 * a fresh token of the configured lifetime, and the documentation's own errors otherwise. Fault switches make the
 * next requests fail; {@link #requestCount()} tells how many requests arrived.
 *
 * <p>A fake is a JUnit 5 extension that starts before and stops after each test:
 *
 * <pre>{@code
 * class WeatherClientTest {
 *   @RegisterExtension final FakeVyopta vyopta = FakeVyopta.accepting("alice", "wonderland");
 *   final MockWebServer api = new MockWebServer();        // the app's own API
 *
 *   @Test void sendsTheTokenToTheApi() throws Exception {
 *     TokenProvider provider = TokenProvider.create(VyoptaTokenSource.builder()
 *         .baseUrl(vyopta.baseUrl().toString()).username("alice").password("wonderland").build());
 *     WeatherClient weather = new WeatherClient(api.url("/"), provider); // the app's code under test
 *     api.enqueue(new MockResponse().setBody("{}"));
 *     api.enqueue(new MockResponse().setBody("{}"));
 *
 *     weather.currentWeather("Oslo");
 *     weather.currentWeather("Bergen");
 *
 *     assertEquals("Bearer " + vyopta.lastIssuedToken(), api.takeRequest().getHeader("Authorization"));
 *     assertEquals(1, vyopta.requestCount());              // one token for both calls
 *   }
 * }
 * }</pre>
 *
 * <p>Every setter returns the fake's own type, so settings chain: {@code FakeVyopta.accepting("alice", "pw")
 * .tokenLifetime(Duration.ofSeconds(10)).failNext(1)} is a {@code FakeVyopta}. (Each fake overrides the setters
 * of this class with its own return type; a fake of your own should do the same.)
 *
 * <p>To make token lifetimes pass in virtual time, give the provider a {@code TestScheduler}: see the package
 * documentation.
 *
 * <p>Outside JUnit, {@link #start()} and {@link #close()} it yourself.
 */
public abstract class FakeTokenServer implements BeforeEachCallback, AfterEachCallback, Closeable {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final MockWebServer server = new MockWebServer();
  private final byte[] signingKey = new byte[32];
  private volatile Duration tokenLifetime;
  private volatile Duration clockOffset = Duration.ZERO;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicInteger slowLeft = new AtomicInteger();
  private volatile Duration slowDelay = Duration.ZERO;
  private final AtomicInteger malformedLeft = new AtomicInteger();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicReference<@Nullable String> lastToken = new AtomicReference<>();
  private volatile boolean started;

  /**
   * Creates the fake; {@link #start()} or the JUnit extension starts it.
   *
   * @param tokenLifetime the lifetime of the tokens issued until {@link #tokenLifetime(Duration)} changes it
   */
  protected FakeTokenServer(Duration tokenLifetime) {
    this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime == null");
    new SecureRandom().nextBytes(signingKey);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return FakeTokenServer.this.dispatch(request);
          }
        });
  }

  /**
   * Starts the server on a free loopback port. Idempotent.
   *
   * @return this fake
   * @throws IllegalStateException if the port cannot be bound
   */
  public synchronized FakeTokenServer start() {
    if (!started) {
      try {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      started = true;
    }
    return this;
  }

  /** Stops the server. Idempotent. */
  @Override
  public final synchronized void close() {
    if (!started) return;
    try {
      server.shutdown();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      started = false;
    }
  }

  /**
   * Starts the server before each test.
   *
   * @param context the JUnit context
   */
  @Override
  public final void beforeEach(ExtensionContext context) {
    start();
  }

  /**
   * Stops the server after each test.
   *
   * @param context the JUnit context
   */
  @Override
  public final void afterEach(ExtensionContext context) {
    close();
  }

  /**
   * The base URL to give the vendor's token source builder, for example {@code http://127.0.0.1:54321/}. Starts the
   * server if needed.
   *
   * @return the base URL
   */
  public final HttpUrl baseUrl() {
    start();
    return server.url("/");
  }

  /**
   * The underlying server, for assertions beyond what this class offers.
   *
   * @return the MockWebServer
   */
  public final MockWebServer server() {
    return server;
  }

  /**
   * How many requests arrived, whatever the answer.
   *
   * @return the request count
   */
  public final int requestCount() {
    return server.getRequestCount();
  }

  /**
   * How many tokens were issued.
   *
   * @return the count of successful answers
   */
  public final int tokensIssued() {
    return tokensIssued.get();
  }

  /**
   * The last token issued, to compare with what the app sent.
   *
   * @return the token, or null before the first
   */
  public final @Nullable String lastIssuedToken() {
    return lastToken.get();
  }

  /**
   * The next request as it arrived, waiting at most 5 seconds.
   *
   * @return the request
   * @throws AssertionError if none arrives in time
   */
  public final RecordedRequest takeRequest() {
    try {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      if (request == null) throw new AssertionError("no request arrived within 5 s");
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Sets the lifetime of the tokens issued from now on.
   *
   * @param lifetime at least one second
   * @return this fake
   */
  public FakeTokenServer tokenLifetime(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime == null");
    this.tokenLifetime = lifetime;
    return this;
  }

  /**
   * The lifetime of the tokens issued.
   *
   * @return the lifetime
   */
  public final Duration tokenLifetime() {
    return tokenLifetime;
  }

  /**
   * Puts the server's clock {@code offset} away from this machine's (its {@code Date} header and every time it
   * states), to test clock skew.
   *
   * @param offset positive when the server is ahead
   * @return this fake
   */
  public FakeTokenServer serverClockOffset(Duration offset) {
    this.clockOffset = Objects.requireNonNull(offset, "offset == null");
    return this;
  }

  /**
   * The next {@code count} requests fail with HTTP 503 in the vendor's error shape.
   *
   * @param count how many
   * @return this fake
   */
  public FakeTokenServer failNext(int count) {
    return failNext(count, 503);
  }

  /**
   * The next {@code count} requests fail with {@code status} in the vendor's error shape.
   *
   * @param count how many
   * @param status the HTTP status, 4xx or 5xx
   * @return this fake
   */
  public FakeTokenServer failNext(int count, int status) {
    this.failureStatus = status;
    failuresLeft.set(count);
    return this;
  }

  /**
   * The next {@code count} answers are delayed by {@code delay} before their headers.
   *
   * @param count how many
   * @param delay the delay
   * @return this fake
   */
  public FakeTokenServer slowNext(int count, Duration delay) {
    this.slowDelay = Objects.requireNonNull(delay, "delay == null");
    slowLeft.set(count);
    return this;
  }

  /**
   * The next {@code count} answers are HTTP 200 with a truncated JSON body.
   *
   * @param count how many
   * @return this fake
   */
  public FakeTokenServer malformedNext(int count) {
    malformedLeft.set(count);
    return this;
  }

  /**
   * The server's "now": this machine's clock plus {@link #serverClockOffset(Duration)}.
   *
   * @return the server's time
   */
  protected final Instant serverNow() {
    return Instant.now().plus(clockOffset);
  }

  /**
   * The vendor's answer to a request that no fault switch intercepted: check the request and credentials, then
   * answer tokens from {@link #issue(Map)} in the vendor's success shape or the vendor's documented errors.
   *
   * @param request the request as recorded
   * @return the response
   */
  protected abstract MockResponse answer(RecordedRequest request);

  /**
   * A server failure in the vendor's error shape.
   *
   * @param status the HTTP status
   * @return the response
   */
  protected abstract MockResponse failure(int status);

  /**
   * Mints a new token, an HS256-signed JWT with {@code iat} and {@code exp} on the server's clock and the given
   * extra claims, and counts it as issued.
   *
   * @param extraClaims claims besides {@code iat} and {@code exp} (strings and numbers)
   * @return the token
   */
  protected final String issue(Map<String, ?> extraClaims) {
    Instant now = serverNow();
    String token = jwt(now, now.plus(tokenLifetime), extraClaims);
    tokensIssued.incrementAndGet();
    lastToken.set(token);
    return token;
  }

  /**
   * A JSON response with the server's {@code Date} header.
   *
   * @param status the HTTP status
   * @param json the body
   * @return the response
   */
  protected final MockResponse json(int status, String json) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setHeader("Date", HTTP_DATE.format(serverNow().atOffset(ZoneOffset.UTC)))
        .setBody(json);
  }

  /**
   * The values separated by single spaces, as OAuth writes scopes.
   *
   * @param values the values
   * @return the joined string
   */
  protected static String spaceSeparated(Iterable<String> values) {
    StringBuilder result = new StringBuilder();
    for (String value : values) {
      if (result.length() > 0) result.append(' ');
      result.append(value);
    }
    return result.toString();
  }

  /**
   * Quotes {@code value} as a JSON string.
   *
   * @param value the string
   * @return the JSON literal, with quotes
   */
  protected static String quote(@Nullable String value) {
    if (value == null) return "null";
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setLenient(true);
      writer.value(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return buffer.readUtf8();
  }

  private String jwt(Instant issuedAt, Instant expiresAt, Map<String, ?> extraClaims) {
    Buffer payload = new Buffer();
    try (JsonWriter writer = JsonWriter.of(payload)) {
      writer.beginObject();
      for (Map.Entry<String, ?> claim : extraClaims.entrySet()) {
        writer.name(claim.getKey());
        Object value = claim.getValue();
        if (value instanceof Number) {
          writer.value((Number) value);
        } else {
          writer.value(String.valueOf(value));
        }
      }
      // A unique id, so two tokens minted in the same second differ (a 401 replay needs a new token).
      writer.name("jti").value(java.util.UUID.randomUUID().toString());
      writer.name("iat").value(issuedAt.getEpochSecond());
      writer.name("exp").value(expiresAt.getEpochSecond());
      writer.endObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String signingInput =
        base64Url(ByteString.encodeUtf8("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")) + "." + base64Url(payload.readByteString());
    return signingInput + "." + base64Url(
        ByteString.of(Hashing.hmacSha256(signingKey, signingInput.getBytes(StandardCharsets.UTF_8))));
  }

  private static String base64Url(ByteString bytes) {
    String encoded = bytes.base64Url();
    int end = encoded.length();
    while (end > 0 && encoded.charAt(end - 1) == '=') end--;
    return encoded.substring(0, end);
  }

  private MockResponse dispatch(RecordedRequest request) {
    MockResponse response;
    if (take(failuresLeft)) {
      response = failure(failureStatus);
    } else if (take(malformedLeft)) {
      response = json(200, "{\"truncated\": ");
    } else {
      response = answer(request);
    }
    if (take(slowLeft)) response.setHeadersDelay(slowDelay.toMillis(), TimeUnit.MILLISECONDS);
    return response;
  }

  private static boolean take(AtomicInteger counter) {
    while (true) {
      int left = counter.get();
      if (left <= 0) return false;
      if (counter.compareAndSet(left, left - 1)) return true;
    }
  }
}
