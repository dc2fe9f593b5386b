package io.servicetoken.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.servicetoken.InvalidTokenRequestException;
import io.servicetoken.TokenException;
import io.servicetoken.testing.SecretScanner;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SecretScanner}, the helper users' own tests rely on, catches every leak the SDK guards against. */
class SecretScannerTest {
  private static final String SECRET = "Zq8 w/+x&\"y%3Dé";

  static Stream<String> echoes() {
    String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    StringBuilder json = new StringBuilder();
    StringBuilder html = new StringBuilder();
    for (char c : SECRET.toCharArray()) {
      json.append(String.format("\\u%04x", (int) c));
      html.append("&#").append((int) c).append(';');
    }
    return Stream.of(
        SECRET,
        form,
        form.toLowerCase(),
        json.toString(),
        html.toString(),
        SECRET.replace("&", "&amp;").replace("\"", "&quot;"),
        SECRET.replace("/", "\\/").replace("\"", "\\\""),
        SECRET.substring(0, 5) + "\r\n" + SECRET.substring(5),
        SECRET.substring(4, 12));
  }

  @ParameterizedTest
  @MethodSource("echoes")
  void everySpellingOfASecretInAMessageIsALeak(String echo) {
    IOException e = new IOException("server said " + echo + " is wrong");
    assertThrows(AssertionError.class, () -> SecretScanner.assertNoSecret(e, SECRET));
  }

  @Test
  void aSecretInAnErrorCodeOnlyIsALeak() {
    TokenException e = new InvalidTokenRequestException("refused", "custom", 400, "bad:" + SECRET, null);
    List<String> leaks = SecretScanner.findLeaks(e, SECRET);
    assertEquals(1, leaks.size(), leaks.toString());
    assertTrue(leaks.get(0).contains("errorCode()"), leaks.get(0));
  }

  @Test
  void aSecretInASuppressedExceptionOfACauseIsALeak() {
    IOException cause = new IOException("all routes failed");
    cause.addSuppressed(new IOException("route with " + SECRET));
    IOException outer = new IOException("outer", cause);
    List<String> leaks = SecretScanner.findLeaks(outer, SECRET);
    assertFalse(leaks.isEmpty());
    assertTrue(leaks.get(0).contains("cause IOException > suppressed IOException"), leaks.get(0));
  }

  @Test
  void mimeWrappedBase64PassedAsASecretIsFound() {
    byte[] credentials = ("client:" + SECRET).getBytes(StandardCharsets.UTF_8);
    String basic = Base64.getEncoder().encodeToString(credentials);
    String wrapped = Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(credentials);
    assertThrows(AssertionError.class, () -> SecretScanner.assertNoSecret("Basic " + wrapped, basic));
  }

  @Test
  void tokensLeakFromSevenCharactersOnSoTokenToStringsPass() {
    String token = "eyJhbGciOiJSUzI1NiJ9.payload.signature";
    SecretScanner.assertNoToken("Token{value=eyJhb…}", token);
    assertThrows(AssertionError.class, () -> SecretScanner.assertNoToken("Expected a long but was eyJhbGc", token));
  }

  @Test
  void leakReportsNeverQuoteTheSecret() {
    List<String> leaks = SecretScanner.findLeaks(new IOException("x " + SECRET), SECRET);
    assertFalse(leaks.isEmpty());
    for (String leak : leaks) SecretScanner.assertNoSecret(leak, SECRET);
  }

  @Test
  void cleanTextIsNoLeak() {
    assertTrue(SecretScanner.findLeaks(new IOException("HTTP 403 from GET https://h/t?appSecret=***"), SECRET).isEmpty());
  }

  @Test
  void controlCharactersAnywhereInAChainAreReported() {
    SecretScanner.assertPrintable(new IOException("one line \\r\\n escaped"));
    IOException forged = new IOException("ok", new IOException("line\r\nforged"));
    AssertionError error = assertThrows(AssertionError.class, () -> SecretScanner.assertPrintable(forged));
    assertTrue(error.getMessage().contains("U+000D"), error.getMessage());
    assertThrows(AssertionError.class, () -> SecretScanner.assertPrintable("bidi \u202E override"));
    assertThrows(AssertionError.class, () -> SecretScanner.assertPrintable("next \u0085 line"));
  }
}
