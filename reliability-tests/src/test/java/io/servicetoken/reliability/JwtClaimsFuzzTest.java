package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servicetoken.internal.JwtClaims;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The JWT claims reader gets arbitrary text as a whole token, and arbitrary bytes as the claims segment of an
 * otherwise well-formed JWT: it must return claims or {@link JwtClaims#NONE}, never throw, and never yield a time
 * outside 1970..9999.
 */
class JwtClaimsFuzzTest {
  private static final Instant YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z");

  @FuzzTest(maxDuration = "30s")
  void anyTokenYieldsClaimsOrNone(byte[] input) {
    check(JwtClaims.parse(new String(input, StandardCharsets.UTF_8)));
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(input);
    check(JwtClaims.parse("eyJhbGciOiJIUzI1NiJ9." + payload + ".c2lnbmF0dXJl"));
  }

  private static void check(JwtClaims claims) {
    assertNotNull(claims);
    checkTime(claims.issuedAt());
    checkTime(claims.expiresAt());
    assertNotNull(claims.toString());
  }

  private static void checkTime(@Nullable Instant time) {
    if (time == null) return;
    assertTrue(!time.isBefore(Instant.EPOCH) && !time.isAfter(YEAR_9999), "claim out of range: " + time);
  }
}
