package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Feeds arbitrary bytes through a vendor's real source as an HTTP answer, without a network: the app client's
 * interceptor returns a synthetic {@link Response}. Only a usable {@link Token} or a {@link TokenException} without
 * a secret may come out; anything else fails the fuzz test.
 *
 * <p>Input format, so that seeds stay readable: optionally a status line {@code HTTP <code>} and header lines
 * {@code Name: value} up to a blank line, then the body. Without a status line the status is 200 and every byte is
 * body.
 */
final class ResponseFuzzing {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final Vendor vendor;
  private final TokenSource source;
  private volatile Response.Builder next = new Response.Builder();

  ResponseFuzzing(Vendor vendor) {
    this.vendor = vendor;
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(chain -> next.request(chain.request()).build())
        .build();
    this.source = vendor.source(HttpUrl.get("http://127.0.0.1:1/"), client);
  }

  /** Runs one input through the source and checks what comes out. */
  void check(byte[] input) {
    next = parse(input);
    Token token;
    try {
      token = source.fetch().blockingGet();
    } catch (TokenException e) {
      SecretScanner.assertNoSecret(e, vendor.secrets());
      return;
    }
    assertFalse(token.value().trim().isEmpty(), "blank token");
    assertTrue(Duration.between(token.receivedAt(), token.expiresAt()).compareTo(Duration.ofSeconds(1)) >= 0,
        "token with under 1 s left");
    SecretScanner.assertNoSecret(token, vendor.secrets());
  }

  static Response.Builder parse(byte[] input) {
    int status = 200;
    Headers.Builder headers = new Headers.Builder();
    int bodyStart = 0;
    if (startsWith(input, "HTTP ")) {
      int lineEnd = indexOf(input, (byte) '\n', 0);
      String statusLine = new String(input, 5, (lineEnd < 0 ? input.length : lineEnd) - 5, StandardCharsets.UTF_8);
      status = statusCode(statusLine.trim());
      bodyStart = lineEnd < 0 ? input.length : lineEnd + 1;
      while (bodyStart < input.length) {
        int end = indexOf(input, (byte) '\n', bodyStart);
        if (end < 0) end = input.length;
        String line = new String(input, bodyStart, end - bodyStart, StandardCharsets.UTF_8);
        bodyStart = Math.min(end + 1, input.length);
        if (line.trim().isEmpty()) break;
        try {
          headers.add(line);
        } catch (IllegalArgumentException notAHeader) {
          // Not a valid header line: a real server could not have sent it either.
        }
      }
    }
    byte[] body = Arrays.copyOfRange(input, bodyStart, input.length);
    long now = System.currentTimeMillis();
    return new Response.Builder()
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message("fuzz")
        .headers(headers.build())
        .body(ResponseBody.create(body, JSON))
        .sentRequestAtMillis(now)
        .receivedResponseAtMillis(now);
  }

  private static int statusCode(String text) {
    int code = 0;
    for (int i = 0; i < text.length() && i < 3; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return 200;
      code = code * 10 + (c - '0');
    }
    return code < 100 ? 200 : code;
  }

  private static boolean startsWith(byte[] input, String prefix) {
    if (input.length < prefix.length()) return false;
    for (int i = 0; i < prefix.length(); i++) {
      if (input[i] != prefix.charAt(i)) return false;
    }
    return true;
  }

  private static int indexOf(byte[] input, byte b, int from) {
    for (int i = from; i < input.length; i++) {
      if (input[i] == b) return i;
    }
    return -1;
  }
}
