package io.servicetoken.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.servicetoken.testing.FakeVyopta;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The vendor a fleet shares: {@link FakeVyopta} (Keycloak's password grant over loopback HTTP), with what the fleet
 * tests need on top: requests that hang (a lease holder whose request never returns), {@code 503} with a {@code
 * Retry-After}, the arrival time of every request, and the moment each issued token expires on the vendor's side, to
 * tell whether a pod handed out a token the vendor no longer honours. Started before and stopped after each test
 * ({@code @RegisterExtension}), or by hand with {@link #start()} and {@link #close()}.
 */
final class FleetVendor implements BeforeEachCallback, AfterEachCallback {
  static final String USER = "fleet-user@example.com";
  static final String PASSWORD = "fleet-password-7c1e";
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
  private static final Pattern EXP = Pattern.compile("\"exp\":(\\d+)");

  final FakeVyopta vyopta = FakeVyopta.accepting(USER, PASSWORD);
  private final AtomicInteger hangLeft = new AtomicInteger();
  private final AtomicInteger retryAfterLeft = new AtomicInteger();
  private volatile long retryAfterSeconds;
  private final List<Long> arrivals = new ArrayList<>();
  /** Token value to the {@link System#nanoTime()} at which the vendor stops honouring it. */
  private final Map<String, Long> expiries = new ConcurrentHashMap<>();

  FleetVendor lifetime(Duration lifetime) {
    vyopta.tokenLifetime(lifetime);
    return this;
  }

  /** The next {@code count} requests never get an answer (the socket stays open until the client gives up). */
  FleetVendor hangNext(int count) {
    hangLeft.set(count);
    return this;
  }

  /** The next {@code count} requests get {@code 503 temporarily_unavailable} with {@code Retry-After: seconds}. */
  FleetVendor retryAfterNext(int count, long seconds) {
    retryAfterSeconds = seconds;
    retryAfterLeft.set(count);
    return this;
  }

  void start() {
    vyopta.start();
    Dispatcher vendor = vyopta.server().getDispatcher();
    vyopta.server().setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        long now = System.nanoTime();
        synchronized (arrivals) {
          arrivals.add(now);
        }
        if (take(hangLeft)) return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        if (take(retryAfterLeft)) {
          return new MockResponse().setResponseCode(503)
              .setHeader("Content-Type", "application/json")
              .setHeader("Retry-After", Long.toString(retryAfterSeconds))
              .setBody("{\"error\":\"temporarily_unavailable\",\"error_description\":\"Slow down\"}");
        }
        MockResponse response = vendor.dispatch(request);
        Buffer body = response.getBody();
        if (body != null) {
          Matcher token = ACCESS_TOKEN.matcher(body.readUtf8());
          if (token.find()) expiries.put(token.group(1), expiryNanos(token.group(1), now));
        }
        return response;
      }
    });
  }

  void close() {
    vyopta.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  String baseUrl() {
    return vyopta.baseUrl().toString();
  }

  /** A source for the fleet's account, as every pod builds it. */
  VyoptaTokenSource source() {
    return source(PASSWORD);
  }

  VyoptaTokenSource source(String password) {
    return VyoptaTokenSource.builder().baseUrl(baseUrl()).username(USER).password(password).build();
  }

  int requests() {
    return vyopta.requestCount();
  }

  /** When each request arrived, on {@link System#nanoTime()}, in order. */
  List<Long> arrivals() {
    synchronized (arrivals) {
      return new ArrayList<>(arrivals);
    }
  }

  /** Waits (bounded) until {@code count} requests have arrived. */
  void awaitRequests(int count, Duration bound) {
    Poll.until(bound, () -> requests() >= count);
  }

  /** The vendor's own expiry of {@code token}, on {@link System#nanoTime()}; null if it never issued it. */
  @Nullable Long expiryNanos(String token) {
    return expiries.get(token);
  }

  /** Whether the vendor still honours {@code token} now. */
  boolean honours(String token) {
    Long expiry = expiries.get(token);
    return expiry != null && System.nanoTime() < expiry;
  }

  /** How long {@code token} has left on the vendor's side, negative once expired. */
  Duration left(String token) {
    Long expiry = expiries.get(token);
    if (expiry == null) throw new AssertionError("the vendor never issued this token");
    return Duration.ofNanos(expiry - System.nanoTime());
  }

  /**
   * When a resource server stops accepting {@code token}: its lifetime after its issue, or its JWT {@code exp} if
   * that is earlier (the fake states it in whole seconds, so a token lives up to a second less than its lifetime).
   */
  private long expiryNanos(String token, long issuedNanos) {
    long expiry = issuedNanos + vyopta.tokenLifetime().toNanos();
    String[] parts = token.split("\\.");
    if (parts.length == 3) {
      Matcher exp = EXP.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8));
      if (exp.find()) {
        long expMillis = Long.parseLong(exp.group(1)) * 1000;
        expiry = Math.min(expiry, issuedNanos + TimeUnit.MILLISECONDS.toNanos(expMillis - System.currentTimeMillis()));
      }
    }
    return expiry;
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static boolean take(AtomicInteger counter) {
    while (true) {
      int left = counter.get();
      if (left <= 0) return false;
      if (counter.compareAndSet(left, left - 1)) return true;
    }
  }
}
