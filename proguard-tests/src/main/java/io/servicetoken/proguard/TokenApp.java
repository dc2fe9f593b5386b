package io.servicetoken.proguard;

import io.servicetoken.Token;
import io.servicetoken.TokenProvider;
import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small app on all five vendor modules, the way an app would use them: one {@link TokenProvider} per vendor,
 * one token from each. It is shrunk and obfuscated by ProGuard with only the rules the jars ship, then run.
 *
 * <p>Arguments are {@code key=value}: {@code viveport.url}, {@code appviewx.url}, {@code vyopta.url},
 * {@code singleview.url}, {@code sportradar.url} and the credentials the fakes accept (see {@code ShrunkAppTest}).
 * For each vendor it prints {@code <vendor> ok <sha-256 of the token>} (never the token itself), or {@code <vendor>
 * failed <error>}; it exits with 1 unless every vendor yielded a token.
 */
public final class TokenApp {
  private TokenApp() {}

  /**
   * Fetches one token from each vendor.
   *
   * @param args {@code key=value} pairs
   */
  public static void main(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals > 0) options.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    Map<String, TokenSource> sources = new LinkedHashMap<>();
    sources.put("viveport", ViveportTokenSource.builder()
        .baseUrl(options.get("viveport.url"))
        .appId(options.get("viveport.appId"))
        .appSecret(options.get("viveport.appSecret"))
        .build());
    sources.put("appviewx", AppViewXTokenSource.builder()
        .baseUrl(options.get("appviewx.url"))
        .clientId(options.get("appviewx.clientId"))
        .clientSecret(options.get("appviewx.clientSecret"))
        .build());
    sources.put("vyopta", VyoptaTokenSource.builder()
        .baseUrl(options.get("vyopta.url"))
        .username(options.get("vyopta.username"))
        .password(options.get("vyopta.password"))
        .build());
    sources.put("singleview", SingleViewTokenSource.builder()
        .baseUrl(options.get("singleview.url"))
        .clientId(options.get("singleview.clientId"))
        .clientCode(options.get("singleview.clientCode"))
        .merchantId(options.get("singleview.merchantId"))
        .build());
    sources.put("sportradar", SportradarTokenSource.builder()
        .baseUrl(options.get("sportradar.url"))
        .userIdentityToken(options.get("sportradar.userIdentityToken"))
        .product(options.get("sportradar.product"))
        .customerId(options.get("sportradar.customerId"))
        .build());

    int failures = 0;
    for (Map.Entry<String, TokenSource> entry : sources.entrySet()) {
      try (TokenProvider provider = TokenProvider.create(entry.getValue())) {
        Token token = provider.token().timeout(10, TimeUnit.SECONDS).blockingGet();
        System.out.println(entry.getKey() + " ok " + sha256(token.value()));
      } catch (RuntimeException e) {
        failures++;
        System.out.println(entry.getKey() + " failed " + e);
        e.printStackTrace(System.out);
      }
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  static String sha256(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(digest.length * 2);
      for (byte b : digest) hex.append(String.format("%02x", b));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
