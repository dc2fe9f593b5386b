package io.servicetoken.singleview;

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
class SingleViewStoreKeyTest {
  private static final String SECRET = "zyxvw95cE163C03b7d1";

  private static SingleViewTokenSource.Builder configured() {
    return SingleViewTokenSource.builder().baseUrl("https://api.singleview.example/").clientId("abcdef83643f61c975").clientCode(SECRET).merchantId("jklmno147852qrstuv");
  }

  @Test
  void theSameConfigurationGivesTheSameKey() {
    String key = configured().build().storeKey();
    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, configured().build().storeKey());
  }

  @Test
  void everyAccountFieldTheBaseUrlAndTheSecretChangeTheKey() {
    List<UnaryOperator<SingleViewTokenSource.Builder>> changes = List.of(
        b -> b.clientId("abcdef83643f61c976"),
        b -> b.clientCode("rotated-" + SECRET),
        b -> b.merchantId("jklmno147852qrstuw"),
        b -> b.grantType("Client_Credentials"),
        b -> b.baseUrl("https://api2.singleview.example/"));
    Set<String> keys = new HashSet<>();
    keys.add(configured().build().storeKey());
    for (UnaryOperator<SingleViewTokenSource.Builder> change : changes) {
      assertTrue(keys.add(change.apply(configured()).build().storeKey()), "a change left the key as it was");
    }
  }

  @Test
  void theKeyShowsNoFieldAndNoSecretInClear() {
    String key = configured().build().storeKey();
    for (String value : new String[] {"abcdef83643f61c975", SECRET, "jklmno147852qrstuv", "singleview.example"}) {
      assertFalse(key.contains(value.toLowerCase(Locale.ROOT)), value);
    }
  }
}
