package io.servicetoken.reliability;

import io.servicetoken.CredentialsRejectedException;
import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.MalformedTokenResponseException;
import io.servicetoken.TokenException;
import io.servicetoken.TokenServiceException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import okio.Buffer;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The faults a real token endpoint produces, each with what a user may rely on: the {@link TokenException} subclass
 * (or, with none, a token and the lifetime it must get), whether it is retryable, and how long the call may take.
 * docs/RELIABILITY.md prints this table.
 */
enum Fault {
  STATUS_400("HTTP 400", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 400));
    }
  },
  STATUS_401("HTTP 401", CredentialsRejectedException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 401));
    }
  },
  STATUS_403("HTTP 403", CredentialsRejectedException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 403));
    }
  },
  STATUS_404("HTTP 404", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 404));
    }
  },
  /** OkHttp itself repeats a request once after a 408, so the server answers 408 twice. */
  STATUS_408("HTTP 408 (twice: OkHttp repeats once)", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      List<MockResponse> twice = new ArrayList<>();
      twice.add(error(vendor, 408));
      twice.add(error(vendor, 408));
      return twice;
    }
  },
  STATUS_429("HTTP 429 with Retry-After: 1", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 429).setHeader("Retry-After", "1"));
    }
  },
  STATUS_500("HTTP 500", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 500));
    }
  },
  STATUS_502("HTTP 502", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 502));
    }
  },
  STATUS_503("HTTP 503", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 503));
    }
  },
  STATUS_504("HTTP 504", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 504));
    }
  },
  HTML_BODY("200 with an HTML page", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setHeader("Content-Type", "text/html").setBody(HTML));
    }
  },
  HTML_ERROR_PAGE("502 with a proxy's HTML page", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html").setBody(HTML));
    }
  },
  EMPTY_BODY("200 with an empty body", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(""));
    }
  },
  TRUNCATED_JSON("200 with truncated JSON", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String healthy = vendor.healthy("truncated-token-value");
      return one(json(healthy.substring(0, healthy.length() / 2)));
    }
  },
  WRONG_TYPES("200 with an object where the token string belongs", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("{\"value\": [1, 2, 3]}")));
    }
  },
  MISSING_TOKEN("200 without the token field", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.bodyWithoutToken()));
    }
  },
  BLANK_TOKEN("200 with a blank token", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("\" \\t \"")));
    }
  },
  HUGE_SUCCESS_BODY("200 with a 10 MB body", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.body("\"" + TEN_MB + "\"")));
    }
  },
  HUGE_ERROR_BODY("500 with a 10 MB body", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json("{\"message\": \"" + TEN_MB + "\"}").setResponseCode(500));
    }
  },
  DISCONNECT_AT_START("connection dropped before the response", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    }
  },
  DISCONNECT_DURING_BODY("connection dropped in the middle of the body", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy("cut-off-token-value"))
          .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    }
  },
  NO_RESPONSE("server never answers (client read timeout 500 ms)", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    }

    @Override
    long boundMillis() {
      return 2_000;
    }
  },
  REDIRECT_302("302 to another host (not followed)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(302).setHeader("Location", servers.elsewhere.url("/steal")));
    }
  },
  REDIRECT_307("307 to another host (not followed)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(new MockResponse().setResponseCode(307).setHeader("Location", servers.elsewhere.url("/steal")));
    }
  },
  TLS_UNTRUSTED("TLS, certificate the client does not trust", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy("never-delivered")));
    }
  },
  TLS_TRUSTED("TLS, trusted certificate", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy(TLS_TOKEN)));
    }
  },

  // Issue 16.2: a server echoes the secret in every spelling, in the error code, across the cut; forges log lines.

  ECHO_FORM_ENCODED("400 echoing the secret form-encoded (+ for space)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return echo(vendor, URLEncoder.encode(vendor.secret, StandardCharsets.UTF_8));
    }
  },
  ECHO_PERCENT_LOWER_CASE("400 echoing the secret percent-encoded in lower-case hex", InvalidTokenRequestException.class,
      false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      StringBuilder encoded = new StringBuilder();
      for (byte b : vendor.secret.getBytes(StandardCharsets.UTF_8)) encoded.append(String.format("%%%02x", b & 0xff));
      return echo(vendor, encoded.toString());
    }
  },
  ECHO_JSON_UNICODE("400 echoing the secret as JSON \\uXXXX escapes", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      StringBuilder escaped = new StringBuilder();
      for (char c : vendor.secret.toCharArray()) escaped.append(String.format("\\u%04X", (int) c));
      return echo(vendor, escaped.toString());
    }
  },
  ECHO_HTML_NAMED("400 echoing the secret with HTML named entities", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String html = vendor.secret.replace("&", "&amp;").replace("\"", "&quot;").replace("/", "&sol;")
          .replace("+", "&plus;").replace(":", "&colon;").replace("=", "&equals;").replace("!", "&excl;")
          .replace("-", "&#45;").replace(".", "&period;");
      return echo(vendor, html);
    }
  },
  ECHO_HTML_NUMERIC("400 echoing the secret as HTML numeric character references", InvalidTokenRequestException.class,
      false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      StringBuilder html = new StringBuilder();
      for (char c : vendor.secret.toCharArray()) html.append(c % 2 == 0 ? "&#" + (int) c + ";" : "&#x" + Integer.toHexString(c) + ";");
      return echo(vendor, html.toString());
    }
  },
  ECHO_SPLIT_ACROSS_LINES("400 echoing the secret split across lines", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String secret = vendor.secret;
      int third = secret.length() / 3;
      return echo(vendor,
          secret.substring(0, third) + "\r\n" + secret.substring(third, 2 * third) + "\n    " + secret.substring(2 * third));
    }
  },
  ECHO_BASE64_BASIC("400 echoing the Basic credentials' base64 (AppViewX)", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return echo(vendor, "Basic " + vendor.basic());
    }

    @Override
    boolean appliesTo(Vendor vendor) {
      return vendor.basic() != null;
    }
  },
  ECHO_BASE64_MIME("400 echoing the Basic credentials' base64 MIME-wrapped (AppViewX)", InvalidTokenRequestException.class,
      false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      byte[] credentials = Base64.getDecoder().decode(vendor.basic());
      return echo(vendor, Base64.getMimeEncoder(16, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(credentials));
    }

    @Override
    boolean appliesTo(Vendor vendor) {
      return vendor.basic() != null;
    }
  },
  ECHO_IN_ERROR_CODE("400 whose error code is the secret", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.errorBody(400, "request refused", vendor.secret)).setResponseCode(400));
    }
  },
  ECHO_STRADDLING_THE_CUT("400 echoing the secret where a message is cut (300 chars)", InvalidTokenRequestException.class,
      false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String padding = repeat('x', 290 - vendor.echo("").indexOf("  "));
      return echo(vendor, padding + vendor.secret + " and the rest of a long explanation");
    }
  },
  LOG_FORGING("400 with CR, LF, ESC and NEL in message and error code", InvalidTokenRequestException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String forged = "denied\r\n2026-11-22T10:15:30Z INFO token issued\u001b[2K\u0085\u2028done";
      return one(json(vendor.errorBody(400, forged, "E1\r\nINFO forged")).setResponseCode(400));
    }
  },

  // Issue 16.2: parser messages quote values; issue 16.4: tokens that would crash the app's request later.

  TOKEN_IN_A_NUMBER_FIELD("200 with the issued token where a number belongs", MalformedTokenResponseException.class,
      false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.bodyWithNumberField(ISSUED_TOKEN, Vendor.json(ISSUED_TOKEN))));
    }

    @Override
    boolean appliesTo(Vendor vendor) {
      return vendor.hasNumberField();
    }
  },
  HUGE_NUMBER_FIELD("200 with a 900 kB string where a number belongs", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.bodyWithNumberField(ISSUED_TOKEN, Vendor.json("9" + repeat('8', 900 * 1024)))));
    }

    @Override
    boolean appliesTo(Vendor vendor) {
      return vendor.hasNumberField();
    }
  },
  TOKEN_WITH_CONTROL_CHARACTERS("200 with CR, LF and ESC in the token", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      // AppViewX strips whitespace from its token (documented), so the ESC is what must refuse it there.
      return one(json(vendor.healthy("tok\r\nX-Injected: 1\u001b[0m-en")));
    }
  },
  TOKEN_NOT_ASCII("200 with non-ASCII characters in the token", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(json(vendor.healthy("t\u00f6k\u00e9n-value")));
    }
  },
  TOKEN_INVALID_UTF8("200 with invalid UTF-8 in the token", MalformedTokenResponseException.class, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      String body = vendor.healthy("token-MARK-value");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      Buffer buffer = new Buffer();
      int mark = body.indexOf("MARK");
      buffer.write(bytes, 0, mark).writeByte(0xC3).writeByte(0x28).write(bytes, mark + 4, bytes.length - mark - 4);
      return one(new MockResponse().setHeader("Content-Type", "application/json").setBody(buffer));
    }
  },

  // Issue 15 item 4.

  RETRY_AFTER_PAST_2_POW_31("503 with Retry-After: 99999999999", TokenServiceException.class, true) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return one(error(vendor, 503).setHeader("Retry-After", "99999999999"));
    }

    @Override
    Duration providerAdvance() {
      return Duration.ofHours(3); // past the capped hour the provider honours
    }

    @Override
    boolean callerMayFailFirst() {
      return true;
    }
  },

  // Issue 16.3: the issuer's clock is right; a proxy's Date header is not, or the token is reused.

  CLOCK_DATE_NINE_YEARS_OLD("Date header 9 years old, token for 1 h", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return issued(vendor, NOW.get(), 3600, NOW.get().minus(Duration.ofDays(9 * 365)));
    }

    @Override
    @Nullable Duration lifetime() {
      return Duration.ofHours(1);
    }
  },
  CLOCK_DATE_A_YEAR_AHEAD("Date header a year ahead, token for 1 h", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return issued(vendor, NOW.get(), 3600, NOW.get().plus(Duration.ofDays(365)));
    }

    @Override
    @Nullable Duration lifetime() {
      return Duration.ofHours(1);
    }
  },
  CLOCK_DATE_301_SECONDS_AHEAD("Date header 301 s ahead, token for 300 s", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      return issued(vendor, NOW.get(), 300, NOW.get().plusSeconds(301));
    }

    @Override
    @Nullable Duration lifetime() {
      return Duration.ofSeconds(300);
    }
  },
  CLOCK_REUSED_TOKEN("token issued 50 min ago, exp in 10 min, no Date header", null, false) {
    @Override
    List<MockResponse> responses(Vendor vendor, Servers servers) {
      Instant now = NOW.get();
      Instant exp = now.plusSeconds(600);
      String token = jwt(now.minusSeconds(3000), exp);
      return one(json(vendor.issued(token, exp, 600)));
    }

    @Override
    @Nullable Duration lifetime() {
      return Duration.ofMinutes(10);
    }
  };

  static final String TLS_TOKEN = "tls-token-value";

  /** A token an endpoint issued, which a parser's message must not quote. */
  static final String ISSUED_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpc3N1ZWQifQ.Qm9ndXNTaWduYXR1cmVWYWx1ZQ";

  /** The issuer's "now", in whole seconds (JWT claims are whole seconds). */
  private static final Supplier<Instant> NOW = () -> Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  static final String HTML =
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

  static final String TEN_MB = repeat('a', 10 * 1024 * 1024);

  final String description;
  final @Nullable Class<? extends TokenException> expected;
  final boolean retryable;

  Fault(String description, @Nullable Class<? extends TokenException> expected, boolean retryable) {
    this.description = description;
    this.expected = expected;
    this.retryable = retryable;
  }

  /** What the server answers, in order, to the one call under test. */
  abstract List<MockResponse> responses(Vendor vendor, Servers servers);

  /** How long the call may take at most. */
  long boundMillis() {
    return 5_000;
  }

  /** Whether the fault exists for {@code vendor} (Basic credentials only for AppViewX). */
  boolean appliesTo(Vendor vendor) {
    return true;
  }

  /** For a fault that yields a token: the lifetime it must get, within a few seconds below; else null. */
  @Nullable Duration lifetime() {
    return null;
  }

  /**
   * Whether a provider may hand the first caller the error rather than keep it waiting for a retry (a retryable fault
   * that asks for an hour's pause); recovery is then checked on the next call after {@link #providerAdvance()}.
   */
  boolean callerMayFailFirst() {
    return false;
  }

  /** How far the provider's virtual clock runs before the recovery is checked. */
  Duration providerAdvance() {
    return Duration.ofMinutes(1);
  }

  boolean tls() {
    return this == TLS_UNTRUSTED || this == TLS_TRUSTED;
  }

  boolean redirect() {
    return this == REDIRECT_302 || this == REDIRECT_307;
  }

  /** The servers a case runs against: the token endpoint, and another host a redirect points to. */
  static final class Servers {
    final MockWebServer endpoint;
    final MockWebServer elsewhere;

    Servers(MockWebServer endpoint, MockWebServer elsewhere) {
      this.endpoint = endpoint;
      this.elsewhere = elsewhere;
    }
  }

  static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse error(Vendor vendor, int status) {
    return json(vendor.errorBody(status)).setResponseCode(status);
  }

  /** A 400 whose message quotes {@code spelling} (of the secret) the vendor's way. */
  static List<MockResponse> echo(Vendor vendor, String spelling) {
    return one(json(vendor.errorBody(400, vendor.echo(spelling), null)).setResponseCode(400));
  }

  /**
   * A JWT issued at {@code issuedAt} for {@code seconds}, in the vendor's success shape, behind a proxy whose {@code
   * Date} header says {@code proxyDate}.
   */
  static List<MockResponse> issued(Vendor vendor, Instant issuedAt, long seconds, Instant proxyDate) {
    Instant exp = issuedAt.plusSeconds(seconds);
    return one(json(vendor.issued(jwt(issuedAt, exp), exp, seconds)).setHeader("Date", HTTP_DATE.format(proxyDate)));
  }

  /** An unsigned-looking JWT with {@code iat} and {@code exp}. */
  static String jwt(Instant issuedAt, Instant expiresAt) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + encoder.encodeToString(("{\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond()
            + "}").getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  private static List<MockResponse> one(MockResponse response) {
    return Collections.singletonList(response);
  }

  private static String repeat(char c, int count) {
    char[] chars = new char[count];
    java.util.Arrays.fill(chars, c);
    return new String(chars);
  }
}
