package io.servicetoken.sportradar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The R8/ProGuard rules ship in the jar and keep what Moshi and Retrofit read reflectively, nothing broader. */
class ShrinkerRulesTest {
  private static String rules() throws IOException {
    try (InputStream in = ShrinkerRulesTest.class.getResourceAsStream("/META-INF/proguard/token-sportradar.pro")) {
      assertNotNull(in, "META-INF/proguard/token-sportradar.pro is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void rulesKeepEveryMoshiModelAndTheRetrofitInterface() throws IOException {
    String rules = rules();
    for (Class<?> type : new Class<?>[] {
        ProductTokenRequest.class, ProductTokenResponse.class, ProductTokenResponse.Data.class,
        ProductTokenResponse.Meta.class, SportradarApi.class}) {
      assertTrue(rules.contains(type.getName()), type.getName());
    }
    assertTrue(rules.contains("-keepattributes Signature"));
  }

  @Test
  void rulesReachNoFurtherThanThisPackage() throws IOException {
    for (String line : rules().split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("-keep ") || trimmed.startsWith("-keep,") || trimmed.startsWith("-keepclassmembers")) {
        assertTrue(trimmed.contains("io.servicetoken.sportradar."), trimmed);
      }
      assertFalse(trimmed.contains("**"), trimmed);
    }
  }
}
