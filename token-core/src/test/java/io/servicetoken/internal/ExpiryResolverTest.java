package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.MalformedTokenResponseException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryResolverTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-22T12:00:00Z");

  private static ExpiryResolver resolver() {
    return ExpiryResolver.receivedAt("test", RECEIVED);
  }

  @Test
  void anOverlongFallbackIsCappedInsteadOfOverflowingTheExpiry() {
    // Found by ExpiryResolverFuzzTest: Instant.plus(Duration.ofSeconds(Long.MAX_VALUE)) threw DateTimeException.
    Instant resolved = resolver().token("opaque").fallback(Duration.ofSeconds(Long.MAX_VALUE)).resolve();
    assertEquals(RECEIVED.plus(Duration.ofDays(3660)), resolved);
  }

  @Test
  void anAbsoluteExpiryAtTheEndOfTimeIsIgnoredInsteadOfOverflowing() {
    Instant resolved =
        resolver().serverDate(RECEIVED.minusSeconds(60)).expiresAtOnServer(Instant.MAX).expiresIn(300L).resolve();
    assertEquals(RECEIVED.plusSeconds(300), resolved);
  }

  @Test
  void relativeLifetimeCountsFromReception() {
    assertEquals(RECEIVED.plusSeconds(300), resolver().expiresIn(300L).token("opaque").resolve());
  }

  @Test
  void absoluteExpiryIsCorrectedByADateHeaderTenMinutesBehind() {
    // The server's clock is 10 minutes behind ours; its token lives one hour on its clock.
    Instant serverNow = RECEIVED.minus(Duration.ofMinutes(10));
    Instant resolved =
        resolver().serverDate(serverNow).expiresAtOnServer(serverNow.plusSeconds(3600).getEpochSecond()).resolve();
    assertEquals(RECEIVED.plusSeconds(3600), resolved);
  }

  @Test
  void absoluteExpiryIsCorrectedByTheJwtIatWithoutADateHeader() {
    // VIVEPORT's sample: expire 1525334677, JWT iat 1525331077 / exp 1525334677, years before "now".
    String jwt = Jwts.jwt("{\"exp\":1525334677,\"iat\":1525331077,\"duration\":3600}");
    Instant resolved = resolver().expiresAtOnServer(1525334677L).token(jwt).resolve();
    assertEquals(RECEIVED.plusSeconds(3600), resolved);
  }

  @Test
  void absoluteExpiryWithoutServerTimeIsUsedAsItIs() {
    Instant absolute = RECEIVED.plusSeconds(1234);
    assertEquals(absolute, resolver().expiresAtOnServer(absolute.getEpochSecond()).token("opaque").resolve());
  }

  @Test
  void theEarliestBoundWins() {
    String jwt = Jwts.jwt("{\"iat\":1000,\"exp\":1600}"); // 600 s on the server's clock
    assertEquals(RECEIVED.plusSeconds(120), resolver().expiresIn(120L).token(jwt).resolve());
    assertEquals(RECEIVED.plusSeconds(600), resolver().expiresIn(3600L).token(jwt).resolve());
  }

  @Test
  void jwtExpIsSkewCorrectedByTheDateHeader() {
    Instant serverNow = RECEIVED.plus(Duration.ofHours(1)); // server one hour ahead
    String jwt = Jwts.jwt("{\"exp\":" + serverNow.plusSeconds(900).getEpochSecond() + "}");
    assertEquals(RECEIVED.plusSeconds(900), resolver().serverDate(serverNow).token(jwt).resolve());
  }

  @Test
  void zeroExpiresInFallsBackToTheJwt() {
    String jwt = Jwts.jwt("{\"iat\":1738060506,\"exp\":1738064106}");
    assertEquals(RECEIVED.plusSeconds(3600), resolver().expiresIn(0L).token(jwt).fallback(Duration.ofMinutes(60)).resolve());
  }

  @Test
  void zeroExpiresInWithoutJwtFallsBackToTheVendorLifetime() {
    assertEquals(
        RECEIVED.plus(Duration.ofMinutes(60)),
        resolver().expiresIn(0L).token("opaque").fallback(Duration.ofMinutes(60)).resolve());
  }

  @Test
  void nothingStatedAndNoFallbackIsMalformed() {
    assertThrows(MalformedTokenResponseException.class, () -> resolver().token("opaque").resolve());
  }

  @Test
  void aTokenAlreadyExpiredOnArrivalIsMalformed() {
    // AppViewX's sample JWT expired in April 2022; with a Date header of today it is expired on arrival.
    String jwt = Jwts.jwt("{\"exp\":1650369367}");
    MalformedTokenResponseException e =
        assertThrows(MalformedTokenResponseException.class, () -> resolver().serverDate(RECEIVED).token(jwt).resolve());
    assertTrue(e.getMessage().contains("already expired on arrival"), e.getMessage());
    assertEquals("test", e.vendor());
    assertEquals(200, e.statusCode());
  }

  @Test
  void underOneSecondLeftIsMalformed() {
    assertThrows(
        MalformedTokenResponseException.class,
        () -> resolver().expiresAtOnServer(RECEIVED.getEpochSecond()).serverDate(RECEIVED.minusMillis(999)).resolve());
    assertEquals(RECEIVED.plusSeconds(1), resolver().expiresIn(1L).resolve());
  }

  @Test
  void nonsenseValuesAreTreatedAsUnstated() {
    assertEquals(
        RECEIVED.plus(Duration.ofMinutes(15)),
        resolver().expiresIn(Long.MAX_VALUE).expiresAtOnServer(Long.MAX_VALUE).fallback(Duration.ofMinutes(15)).resolve());
    assertEquals(
        RECEIVED.plus(Duration.ofMinutes(15)),
        resolver().expiresIn(-5L).expiresAtOnServer(-1L).fallback(Duration.ofMinutes(15)).resolve());
  }
}
