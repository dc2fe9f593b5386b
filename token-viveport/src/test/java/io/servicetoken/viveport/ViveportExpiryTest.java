package io.servicetoken.viveport;

import static io.servicetoken.viveport.TestSupport.APP_SECRET;
import static io.servicetoken.viveport.TestSupport.fetch;
import static io.servicetoken.viveport.TestSupport.fetchError;
import static io.servicetoken.viveport.TestSupport.httpDate;
import static io.servicetoken.viveport.TestSupport.json;
import static io.servicetoken.viveport.TestSupport.jwt;
import static io.servicetoken.viveport.TestSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.Token;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code expire} and the JWT claims, on VIVEPORT's clock, end up on the local clock. */
class ViveportExpiryTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /** The server's "now", whole seconds, {@code offset} away from the local clock. */
  private static long serverNow(Duration offset) {
    return Instant.now().plus(offset).getEpochSecond();
  }

  private static String body(String token, Object expire) {
    return "{\"serviceToken\": \"" + token + "\", \"expire\": " + expire + "}";
  }

  @Test
  void dateHeaderTenMinutesBehindLocalClockStillGivesOneHour() {
    long now = serverNow(Duration.ofMinutes(-10));
    server.enqueue(
        json(200, body(jwt(now, now + 3600), now + 3600)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plus(Duration.ofHours(1)), token.expiresAt());
  }

  @Test
  void dateHeaderTenMinutesAheadOfLocalClockStillGivesOneHour() {
    long now = serverNow(Duration.ofMinutes(10));
    server.enqueue(
        json(200, body(jwt(now, now + 3600), now + 3600)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plus(Duration.ofHours(1)), token.expiresAt());
  }

  @Test
  void earlierExpireBoundsALongerJwtExp() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body(jwt(now, now + 3600), now + 1800)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plus(Duration.ofMinutes(30)), token.expiresAt());
  }

  @Test
  void earlierJwtExpBoundsALongerExpire() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body(jwt(now, now + 900), now + 3600)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plus(Duration.ofMinutes(15)), token.expiresAt());
  }

  @Test
  void opaqueTokenExpiresByExpireCorrectedWithDateHeader() {
    long now = serverNow(Duration.ofHours(-2));
    server.enqueue(json(200, body("opaque-token-value", now + 600)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plusSeconds(600), token.expiresAt());
  }

  @Test
  void expireSentAsJsonStringIsAccepted() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body("opaque-token-value", "\"" + (now + 600) + "\""))
            .setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    Token token = fetch(source(server));

    assertEquals(token.receivedAt().plusSeconds(600), token.expiresAt());
  }

  @Test
  void opaqueTokenWithoutExpireIsMalformed() {
    server.enqueue(json(200, "{\"serviceToken\": \"opaque-token-value\"}"));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertEquals(200, e.statusCode());
    assertFalse(e.isRetryable());
    SecretScanner.assertNoSecret(e, APP_SECRET, "opaque-token-value");
  }

  @Test
  void jwtWithoutExpireOrDateHeaderExpiresByItsExpOnTheLocalClock() {
    // Issued 10 minutes ago by the local clock: the token is not taken to be issued now (issue 16.3, rule 6).
    long issued = serverNow(Duration.ofMinutes(-10));
    server.enqueue(json(200, "{\"serviceToken\": \"" + jwt(issued, issued + 3600) + "\"}"));

    Token token = fetch(source(server));

    assertEquals(Instant.ofEpochSecond(issued + 3600), token.expiresAt());
  }

  @Test
  void dateHeaderNineYearsOldDoesNotCacheTheTokenForYears() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body("opaque-token-value", now + 3600))
            .setHeader("Date", httpDate(Instant.ofEpochSecond(now).minus(Duration.ofDays(9 * 365)))));

    Token token = fetch(source(server));

    assertEquals(Instant.ofEpochSecond(now + 3600), token.expiresAt());
  }

  @Test
  void dateHeaderAYearAheadIsNotAnOutage() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body(jwt(now, now + 3600), now + 3600))
            .setHeader("Date", httpDate(Instant.ofEpochSecond(now).plus(Duration.ofDays(365)))));

    Token token = fetch(source(server));

    assertEquals(Instant.ofEpochSecond(now + 3600), token.expiresAt());
  }

  @Test
  void deviceClockDaysWrongWithAnHonestDateHeaderStillGivesOneHour() {
    for (Duration deviceError : new Duration[] {Duration.ofDays(3), Duration.ofDays(-3)}) {
      long now = serverNow(deviceError.negated());
      server.enqueue(
          json(200, body(jwt(now, now + 3600), now + 3600)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

      Token token = fetch(source(server));

      assertEquals(token.receivedAt().plus(Duration.ofHours(1)), token.expiresAt(), "device off by " + deviceError);
    }
  }

  @Test
  void tokenAlreadyExpiredOnArrivalIsMalformedNotRetried() {
    long now = serverNow(Duration.ZERO);
    server.enqueue(
        json(200, body(jwt(now - 3600, now - 10), now - 10)).setHeader("Date", httpDate(Instant.ofEpochSecond(now))));

    MalformedTokenResponseException e = fetchError(MalformedTokenResponseException.class, source(server));

    assertFalse(e.isRetryable());
    assertEquals(1, server.getRequestCount());
    SecretScanner.assertNoSecret(e, APP_SECRET);
  }
}
