package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.servicetoken.RetryPolicy;
import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenServiceException;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Fault} against every {@link Vendor}, over real HTTP on loopback. Each case asserts the {@link
 * TokenException} subclass, {@link TokenException#isRetryable()}, the time bound, that no spelling of the secret is
 * in any message, {@code toString()} or cause chain, and that a {@link TokenProvider} over the same source recovers
 * on the next healthy answer. The counts land in {@code target/reliability/fault-matrix.md}.
 */
class FaultMatrixTest {
  private static final HeldCertificate ROOT =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("reliability root").build();
  private static final HeldCertificate SERVER =
      new HeldCertificate.Builder()
          .signedBy(ROOT)
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("127.0.0.1")
          .commonName("localhost")
          .build();

  private static final ConcurrentLinkedQueue<Result> RESULTS = new ConcurrentLinkedQueue<>();

  /** Short timeouts so that the server that never answers costs half a second, not the 15 s default. */
  private static final OkHttpClient APP_CLIENT =
      new OkHttpClient.Builder()
          .connectTimeout(2, TimeUnit.SECONDS)
          .readTimeout(500, TimeUnit.MILLISECONDS)
          .writeTimeout(1, TimeUnit.SECONDS)
          .callTimeout(5, TimeUnit.SECONDS)
          .build();

  private final MockWebServer endpoint = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();

  @BeforeEach
  void startServers() throws IOException {
    elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServers() throws IOException {
    endpoint.shutdown();
    elsewhere.shutdown();
  }

  static Stream<Arguments> cases() {
    return Arrays.stream(Vendor.values())
        .flatMap(vendor -> Arrays.stream(Fault.values())
            .filter(fault -> fault.appliesTo(vendor))
            .map(fault -> Arguments.of(vendor, fault)));
  }

  @ParameterizedTest(name = "{0} × {1}")
  @MethodSource("cases")
  void faultIsTypedBoundedSecretFreeAndRecoverable(Vendor vendor, Fault fault) throws Exception {
    Result result = new Result(vendor, fault);
    RESULTS.add(result);
    OkHttpClient client = APP_CLIENT;
    if (fault.tls()) {
      HandshakeCertificates serverCertificates =
          new HandshakeCertificates.Builder().heldCertificate(SERVER).build();
      endpoint.useHttps(serverCertificates.sslSocketFactory(), false);
      if (fault == Fault.TLS_TRUSTED) {
        HandshakeCertificates trusting =
            new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate()).build();
        client = APP_CLIENT.newBuilder()
            .sslSocketFactory(trusting.sslSocketFactory(), trusting.trustManager())
            .build();
      }
    }
    endpoint.start(InetAddress.getByName("127.0.0.1"), 0);
    Fault.Servers servers = new Fault.Servers(endpoint, elsewhere);
    TokenSource source = vendor.source(endpoint.url("/"), client);
    SecretScanner.assertNoSecret(source, vendor.secrets());

    // 1. One fetch straight from the source.
    for (MockResponse response : fault.responses(vendor, servers)) endpoint.enqueue(response);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    long start = System.nanoTime();
    TestObserver<Token> fetched = source.fetch().test();
    assertTrue(fetched.await(fault.boundMillis() + 5_000, TimeUnit.MILLISECONDS), "fetch ended");
    result.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    result.allocatedBytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore;
    assertTrue(result.millis < fault.boundMillis(), "took " + result.millis + " ms, bound " + fault.boundMillis());
    if (fault == Fault.HUGE_SUCCESS_BODY || fault == Fault.HUGE_ERROR_BODY) {
      // A 10 MB body must not be held in memory: success bodies stop at 1 MiB, error bodies at 64 KiB.
      assertTrue(result.allocatedBytes < 4 * 1024 * 1024, "allocated " + result.allocatedBytes + " bytes");
    }

    if (fault.expected == null) {
      fetched.assertNoErrors().assertValueCount(1);
      Token token = fetched.values().get(0);
      Duration expected = fault.lifetime();
      if (expected == null) {
        assertEquals(Fault.TLS_TOKEN, token.value());
      } else {
        Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
        result.lifetime = lifetime;
        assertTrue(lifetime.compareTo(expected) <= 0 && lifetime.compareTo(expected.minusSeconds(3)) >= 0,
            () -> "lifetime " + lifetime + ", expected " + expected);
      }
      SecretScanner.assertNoSecret(token, vendor.secrets());
      SecretScanner.assertPrintable(token);
    } else {
      fetched.assertNoValues();
      Throwable error = errorOf(fetched);
      result.leaks = SecretScanner.findLeaks(error, vendor.secrets()).size()
          + SecretScanner.findLeaks(error, SecretScanner.TOKEN_RUN, Fault.ISSUED_TOKEN).size();
      SecretScanner.assertNoSecret(error, vendor.secrets());
      SecretScanner.assertNoToken(error, Fault.ISSUED_TOKEN);
      SecretScanner.assertPrintable(error);
      assertBounded(error);
      TokenException typed = assertInstanceOf(fault.expected, error, () -> "got " + error);
      assertEquals(fault.retryable, typed.isRetryable(), () -> "isRetryable of " + typed);
      assertTrue(typed.getMessage() != null && !typed.getMessage().isEmpty(), "a message");
      if (fault == Fault.STATUS_429) {
        assertEquals(Duration.ofSeconds(1), ((TokenServiceException) typed).retryAfter());
      }
      if (fault == Fault.RETRY_AFTER_PAST_2_POW_31) {
        assertEquals(Duration.ofHours(1), ((TokenServiceException) typed).retryAfter());
      }
      if (fault == Fault.ECHO_IN_ERROR_CODE || fault == Fault.LOG_FORGING) {
        assertTrue(typed.errorCode() != null, "the error code is kept, cleaned");
      }
    }
    if (fault.redirect()) assertEquals(0, elsewhere.getRequestCount(), "redirect followed");

    // 2. A provider over the same source: the fault again, then a healthy answer.
    String healthy = "recovered-" + vendor.name().toLowerCase() + "-" + fault.name().toLowerCase();
    if (fault.expected != null) {
      for (MockResponse response : fault.responses(vendor, servers)) endpoint.enqueue(response);
    }
    endpoint.enqueue(Fault.json(vendor.healthy(healthy)));
    TestScheduler scheduler = new TestScheduler();
    try (TokenProvider provider =
        TokenProvider.builder(source)
            .scheduler(scheduler)
            .credentialsCooldown(Duration.ZERO)
            .retryPolicy(RetryPolicy.builder()
                .maxAttempts(3).backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build())
            .build()) {
      List<Object> printed = new ArrayList<>();
      provider.events().subscribe(printed::add);
      TestObserver<Token> first = provider.token().test();
      scheduler.advanceTimeBy(fault.providerAdvance().toMillis(), TimeUnit.MILLISECONDS);
      if (fault == Fault.TLS_UNTRUSTED) {
        // The certificate will not become trusted: the provider gives up after its attempts, with the typed error.
        first.assertError(fault.expected);
        SecretScanner.assertNoSecret(errorOf(first), vendor.secrets());
        result.recovered = null;
      } else {
        TestObserver<Token> answered = first;
        if (!first.values().isEmpty()) {
          assertTrue(fault.retryable || fault.expected == null, "only retryable faults are retried within a fetch");
        } else {
          first.assertError(fault.expected);
          assertTrue(!fault.retryable || fault.callerMayFailFirst(), "a retryable fault is retried within the fetch");
          SecretScanner.assertNoSecret(errorOf(first), vendor.secrets());
          answered = provider.token().test();
          scheduler.advanceTimeBy(fault.providerAdvance().toMillis(), TimeUnit.MILLISECONDS);
        }
        answered.assertValue(token -> token.value().equals(healthy));
        result.recovered = true;
      }
      printed.add(provider);
      for (Object subject : printed) {
        SecretScanner.assertNoSecret(subject, vendor.secrets());
        SecretScanner.assertNoToken(subject, Fault.ISSUED_TOKEN);
        SecretScanner.assertPrintable(subject);
      }
      if (fault.redirect()) assertEquals(0, elsewhere.getRequestCount(), "redirect followed");
    }
    result.passed = true;
  }

  /** Every string of {@code error}'s chain is capped (messages at 1000 characters; toString()s add a class name). */
  static void assertBounded(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      assertTrue(t.toString().length() <= TokenException.MAX_MESSAGE_LENGTH + 100, "length " + t.toString().length());
      for (Throwable suppressed : t.getSuppressed()) assertBounded(suppressed);
    }
  }

  /** The one error {@code observer} received. */
  static Throwable errorOf(TestObserver<?> observer) {
    Throwable[] error = new Throwable[1];
    observer.assertError(e -> {
      error[0] = e;
      return true;
    });
    return error[0];
  }

  @AfterAll
  static void writeSummary() throws IOException {
    Map<Fault, List<Result>> byFault = new TreeMap<>();
    for (Result result : RESULTS) byFault.computeIfAbsent(result.fault, f -> new ArrayList<>()).add(result);
    StringBuilder out = new StringBuilder();
    out.append("| fault | expected | retryable | vendors passed | max ms | max bytes allocated | leaks |\n");
    out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    StringBuilder lifetimes = new StringBuilder();
    int tried = 0;
    int passed = 0;
    int leaks = 0;
    for (Map.Entry<Fault, List<Result>> entry : byFault.entrySet()) {
      Fault fault = entry.getKey();
      long maxMillis = 0;
      long maxBytes = 0;
      int ok = 0;
      int leaked = 0;
      for (Result result : entry.getValue()) {
        maxMillis = Math.max(maxMillis, result.millis);
        maxBytes = Math.max(maxBytes, result.allocatedBytes);
        if (result.passed) ok++;
        leaked += result.leaks;
      }
      tried += entry.getValue().size();
      passed += ok;
      leaks += leaked;
      if (fault.lifetime() != null) {
        lifetimes.append("- ").append(fault.description).append(": expected ").append(fault.lifetime().getSeconds())
            .append(" s, got");
        for (Result result : entry.getValue()) {
          lifetimes.append(' ').append(result.vendor.name().toLowerCase()).append(' ')
              .append(result.lifetime == null ? "-" : result.lifetime.toMillis() / 1000.0 + " s");
        }
        lifetimes.append('\n');
      }
      out.append("| ").append(fault.description)
          .append(" | ").append(fault.expected == null
              ? fault.lifetime() == null ? "a token" : "a token for " + fault.lifetime().getSeconds() + " s"
              : fault.expected.getSimpleName())
          .append(" | ").append(fault.expected == null ? "—" : fault.retryable ? "yes" : "no")
          .append(" | ").append(ok).append('/').append(entry.getValue().size())
          .append(" | ").append(maxMillis)
          .append(" | ").append(maxBytes)
          .append(" | ").append(leaked).append(" |\n");
    }
    out.append('\n').append(lifetimes);
    out.append("\ncases tried: ").append(tried).append(", passed: ").append(passed)
        .append(", secrets leaked: ").append(leaks).append('\n');
    Path dir = Paths.get("target", "reliability");
    Files.createDirectories(dir);
    Files.write(dir.resolve("fault-matrix.md"), out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.println(out);
  }

  /** What one case measured. */
  static final class Result {
    final Vendor vendor;
    final Fault fault;
    long millis;
    long allocatedBytes;
    int leaks;
    @org.jspecify.annotations.Nullable Duration lifetime;
    Boolean recovered;
    boolean passed;

    Result(Vendor vendor, Fault fault) {
      this.vendor = vendor;
      this.fault = fault;
    }
  }
}
