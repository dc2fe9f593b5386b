package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.Token;
import io.servicetoken.TokenException;
import io.servicetoken.TokenSource;
import io.servicetoken.testing.SecretScanner;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * Feeds arbitrary bytes through a vendor's real source as an HTTP answer from a loopback {@link MockWebServer}. Only
 * a usable {@link Token} or a {@link TokenException} without a secret may come out; anything else fails the fuzz
 * test.
 *
 * <p>The answer goes over a real connection because a token request drops the app client's interceptors (issue 16):
 * an interceptor returning a synthetic response never sees a token request, and the source would only ever meet a
 * refused connection. The framing headers ({@code Content-Length}, {@code Transfer-Encoding}) are the server's, not
 * the input's: what is fuzzed is a vendor module's reading of an answer, not OkHttp's HTTP/1.1 parser, and a lying
 * length would only make the client wait for its read timeout.
 *
 * <p>Input format, so that seeds stay readable: optionally a status line {@code HTTP <code>} and header lines
 * {@code Name: value} up to a blank line, then the body. Without a status line the status is 200 and every byte is
 * body. An informational status (1xx) is not a final answer and becomes 200.
 */
final class ResponseFuzzing implements Closeable {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Vendor vendor;
  private final MockWebServer server = new MockWebServer();
  private final TokenSource source;
  private volatile MockResponse next = new MockResponse();

  ResponseFuzzing(Vendor vendor) {
    this.vendor = vendor;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return next;
      }
    });
    server.setServerSocketFactory(new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
      }

      @Override
      public ServerSocket createServerSocket(int port) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
        throw new UnsupportedOperationException();
      }
    });
    try {
      server.start(LOOPBACK, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A short read timeout bounds an input the client cannot frame; the token client keeps the app's timeouts.
    OkHttpClient client = new OkHttpClient.Builder()
        .readTimeout(2, TimeUnit.SECONDS)
        .build();
    // By address, not server.url(..): MockWebServer's host name is a reverse lookup, over a second per server here.
    HttpUrl baseUrl = new HttpUrl.Builder().scheme("http").host(LOOPBACK.getHostAddress()).port(server.getPort())
        .build();
    this.source = vendor.source(baseUrl, client);
  }

  /** Whether a connection to {@code host}:{@code port} is one of this harness's own (for Jazzer's SSRF detector). */
  boolean isServer(String host, int port) {
    return port == server.getPort() && (host.equals(LOOPBACK.getHostAddress()) || host.equals("localhost"));
  }

  /** How many requests the server has answered. */
  int requestCount() {
    return server.getRequestCount();
  }

  /**
   * Runs one input through the source and checks what comes out: the token, or null when the source answered with a
   * typed error.
   */
  @Nullable Token check(byte[] input) {
    next = parse(input);
    Token token;
    try {
      token = source.fetch().blockingGet();
    } catch (TokenException e) {
      SecretScanner.assertNoSecret(e, vendor.secrets());
      return null;
    }
    assertFalse(token.value().trim().isEmpty(), "blank token");
    assertTrue(Duration.between(token.receivedAt(), token.expiresAt()).compareTo(Duration.ofSeconds(1)) >= 0,
        "token with under 1 s left");
    SecretScanner.assertNoSecret(token, vendor.secrets());
    return token;
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }

  static MockResponse parse(byte[] input) {
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
    headers.removeAll("Content-Length").removeAll("Transfer-Encoding");
    if (headers.get("Content-Type") == null) headers.add("Content-Type", JSON.toString());
    Buffer body = new Buffer().write(input, bodyStart, input.length - bodyStart);
    return new MockResponse()
        .setResponseCode(status)
        .setHeaders(headers.build())
        .setBody(body);
  }

  private static int statusCode(String text) {
    int code = 0;
    for (int i = 0; i < text.length() && i < 3; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return 200;
      code = code * 10 + (c - '0');
    }
    return code < 200 ? 200 : code;
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

  /**
   * Server sockets whose connections send without Nagle's algorithm: MockWebServer writes an answer's head and body
   * separately, and the body otherwise waits for the client's delayed ACK (about 40 ms on Linux), which held the
   * fuzzer to some 30 inputs a second.
   */
  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {}

    @Override
    public Socket accept() throws IOException {
      Socket socket = super.accept();
      socket.setTcpNoDelay(true);
      return socket;
    }
  }
}
