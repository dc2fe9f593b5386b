package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.internal.ExpiryResolver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Expiry resolution gets fuzzed numbers, dates and tokens in every combination a vendor module can feed it: a
 * reception time (from OkHttp's clock), a server {@code Date}, a relative lifetime, an absolute expiry in UNIX
 * seconds, a token that may be a JWT with fuzzed {@code iat}/{@code exp}, and a fallback lifetime as the builders
 * accept it (at least one second, no upper bound). Only an expiry at least one second and at most {@link
 * ExpiryResolver#MAX_LIFETIME} after reception, or a {@link MalformedTokenResponseException}, may come out.
 */
class ExpiryResolverFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyStatedExpiryResolvesOrIsMalformed(FuzzedDataProvider data) {
    Instant receivedAt = Instant.ofEpochMilli(data.consumeLong(0, 4_102_444_800_000L));
    ExpiryResolver resolver = ExpiryResolver.receivedAt("fuzz", receivedAt).statusCode(data.consumeInt(100, 599));
    if (data.consumeBoolean()) resolver.serverDate(Instant.ofEpochMilli(data.consumeLong()));
    if (data.consumeBoolean()) resolver.expiresIn(data.consumeBoolean() ? null : data.consumeLong());
    if (data.consumeBoolean()) resolver.expiresAtOnServer(data.consumeBoolean() ? null : data.consumeLong());
    if (data.consumeBoolean()) {
      long epochSecond = data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
      resolver.expiresAtOnServer(Instant.ofEpochSecond(epochSecond));
    }
    if (data.consumeBoolean()) resolver.fallback(Duration.ofSeconds(data.consumeLong(1, Long.MAX_VALUE)));
    if (data.consumeBoolean()) {
      String claims = "{\"iat\":" + number(data) + ",\"exp\":" + number(data) + "}";
      resolver.token("eyJhbGciOiJIUzI1NiJ9."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
          + ".c2ln");
    } else {
      resolver.token(data.consumeRemainingAsString());
    }
    Instant expiry;
    try {
      expiry = resolver.resolve();
    } catch (MalformedTokenResponseException expected) {
      return;
    }
    assertTrue(!expiry.isBefore(receivedAt.plus(ExpiryResolver.MINIMUM_LIFETIME)), "expiry " + expiry);
    assertTrue(!expiry.isAfter(receivedAt.plus(ExpiryResolver.MAX_LIFETIME)), "expiry " + expiry);
  }

  private static String number(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 3)) {
      case 0:
        return Long.toString(data.consumeLong());
      case 1:
        return Double.toString(data.consumeDouble());
      case 2:
        return "\"" + data.consumeString(20).replace("\\", "").replace("\"", "") + "\"";
      default:
        return Long.toString(data.consumeLong(1_500_000_000L, 2_000_000_000L));
    }
  }
}
