package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fuzzing harness reaches the parsers. Until this test existed, {@link ResponseFuzzing} answered through an app
 * interceptor, which token requests no longer pass (issue 16): every input met a refused connection and the fuzz
 * test passed on anything without anyone noticing.
 */
class ResponseFuzzingTest {
  @ParameterizedTest
  @EnumSource(Vendor.class)
  void aHealthyAnswerYieldsItsToken(Vendor vendor) throws IOException {
    String value = "harness-token-" + vendor.name().toLowerCase(Locale.ROOT);
    String body = vendor.issued(value, Instant.now().plus(Duration.ofHours(1)), 3600);
    try (ResponseFuzzing fuzzing = new ResponseFuzzing(vendor)) {
      Token token = fuzzing.check(body.getBytes(StandardCharsets.UTF_8));
      assertNotNull(token, vendor + " gave no token for " + body);
      assertEquals(value, token.value());
    }
  }

  @ParameterizedTest
  @EnumSource(Vendor.class)
  void anErrorStatusWithHeadersYieldsATypedError(Vendor vendor) throws IOException {
    String input = "HTTP 503\nRetry-After: 7\nContent-Length: 999999\n\n" + vendor.errorBody(503, "down", null);
    try (ResponseFuzzing fuzzing = new ResponseFuzzing(vendor)) {
      // A typed error (null) from the server's answer, although the input lies about its length.
      assertNull(fuzzing.check(input.getBytes(StandardCharsets.UTF_8)));
      assertTrue(fuzzing.requestCount() >= 1, "the request never reached the harness's server");
    }
  }
}
