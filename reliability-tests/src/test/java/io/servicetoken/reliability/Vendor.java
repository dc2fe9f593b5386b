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
import org.jspecify.annotations.Nullable;

/**
 * The adapter table of the reliability suite: for each vendor, how to build its source against a base URL with known
 * secrets, and the wire shapes of a healthy answer, of a broken one and of an error (taken from each module's tests
 * and fake, which follow the vendor docs). The secrets contain characters that need escaping, so that a leak in an
 * encoded spelling is caught too, and share no six characters with a vendor's name, the words of a message or the
 * first six characters of an issued JWT (any run of six counts as a leak).
 */
enum Vendor {
  VIVEPORT("vp+S3cr3t/V1vep0rt=app&s3cr3t") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return ViveportTokenSource.builder()
          .baseUrl(baseUrl.toString()).appId("ReliabilityApp").appSecret(secret).client(client).build();
    }

    @Override
    String[] secrets() {
      // One spelling is enough: SecretScanner reads text percent-decoded too, so the query-encoded appSecret in a URL
      // is caught as the secret itself. Passing that spelling as a secret of its own would count six characters of
      // it ("r3t%2F", four characters of the secret) as a leak, which Redaction rightly does not scrub.
      return new String[] {secret};
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
    String bodyWithNumberField(String token, String valueJson) {
      return "{\"serviceToken\": " + json(token) + ", \"expire\": " + valueJson + "}";
    }

    @Override
    String issued(String token, Instant expiresAt, long expiresInSeconds) {
      return "{\"serviceToken\": " + json(token) + ", \"expire\": " + expiresAt.getEpochSecond() + "}";
    }

    @Override
    String errorBody(int status, String message, @Nullable String code) {
      return "{\"code\": " + (code == null ? Integer.toString(status) : json(code)) + ", \"message\": "
          + json(message) + "}";
    }

    @Override
    String echo(String secretSpelling) {
      return "appSecret " + secretSpelling + " refused";
    }
  },

  APPVIEWX("avx-S3cr3t:w1th:c0l0ns+Plus") {
    @Override
    TokenSource source(HttpUrl baseUrl, OkHttpClient client) {
      return AppViewXTokenSource.builder()
          .baseUrl(baseUrl.toString()).clientId(CLIENT_ID).clientSecret(secret).client(client).build();
    }

    @Override
    String[] secrets() {
      return new String[] {secret, basic()};
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
    String bodyWithNumberField(String token, String valueJson) {
      // The envelope has no number: the value goes where an object belongs.
      return "{\"response\": " + json(token) + ", \"message\": null, \"appStatusCode\": null, \"tags\": " + valueJson
          + ", \"headers\": null}";
    }

    @Override
    String issued(String token, Instant expiresAt, long expiresInSeconds) {
      return body(json(token)); // AppViewX states no expiry: the JWT's claims do
    }

    @Override
    String errorBody(int status, String message, @Nullable String code) {
      // avx-common-011 is AppViewX's generic failure: it must not turn a status into a credentials error.
      return "{\"response\": null, \"message\": " + json(message) + ", \"appStatusCode\": "
          + json(code == null ? "avx-common-011" : code) + ", \"tags\": {}, \"headers\": null}";
    }

    @Override
    String echo(String secretSpelling) {
      return "client secret " + secretSpelling + " :: failed";
    }

    @Override
    @Nullable String basic() {
      return Base64.getEncoder().encodeToString((CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
  },

  VYOPTA("vy0pta-Passw0rd!\"qu0ted\"") {
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
    String bodyWithNumberField(String token, String valueJson) {
      return "{\"access_token\": " + json(token) + ", \"expires_in\": " + valueJson + ", \"token_type\": \"bearer\"}";
    }

    @Override
    String issued(String token, Instant expiresAt, long expiresInSeconds) {
      return "{\"access_token\": " + json(token) + ", \"expires_in\": " + expiresInSeconds
          + ", \"token_type\": \"bearer\"}";
    }

    @Override
    String errorBody(int status, String message, @Nullable String code) {
      // invalid_request is not a credentials code: the status alone must classify.
      return "{\"error\": " + json(code == null ? "invalid_request" : code) + ", \"error_description\": "
          + json(message) + "}";
    }

    @Override
    String echo(String secretSpelling) {
      return "password " + secretSpelling + " rejected";
    }
  },

  SINGLEVIEW("zyxvw95cE163C03b7d1-Sv1ewC0de") {
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
    String bodyWithNumberField(String token, String valueJson) {
      return "{\"success\": true, \"payload\": {\"access_token\": " + json(token) + ", \"token_type\": \"Bearer\","
          + " \"expires_in\": " + valueJson + "}}";
    }

    @Override
    String issued(String token, Instant expiresAt, long expiresInSeconds) {
      return "{\"success\": true, \"payload\": {\"access_token\": " + json(token) + ", \"token_type\": \"Bearer\","
          + " \"expires_in\": " + expiresInSeconds + "}}";
    }

    @Override
    String errorBody(int status, String message, @Nullable String code) {
      return "{\"success\": false, \"message\": " + json(message)
          + (code == null ? "" : ", \"errorCode\": " + json(code)) + "}";
    }

    @Override
    String echo(String secretSpelling) {
      return "clientCode " + secretSpelling + " failed";
    }
  },

  SPORTRADAR("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfcmVsaWFiaWxpdHkifQ.1dNt1ty-S3cr3t") {
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
    String bodyWithNumberField(String token, String valueJson) {
      return "{\"data\": {\"token\": " + json(token) + ", \"tokenType\": \"bearer\", \"expiresIn\": " + valueJson
          + "}, \"meta\": {\"code\": 200}}";
    }

    @Override
    String issued(String token, Instant expiresAt, long expiresInSeconds) {
      return "{\"data\": {\"token\": " + json(token) + ", \"tokenType\": \"bearer\", \"expiresIn\": "
          + expiresInSeconds + "}, \"meta\": {\"code\": 200}}";
    }

    @Override
    String errorBody(int status, String message, @Nullable String code) {
      return "{\"data\": {\"message\": " + json(message) + "}, \"meta\": {\"code\": "
          + (code == null ? Integer.toString(status) : json(code)) + "}}";
    }

    @Override
    String echo(String secretSpelling) {
      return "identity token " + secretSpelling + " failed";
    }
  };

  static final String CLIENT_ID = "reliability-client";

  /** The secret the source is built with. */
  final String secret;

  Vendor(String secret) {
    this.secret = Objects.requireNonNull(secret);
  }

  /** The vendor's source on {@code baseUrl}, derived from {@code client}, with {@link #secret}. */
  abstract TokenSource source(HttpUrl baseUrl, OkHttpClient client);

  /** Every spelling of the secret that must never be printed (besides those SecretScanner decodes itself). */
  String[] secrets() {
    return new String[] {secret};
  }

  /** A 200 body in the vendor's success shape with {@code tokenJson} (a JSON literal) as the token. */
  abstract String body(String tokenJson);

  /** A 200 body in the vendor's success shape without the token field. */
  abstract String bodyWithoutToken();

  /** A 200 body with {@code token}, and {@code valueJson} where the vendor's number (its expiry) belongs. */
  abstract String bodyWithNumberField(String token, String valueJson);

  /**
   * A 200 body with {@code token}, stating its expiry the vendor's way: {@code expiresAt} on the issuer's clock
   * (VIVEPORT's {@code expire}), or {@code expiresInSeconds} (the others; AppViewX states none, its JWT does).
   */
  abstract String issued(String token, Instant expiresAt, long expiresInSeconds);

  /** An error body in the vendor's shape with {@code message} and {@code code} (null: the vendor's usual one). */
  abstract String errorBody(int status, String message, @Nullable String code);

  /** A message that quotes {@code secretSpelling}, as a careless server words it. */
  abstract String echo(String secretSpelling);

  /** Whether the success body has a number (the expiry) that Moshi parses; AppViewX's envelope has none. */
  boolean hasNumberField() {
    return this != APPVIEWX;
  }

  /** The base64 of the Basic credentials the source sends, when it sends any. */
  @Nullable String basic() {
    return null;
  }

  /** An error body in the vendor's shape that echoes the secret, as careless servers do. */
  String errorBody(int status) {
    return errorBody(status, echo(secret), null);
  }

  /** A healthy 200 body carrying {@code token}. */
  String healthy(String token) {
    return body(json(token));
  }

  static long inOneHour() {
    return Instant.now().plusSeconds(3600).getEpochSecond();
  }

  /** {@code value} as a JSON string literal: quotes, backslashes and control characters escaped, nothing else. */
  static String json(String value) {
    StringBuilder result = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        result.append('\\').append(c);
      } else if (c < 0x20) {
        result.append(String.format("\\u%04x", (int) c));
      } else {
        result.append(c);
      }
    }
    return result.append('"').toString();
  }
}
