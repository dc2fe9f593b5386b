package io.servicetoken.viveport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code storeKey()}: what fleet mode shares tokens under. The same configuration gives the same key; any account
 * field, the base URL or the secret differing gives another; the key shows none of them.
 */
class ViveportStoreKeyTest {
  private static final String SECRET = "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y";

  private static ViveportTokenSource.Builder configured() {
    return ViveportTokenSource.builder().appId("SampleApp").appSecret(SECRET);
  }

  @Test
  void theSameConfigurationGivesTheSameKey() {
    String key = configured().build().storeKey();
    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, configured().build().storeKey());
  }

  @Test
  void everyAccountFieldTheBaseUrlAndTheSecretChangeTheKey() {
    List<UnaryOperator<ViveportTokenSource.Builder>> changes = List.of(
        b -> b.appId("OtherApp"),
        b -> b.appSecret("rotated-" + SECRET),
        b -> b.baseUrl("https://staging.viveport.com/"));
    Set<String> keys = new HashSet<>();
    keys.add(configured().build().storeKey());
    for (UnaryOperator<ViveportTokenSource.Builder> change : changes) {
      assertTrue(keys.add(change.apply(configured()).build().storeKey()), "a change left the key as it was");
    }
  }

  @Test
  void theKeyShowsNoFieldAndNoSecretInClear() {
    String key = configured().build().storeKey();
    for (String value : new String[] {"SampleApp", SECRET, "viveport.com"}) {
      assertFalse(key.contains(value.toLowerCase(Locale.ROOT)), value);
    }
  }
}
