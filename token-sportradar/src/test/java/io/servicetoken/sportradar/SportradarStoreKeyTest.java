package io.servicetoken.sportradar;

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
class SportradarStoreKeyTest {
  private static final String SECRET = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3IifQ.c2ln";

  private static SportradarTokenSource.Builder configured() {
    return SportradarTokenSource.builder().userIdentityToken(SECRET).product("videostream_manager").customerId(345);
  }

  @Test
  void theSameConfigurationGivesTheSameKey() {
    String key = configured().build().storeKey();
    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, configured().build().storeKey());
  }

  @Test
  void everyAccountFieldTheBaseUrlAndTheSecretChangeTheKey() {
    List<UnaryOperator<SportradarTokenSource.Builder>> changes = List.of(
        b -> b.userIdentityToken("rotated-" + SECRET),
        b -> b.product("other_product"),
        b -> b.customerId(346),
        b -> b.scopes("read:organization"),
        b -> b.scopes("read:organization", "write:stream"),
        b -> b.scopes("read:organizationwrite:stream"),
        b -> b.baseUrl("https://token.staging.sportradar.example/"));
    Set<String> keys = new HashSet<>();
    keys.add(configured().build().storeKey());
    for (UnaryOperator<SportradarTokenSource.Builder> change : changes) {
      assertTrue(keys.add(change.apply(configured()).build().storeKey()), "a change left the key as it was");
    }
  }

  @Test
  void theKeyShowsNoFieldAndNoSecretInClear() {
    String key = configured().build().storeKey();
    for (String value : new String[] {"videostream_manager", SECRET, "sportradar"}) {
      assertFalse(key.contains(value.toLowerCase(Locale.ROOT)), value);
    }
  }

  @Test
  void anIdentitySourceWithAKeyOfItsOwnGivesAKeyPerIdentityAccount() {
    io.servicetoken.TokenSource alice = keyed("a".repeat(64));
    io.servicetoken.TokenSource bob = keyed("b".repeat(64));
    SportradarTokenSource.Builder base = SportradarTokenSource.builder().product("videostream_manager").customerId(345);
    String aliceKey = base.userIdentityToken(alice).build().storeKey();
    assertTrue(aliceKey.matches("[0-9a-f]{64}"), aliceKey);
    assertEquals(aliceKey, base.userIdentityToken(keyed("a".repeat(64))).build().storeKey());
    assertFalse(aliceKey.equals(base.userIdentityToken(bob).build().storeKey()));
    assertFalse(aliceKey.equals(configured().build().storeKey()));
  }

  @Test
  void anIdentityThatCouldBeAnyUserHasNoKeySoAStoreNeedsAnExplicitOne() {
    io.servicetoken.TokenSource lambda = () -> io.reactivex.rxjava3.core.Single.never();
    SportradarTokenSource.Builder base = SportradarTokenSource.builder().product("videostream_manager").customerId(345);
    org.junit.jupiter.api.Assertions.assertNull(base.userIdentityToken(lambda).build().storeKey());
    try (io.servicetoken.TokenProvider sso = io.servicetoken.TokenProvider.create(lambda)) {
      org.junit.jupiter.api.Assertions.assertNull(base.userIdentityToken(sso).build().storeKey());
    }
  }

  private static io.servicetoken.TokenSource keyed(String key) {
    return new io.servicetoken.TokenSource() {
      @Override
      public io.reactivex.rxjava3.core.Single<io.servicetoken.Token> fetch() {
        return io.reactivex.rxjava3.core.Single.never();
      }

      @Override
      public String storeKey() {
        return key;
      }
    };
  }
}
