package io.servicetoken.reliability;

import io.servicetoken.TokenSource;
import io.servicetoken.appviewx.AppViewXTokenSource;
import io.servicetoken.singleview.SingleViewTokenSource;
import io.servicetoken.sportradar.SportradarTokenSource;
import io.servicetoken.viveport.ViveportTokenSource;
import io.servicetoken.vyopta.VyoptaTokenSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The adapter table of the reliability suite: for each vendor, how to build its source against a base URL with known
 * secrets, and the wire shapes of a healthy answer, of a broken one and of an error (taken from each module's tests
 * and fake, which follow the vendor docs). The secrets contain characters that need escaping, so that a leak in an
 * encoded spelling is caught too.
 */
enum Vendor {
  VIVEPORT("vp+S3cr3t/Viveport=app&secret") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return ViveportTokenSource.builder()
          .baseUrl(baseUrl.toString()).appId("ReliabilityApp").appSecret(secret).client(client).build();
    }

    @Override
    String[] secrets() {
      return new String[] {secret, queryEncoded(secret)};
    }

    @Override
    String body(String tokenJson) {
      return "{\"serviceToken\": " + tokenJson + ", \"expire\": " + inOneHour() + "}";
    }

    @Override
    String bodyWithoutToken() {
      return "{\"expire\": " + inOneHour() + "}";
    }

    @Override
    String errorBody(int status) {
      return "{\"code\": " + status + ", \"message\": \"appSecret " + secret + " refused\"}";
    }
  },

  APPVIEWX("avx-S3cr3t:with:colons+Plus") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return AppViewXTokenSource.builder()
          .baseUrl(baseUrl.toString()).clientId("reliability-client").clientSecret(secret).client(client).build();
    }

    @Override
    String[] secrets() {
      String basic = Base64.getEncoder()
          .encodeToString(("reliability-client:" + secret).getBytes(StandardCharsets.UTF_8));
      return new String[] {secret, basic};
    }

    @Override
    String body(String tokenJson) {
      return "{\"response\": " + tokenJson + ", \"message\": null, \"appStatusCode\": null, \"tags\": {},"
          + " \"headers\": null}";
    }

    @Override
    String bodyWithoutToken() {
      return "{\"message\": null, \"appStatusCode\": null, \"tags\": {}, \"headers\": null}";
    }

    @Override
    String errorBody(int status) {
      // avx-common-011 is AppViewX's generic failure: it must not turn a status into a credentials error.
      return "{\"response\": null, \"message\": \"client secret " + secret + " :: failed\","
          + " \"appStatusCode\": \"avx-common-011\", \"tags\": {}, \"headers\": null}";
    }
  },

  VYOPTA("vy0pta-Passw0rd!\"quoted\"") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return VyoptaTokenSource.builder()
          .baseUrl(baseUrl.toString()).username("alice@example.com").password(secret).client(client).build();
    }

    @Override
    String body(String tokenJson) {
      return "{\"access_token\": " + tokenJson + ", \"expires_in\": 300, \"refresh_expires_in\": 1800,"
          + " \"token_type\": \"bearer\", \"not-before-policy\": 1533920635, \"scope\": \"email profile\"}";
    }

    @Override
    String bodyWithoutToken() {
      return "{\"expires_in\": 300, \"token_type\": \"bearer\"}";
    }

    @Override
    String errorBody(int status) {
      // invalid_request is not a credentials code: the status alone must classify.
      return "{\"error\": \"invalid_request\", \"error_description\": \"password "
          + secret.replace("\"", "\\\"") + " rejected\"}";
    }
  },

  SINGLEVIEW("zyxvw95cE163C03b7d1-SingleViewCode") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return SingleViewTokenSource.builder()
          .baseUrl(baseUrl.toString()).clientId("abcdef83643f61c975").clientCode(secret)
          .merchantId("jklmno147852qrstuv").client(client).build();
    }

    @Override
    String body(String tokenJson) {
      return "{\"success\": true, \"payload\": {\"access_token\": " + tokenJson + ", \"token_type\": \"Bearer\","
          + " \"expires_in\": 3600}}";
    }

    @Override
    String bodyWithoutToken() {
      return "{\"success\": true, \"payload\": {\"token_type\": \"Bearer\", \"expires_in\": 3600}}";
    }

    @Override
    String errorBody(int status) {
      return "{\"success\": false, \"message\": \"clientCode " + secret + " failed\"}";
    }
  },

  SPORTRADAR("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfcmVsaWFiaWxpdHkifQ.identity-Secret") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return SportradarTokenSource.builder()
          .baseUrl(baseUrl.toString()).userIdentityToken(secret).product("videostream_manager").customerId(345)
          .client(client).build();
    }

    @Override
    String body(String tokenJson) {
      return "{\"data\": {\"token\": " + tokenJson + ", \"tokenType\": \"bearer\", \"expiresIn\": 3600},"
          + " \"meta\": {\"code\": 200, \"version\": 1}}";
    }

    @Override
    String bodyWithoutToken() {
      return "{\"data\": {\"tokenType\": \"bearer\", \"expiresIn\": 3600}, \"meta\": {\"code\": 200}}";
    }

    @Override
    String errorBody(int status) {
      return "{\"data\": {\"message\": \"identity token " + secret + " failed\"},"
          + " \"meta\": {\"code\": " + status + "}}";
    }
  };

  /** The secret the source is built with. */
  final String secret;

  Vendor(String secret) {
    this.secret = Objects.requireNonNull(secret);
  }

  /** The vendor's source on {@code baseUrl}, derived from {@code client}, with {@link #secret}. */
  abstract TokenSource source(HttpUrl baseUrl, OkHttpClient client);

  /** Every spelling of the secret that must never be printed. */
  String[] secrets() {
    return new String[] {secret};
  }

  /** A 200 body in the vendor's success shape with {@code tokenJson} (a JSON literal) as the token. */
  abstract String body(String tokenJson);

  /** A 200 body in the vendor's success shape without the token field. */
  abstract String bodyWithoutToken();

  /** An error body in the vendor's shape that echoes the secret, as careless servers do. */
  abstract String errorBody(int status);

  /** A healthy 200 body carrying {@code token}. */
  String healthy(String token) {
    return body("\"" + token + "\"");
  }

  static long inOneHour() {
    return Instant.now().plusSeconds(3600).getEpochSecond();
  }

  /** {@code value} as Retrofit's {@code @Query} puts it on the wire. */
  static String queryEncoded(String value) {
    HttpUrl url = new HttpUrl.Builder().scheme("https").host("example.com").addQueryParameter("q", value).build();
    return Objects.requireNonNull(url.encodedQuery()).substring("q=".length());
  }
}
