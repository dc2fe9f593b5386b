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
    assertEquals(RECEIVED.plus(ExpiryResolver.MAX_LIFETIME), resolved);
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

  // Issue 16.3: the server's clock within bounds. Each case of the issue, by name.

  @Test
  void viveportExpireInAnHourWithADateHeaderNineYearsOldIsAnHourNotYears() {
    Instant proxyDate = RECEIVED.minus(Duration.ofDays(9 * 365));
    Instant resolved =
        resolver().serverDate(proxyDate).expiresAtOnServer(RECEIVED.plusSeconds(3600).getEpochSecond())
            .token("opaque-viveport-token").resolve();
    assertEquals(RECEIVED.plusSeconds(3600), resolved);
  }

  @Test
  void appViewXJwtExpiringInFifteenMinutesWithADateHeaderFiveYearsOldIsFifteenMinutes() {
    String jwt = Jwts.jwt("{\"exp\":" + RECEIVED.plusSeconds(900).getEpochSecond() + "}");
    Instant resolved =
        resolver().serverDate(RECEIVED.minus(Duration.ofDays(5 * 365))).token(jwt)
            .fallback(Duration.ofMinutes(15)).resolve();
    assertEquals(RECEIVED.plusSeconds(900), resolved);
  }

  @Test
  void aReusedJwtIssuedFiftyMinutesAgoExpiringInTenWithoutADateHeaderLivesTenMinutes() {
    String jwt = Jwts.jwt("{\"iat\":" + RECEIVED.minusSeconds(3000).getEpochSecond()
        + ",\"exp\":" + RECEIVED.plusSeconds(600).getEpochSecond() + "}");
    assertEquals(RECEIVED.plusSeconds(600), resolver().token(jwt).fallback(Duration.ofMinutes(15)).resolve());
  }

  @Test
  void vyoptaExpiresIn300WithADateHeader301SecondsAheadIsAFresh300SecondToken() {
    // Keycloak's token is a JWT issued now for 300 s; a proxy in front of it stamps a Date 301 s ahead.
    String jwt = Jwts.jwt("{\"iat\":" + RECEIVED.getEpochSecond() + ",\"exp\":" + RECEIVED.plusSeconds(300).getEpochSecond() + "}");
    Instant resolved = resolver().serverDate(RECEIVED.plusSeconds(301)).expiresIn(300L).token(jwt).resolve();
    assertEquals(RECEIVED.plusSeconds(300), resolved);
  }

  @Test
  void viveportWithADateHeaderAYearAheadIsNotAnOutage() {
    Instant resolved =
        resolver().serverDate(RECEIVED.plus(Duration.ofDays(365)))
            .expiresAtOnServer(RECEIVED.plusSeconds(3600).getEpochSecond()).token("opaque-viveport-token").resolve();
    assertEquals(RECEIVED.plusSeconds(3600), resolved);
  }

  @Test
  void aDeviceClockDaysWrongWithAnHonestDateHeaderStillGivesTheStatedLifetime() {
    for (Duration deviceError : new Duration[] {Duration.ofHours(-7), Duration.ofHours(3), Duration.ofDays(-4), Duration.ofDays(2)}) {
      Instant serverNow = RECEIVED.minus(deviceError);
      String jwt = Jwts.jwt("{\"iat\":" + serverNow.getEpochSecond() + ",\"exp\":" + serverNow.plusSeconds(3600).getEpochSecond() + "}");
      Instant resolved =
          resolver().serverDate(serverNow).expiresAtOnServer(serverNow.plusSeconds(3600).getEpochSecond()).token(jwt)
              .resolve();
      assertEquals(RECEIVED.plusSeconds(3600), resolved, "device clock off by " + deviceError);
    }
  }

  @Test
  void noLifetimeIsLongerThanWhatTheTokenSaysAboutItself() {
    String jwt = Jwts.jwt("{\"iat\":" + RECEIVED.getEpochSecond() + ",\"exp\":" + RECEIVED.plusSeconds(600).getEpochSecond() + "}");
    assertEquals(RECEIVED.plusSeconds(600), resolver().expiresIn(3600L).token(jwt).resolve());
    // The Date header says the absolute expiry is 2 hours away; the JWT says it lives 10 minutes.
    assertEquals(
        RECEIVED.plusSeconds(600),
        resolver().serverDate(RECEIVED.minusSeconds(6600)).expiresAtOnServer(RECEIVED.plusSeconds(600).getEpochSecond())
            .token(jwt).resolve());
  }

  @Test
  void noLifetimeIsLongerThan24Hours() {
    assertEquals(RECEIVED.plus(ExpiryResolver.MAX_LIFETIME), resolver().expiresIn(Duration.ofDays(30).getSeconds()).resolve());
    assertEquals(
        RECEIVED.plus(ExpiryResolver.MAX_LIFETIME),
        resolver().expiresAtOnServer(RECEIVED.plus(Duration.ofDays(400)).getEpochSecond()).resolve());
    assertEquals(RECEIVED.plus(ExpiryResolver.MAX_LIFETIME), resolver().fallback(Duration.ofDays(2)).resolve());
  }

  @Test
  void aDateHeaderThatShortensExpiresInDoesNotOverruleIt() {
    Instant resolved =
        resolver().serverDate(RECEIVED.plusSeconds(100)).expiresIn(300L)
            .expiresAtOnServer(RECEIVED.plusSeconds(300).getEpochSecond()).resolve();
    assertEquals(RECEIVED.plusSeconds(300), resolved);
  }

  @Test
  void aDeviceClockYearsOffWithoutADateHeaderFallsBackToTheJwtIat() {
    // VIVEPORT's documented sample, received years after it was issued: only iat makes its expire plausible.
    String jwt = Jwts.jwt("{\"exp\":1525334677,\"iat\":1525331077}");
    assertEquals(RECEIVED.plusSeconds(3600), resolver().expiresAtOnServer(1525334677L).token(jwt).resolve());
  }

  @Test
  void expiredByEveryClockIsStillExpiredOnArrival() {
    String jwt = Jwts.jwt("{\"iat\":" + RECEIVED.minusSeconds(3600).getEpochSecond() + ",\"exp\":" + RECEIVED.minusSeconds(10).getEpochSecond() + "}");
    assertThrows(
        MalformedTokenResponseException.class,
        () -> resolver().serverDate(RECEIVED).expiresAtOnServer(RECEIVED.minusSeconds(10).getEpochSecond()).token(jwt).resolve());
  }
}
