package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.testing.SecretScanner;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A source's {@code toString()} shows its account fields, which come from configuration an attacker may influence (an
 * environment variable, a tenant's settings): CR, LF, ESC, NEL and bidi controls in them must not forge a log line.
 */
class SourceToStringTest {
  private static final String FORGED = "x\r\n2026-11-22 INFO login ok\u001b[2K\u0085\u202E";
  private static final String SECRET = "Zk7-s3cr3t-Qw9x";

  @Test
  void controlCharactersInBuilderFieldsAreEscapedInEveryVendorsToString() {
    List<TokenSource> sources = List.of(
        ViveportTokenSource.builder().appId(FORGED).appSecret(SECRET).build(),
        AppViewXTokenSource.builder().baseUrl("https://avx.example/").clientId(FORGED).clientSecret(SECRET)
            .gatewaySource(FORGED).grantType(FORGED).build(),
        VyoptaTokenSource.builder().username(FORGED).password(SECRET).clientId(FORGED).realm(FORGED).scope(FORGED)
            .build(),
        SingleViewTokenSource.builder().baseUrl("https://sv.example/").clientId(FORGED).clientCode(SECRET)
            .merchantId(FORGED).grantType(FORGED).build(),
        SportradarTokenSource.builder().userIdentityToken(SECRET).product(FORGED).customerId(FORGED)
            .scopes(FORGED).build());
    for (TokenSource source : sources) {
      SecretScanner.assertPrintable(source);
      SecretScanner.assertNoSecret(source, SECRET);
      assertTrue(source.toString().contains("x\\r\\n2026-11-22 INFO login ok\\u001B[2K\\u0085\\u202E"), source.toString());
    }
    ViveportTokenSource.Builder builder = ViveportTokenSource.builder().appId(FORGED);
    SecretScanner.assertPrintable(builder);
  }

  @Test
  void sportradarWithoutScopesDoesNotPrintScopesNull() {
    String printed = SportradarTokenSource.builder().userIdentityToken(SECRET).product("videostream_manager")
        .customerId(345).build().toString();
    assertFalse(printed.contains("scopes"), printed);
  }
}
