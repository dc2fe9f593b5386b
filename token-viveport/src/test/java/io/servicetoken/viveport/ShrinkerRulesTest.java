package io.servicetoken.viveport;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar ships R8/ProGuard rules for its Retrofit interface and Moshi model, and nothing broader. */
class ShrinkerRulesTest {
  private static String rules() throws IOException {
    try (InputStream in = ShrinkerRulesTest.class.getResourceAsStream("/META-INF/proguard/token-viveport.pro")) {
      assertNotNull(in, "META-INF/proguard/token-viveport.pro");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void keepsApiMethodsAndModelFields() throws IOException {
    String rules = rules();
    assertTrue(rules.contains("-keepattributes Signature"), rules);
    assertTrue(rules.contains("interface io.servicetoken.viveport.ViveportApi"), rules);
    assertTrue(rules.contains("@retrofit2.http.* <methods>;"), rules);
    assertTrue(rules.contains("class io.servicetoken.viveport.ViveportServiceToken"), rules);
    assertTrue(rules.contains("<init>();") && rules.contains("<fields>;"), rules);
  }

  @Test
  void keepsNothingOutsideThePackage() throws IOException {
    for (String line : rules().split("\n")) {
      if (line.startsWith("-keep ") || line.startsWith("-keepclass")) {
        assertTrue(line.contains(" io.servicetoken.viveport."), line);
      }
    }
  }
}
