package io.servicetoken.appviewx;

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
class AppViewXStoreKeyTest {
  private static final String SECRET = "3Hbu75f3OLcxBqvm7n8ASm8S9y";

  private static AppViewXTokenSource.Builder configured() {
    return AppViewXTokenSource.builder().baseUrl("https://avx.example.com:31443/").clientId("521c3ad2").clientSecret(SECRET);
  }

  @Test
  void theSameConfigurationGivesTheSameKey() {
    String key = configured().build().storeKey();
    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, configured().build().storeKey());
  }

  @Test
  void everyAccountFieldTheBaseUrlAndTheSecretChangeTheKey() {
    List<UnaryOperator<AppViewXTokenSource.Builder>> changes = List.of(
        b -> b.clientId("521c3ad3"),
        b -> b.clientSecret("rotated-" + SECRET),
        b -> b.gatewaySource("internal"),
        b -> b.grantType("Client_Credentials"),
        b -> b.baseUrl("https://avx2.example.com:31443/"));
    Set<String> keys = new HashSet<>();
    keys.add(configured().build().storeKey());
    for (UnaryOperator<AppViewXTokenSource.Builder> change : changes) {
      assertTrue(keys.add(change.apply(configured()).build().storeKey()), "a change left the key as it was");
    }
  }

  @Test
  void theKeyShowsNoFieldAndNoSecretInClear() {
    String key = configured().build().storeKey();
    for (String value : new String[] {"521c3ad2", SECRET, "avx.example.com", "external", "client_credentials"}) {
      assertFalse(key.contains(value.toLowerCase(Locale.ROOT)), value);
    }
  }
}
