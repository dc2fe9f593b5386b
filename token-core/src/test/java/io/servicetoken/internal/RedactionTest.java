package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedactionTest {
  private static final String SECRET = "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y";
  /** Characters that every encoding spells differently: space, plus, slash, ampersand, quote, percent, non-ASCII. */
  private static final String AWKWARD = "p@ss word/+1&\"q%20é<x>";

  @Test
  void urlQueryValuesAndUserInfoAreRedacted() {
    HttpUrl url = HttpUrl.get(
        "https://user:pw@www.viveport.com/api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=SampleApp&appSecret="
            + SECRET);
    String printed = Redaction.url(url);
    assertEquals(
        "https://www.viveport.com/api/thirdpartygatewayservice/v1/monitor/servicetoken?appId=***&appSecret=***", printed);
    assertFalse(printed.contains(SECRET));
  }

  @Test
  void repeatedAndValuelessParametersSurvive() {
    assertEquals("https://h/?a=***&a=***&flag", Redaction.url(HttpUrl.get("https://h/?a=1&a=2&flag")));
  }

  @Test
  void scrubReplacesEverySecret() {
    Redaction redaction = Redaction.of(SECRET, null, "ab");
    assertEquals("bad secret ██ (██)", redaction.scrub("bad secret " + SECRET + " (" + SECRET + ")"));
    assertEquals("ab is too short to scrub", redaction.scrub("ab is too short to scrub"));
  }

  @Test
  void percentEncodedFormsOfASecretAreScrubbedToo() {
    Redaction redaction = Redaction.of("p@ss word/+1");
    assertEquals("q=██ path=/██ raw=██", redaction.scrub("q=p%40ss%20word%2F%2B1 path=/p@ss%20word%2F+1 raw=p@ss word/+1"));
  }

  /** Every spelling of {@link #AWKWARD} a server may echo. */
  static List<String> spellings() {
    List<String> spellings = new ArrayList<>();
    spellings.add(AWKWARD);
    spellings.add(HttpUrl.get("http://h/").newBuilder().addQueryParameter("s", AWKWARD).build().encodedQuery().substring(2));
    spellings.add(HttpUrl.get("http://h/").newBuilder().addPathSegment(AWKWARD).build().encodedPath().substring(1));
    String form = URLEncoder.encode(AWKWARD, StandardCharsets.UTF_8);
    spellings.add(form);
    spellings.add(lowerHex(form));
    spellings.add(percentEveryByte(AWKWARD, false));
    spellings.add(percentEveryByte(AWKWARD, true));
    spellings.add(jsonEscapeEveryChar(AWKWARD, false));
    spellings.add(jsonEscapeEveryChar(AWKWARD, true));
    spellings.add(AWKWARD.replace("/", "\\/").replace("\"", "\\\""));
    spellings.add(AWKWARD.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;"));
    spellings.add(AWKWARD.replace("&", "&AMP;").replace("/", "&sol;").replace("+", "&plus;").replace("@", "&commat;"));
    spellings.add(htmlNumeric(AWKWARD, false));
    spellings.add(htmlNumeric(AWKWARD, true));
    spellings.add(AWKWARD.substring(0, 7) + "\r\n" + AWKWARD.substring(7));
    spellings.add(AWKWARD.substring(0, 4) + "\n    " + AWKWARD.substring(4, 12) + "\\n" + AWKWARD.substring(12));
    return spellings;
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void everyEchoedSpellingOfASecretIsScrubbed(String spelling) {
    String scrubbed = Redaction.of(AWKWARD).scrub("the server said: " + spelling + " is wrong");
    assertEquals("the server said: ██ is wrong", scrubbed);
  }

  @Test
  void base64CredentialsAreScrubbedAlsoWhenMimeWrapped() {
    String basic = Base64.getEncoder()
        .encodeToString(("521c3ad2-ea4e-447b-a51b-9621bb7ea126:" + SECRET).getBytes(StandardCharsets.UTF_8));
    String mime = Base64.getMimeEncoder(20, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(("521c3ad2-ea4e-447b-a51b-9621bb7ea126:" + SECRET).getBytes(StandardCharsets.UTF_8));
    Redaction redaction = Redaction.of(SECRET, basic);
    assertEquals("header: Basic ██.", redaction.scrub("header: Basic " + basic + "."));
    assertEquals("header: Basic ██.", redaction.scrub("header: Basic " + mime + "."));
  }

  @Test
  void anyRunOfSixCharactersOfASecretIsScrubbed() {
    Redaction redaction = Redaction.of(SECRET);
    assertEquals("starts ██ ends ██ middle ██.",
        redaction.scrub("starts " + SECRET.substring(0, 6) + " ends " + SECRET.substring(20) + " middle "
            + SECRET.substring(9, 17) + "."));
    // Five characters are not a run: common words must survive a secret that shares them.
    assertEquals("fvma3 is fine", redaction.scrub("fvma3 is fine"));
  }

  @Test
  void scrubbingComesBeforeCuttingSoASecretStraddlingTheCutLeavesNoRun() {
    Redaction redaction = Redaction.of(SECRET);
    for (int offset = 280; offset <= 305; offset++) {
      String text = "x".repeat(offset) + SECRET + " and the rest of a long error page";
      String exposed = redaction.text(text, 300);
      assertTrue(exposed.length() <= 300, exposed);
      assertNoRun(exposed, SECRET, 6);
    }
  }

  @Test
  void theLettersOfAnEscapeCannotCompleteARunOfASecret() {
    // VendorResponseFuzzTest found it: a tab next to five characters of the secret was printed as "\t:w1th", six
    // characters of "avx-S3cr3t:w1th:c0l0ns+Plus". Escaping comes before scrubbing, and the escaped text is also read
    // verbatim, so that the escape's letters count as themselves.
    String secret = "avx-S3cr3t:w1th:c0l0ns+Plus";
    Redaction redaction = Redaction.of(secret);
    // A tab, alone or after an escaped backslash, next to ":w1th": "\t:w1th" and "\\\t:w1th" once escaped.
    for (String text : new String[] {"code\t:w1th denied", "code\\\t:w1th denied"}) {
      String exposed = redaction.text(text, 300);
      assertNoRun(exposed, Canonical.literal(secret), 6);
      assertTrue(exposed.startsWith("code") && exposed.endsWith(" denied"), exposed);
    }
    // Another escape's letter completes no run: "n:w1th" is not part of the secret, and stays.
    assertEquals("code\\n:w1th denied", redaction.text("code\n:w1th denied", 300));
    // A JSON escape in the server's text is still read as what it spells.
    assertEquals("code ██ denied", redaction.text("code avx-S3cr3t\\u003aw1th denied", 300));
    // Five characters next to a letter that is not part of the secret stay.
    assertEquals("x:w1th stays", redaction.text("x:w1th stays", 300));
  }

  @Test
  void randomTextWithEchoesNeverKeepsARunOfSix() {
    Random random = new Random(16);
    Redaction redaction = Redaction.of(AWKWARD);
    List<String> spellings = spellings();
    for (int i = 0; i < 300; i++) {
      StringBuilder text = new StringBuilder();
      for (int part = 0; part < 4; part++) {
        text.append("filler-").append(random.nextInt(1000)).append(' ');
        String spelling = spellings.get(random.nextInt(spellings.size()));
        int from = random.nextInt(spelling.length() / 2);
        text.append(spelling, from, spelling.length()).append(' ');
      }
      String exposed = redaction.text(text.toString(), 1 + random.nextInt(400));
      assertNoRun(Canonical.of(exposed).text(), Canonical.of(AWKWARD).text(), 6);
    }
  }

  @Test
  void controlCharactersAreEscapedSoNoLineCanBeForged() {
    String forged = "denied\r\n2026-11-22 INFO login ok\u001b[2J\u0085next\u2028line\u202Eevil\u0000";
    String exposed = Redaction.printable(forged, 1000);
    assertEquals(
        "denied\\r\\n2026-11-22 INFO login ok\\u001B[2J\\u0085next\\u2028line\\u202Eevil\\u0000", exposed);
    assertEquals("tab\\there", Redaction.printable("tab\there", 100));
    assertEquals("emoji 😀 stays", Redaction.printable("emoji 😀 stays", 100));
    assertEquals("lone \\uD83D surrogate", Redaction.printable("lone \uD83D surrogate", 100));
  }

  @Test
  void cuttingKeepsTheLimitAndNeverSplitsASurrogatePair() {
    assertEquals("abc", Redaction.printable("abc", 3));
    assertEquals("ab…", Redaction.printable("abcd", 3));
    String exposed = Redaction.printable("a😀😀", 3);
    assertEquals("a…", exposed);
    assertEquals(2 * 1024, Redaction.printable("y".repeat(900_000), 2 * 1024).length());
  }

  @Test
  void chainWithoutSecretsIsKept() {
    IOException clean = new IOException("connection reset");
    clean.addSuppressed(new IOException("first route failed"));
    assertSame(clean, Redaction.of(SECRET).chain(clean));
    assertNull(Redaction.of(SECRET).chain(null));
  }

  @Test
  void chainMentioningASecretIsReplacedByARedactedCopy() {
    IOException leaky = new IOException("outer", new IllegalStateException("inner " + SECRET));
    Throwable copy = Redaction.of(SECRET).chain(leaky);
    assertTrue(copy.getMessage().startsWith("java.io.IOException: outer"), copy.getMessage());
    assertTrue(copy.getCause().getMessage().contains("IllegalStateException: inner ██"), copy.getCause().getMessage());
    for (Throwable t = copy; t != null; t = t.getCause()) assertFalse(t.toString().contains(SECRET));
    assertEquals(leaky.getStackTrace().length, copy.getStackTrace().length);
  }

  @Test
  void suppressedExceptionsAreScrubbedToo() {
    IOException outer = new IOException("all routes failed");
    IOException route = new IOException("route to http://h/t?appSecret=" + lowerHex(URLEncoder.encode(AWKWARD, StandardCharsets.UTF_8)));
    route.addSuppressed(new IOException("nested " + AWKWARD));
    outer.addSuppressed(route);
    Throwable copy = Redaction.of(AWKWARD).chain(outer);
    assertEquals(1, copy.getSuppressed().length);
    Throwable suppressed = copy.getSuppressed()[0];
    assertTrue(suppressed.getMessage().endsWith("appSecret=██"), suppressed.getMessage());
    assertEquals("java.io.IOException: nested ██", suppressed.getSuppressed()[0].getMessage());
  }

  @Test
  void chainWithControlCharactersOrOverlongMessagesIsCleanedEvenWithoutSecrets() {
    Throwable forged = Redaction.none().chain(new IOException("line\r\nforged"));
    assertEquals("java.io.IOException: line\\r\\nforged", forged.getMessage());
    Throwable huge = Redaction.none().chain(new IOException("z".repeat(100_000)));
    assertTrue(huge.getMessage().length() <= Redaction.MAX_MESSAGE, "length " + huge.getMessage().length());
  }

  @Test
  void aCycleInTheChainEnds() {
    IOException a = new IOException("a " + SECRET);
    IOException b = new IOException("b", a);
    a.addSuppressed(b);
    Throwable copy = Redaction.of(SECRET).chain(b);
    assertEquals("java.io.IOException: a ██", copy.getCause().getMessage());
  }

  /** Fails when {@code text} holds {@code run} consecutive characters of {@code secret}. */
  static void assertNoRun(String text, String secret, int run) {
    for (int i = 0; i + run <= secret.length(); i++) {
      String piece = secret.substring(i, i + run);
      assertFalse(text.contains(piece), () -> "a run of " + run + " characters of the secret survived at " + text.indexOf(piece));
    }
  }

  private static String lowerHex(String encoded) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      boolean inEscape = (i >= 1 && encoded.charAt(i - 1) == '%') || (i >= 2 && encoded.charAt(i - 2) == '%');
      result.append(inEscape ? Character.toLowerCase(c) : c);
    }
    return result.toString();
  }

  private static String percentEveryByte(String value, boolean lower) {
    StringBuilder result = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      String hex = String.format("%%%02X", b & 0xff);
      result.append(lower ? hex.toLowerCase(Locale.ROOT) : hex);
    }
    return result.toString();
  }

  private static String jsonEscapeEveryChar(String value, boolean lower) {
    StringBuilder result = new StringBuilder();
    for (char c : value.toCharArray()) {
      String hex = String.format("\\u%04X", (int) c);
      result.append(lower ? hex.toLowerCase(Locale.ROOT) : hex);
    }
    return result.toString();
  }

  private static String htmlNumeric(String value, boolean hex) {
    StringBuilder result = new StringBuilder();
    value.codePoints().forEach(c -> result.append(hex ? "&#x" + Integer.toHexString(c) + ";" : "&#" + c + ";"));
    return result.toString();
  }
}
