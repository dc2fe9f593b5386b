package io.servicetoken.vyopta;

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
class VyoptaStoreKeyTest {
  private static final String SECRET = "pa55-W0rd-8dk2";

  private static VyoptaTokenSource.Builder configured() {
    return VyoptaTokenSource.builder().username("alice@example.com").password(SECRET);
  }

  @Test
  void theSameConfigurationGivesTheSameKey() {
    String key = configured().build().storeKey();
    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, configured().build().storeKey());
  }

  @Test
  void everyAccountFieldTheBaseUrlAndTheSecretChangeTheKey() {
    List<UnaryOperator<VyoptaTokenSource.Builder>> changes = List.of(
        b -> b.username("bob@example.com"),
        b -> b.password("rotated-" + SECRET),
        b -> b.realm("other"),
        b -> b.clientId("other-client"),
        b -> b.scope("openid"),
        b -> b.pathPrefix(""),
        b -> b.baseUrl("https://sso.example.com/"));
    Set<String> keys = new HashSet<>();
    keys.add(configured().build().storeKey());
    for (UnaryOperator<VyoptaTokenSource.Builder> change : changes) {
      assertTrue(keys.add(change.apply(configured()).build().storeKey()), "a change left the key as it was");
    }
  }

  @Test
  void theKeyShowsNoFieldAndNoSecretInClear() {
    String key = configured().build().storeKey();
    for (String value : new String[] {"alice@example.com", "alice", SECRET, "vyopta", "login.vyopta.com"}) {
      assertFalse(key.contains(value.toLowerCase(Locale.ROOT)), value);
    }
  }
}
