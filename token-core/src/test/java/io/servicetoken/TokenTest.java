package io.servicetoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenTest {
  private static final Instant EXPIRY = Instant.parse("2026-11-22T10:15:30Z");
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NjM4MDY1MzB9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

  @Test
  void toStringShowsAtMostFiveCharactersOfTheValue() {
    Token token = Token.builder(JWT).expiresAt(EXPIRY).build();
    String printed = token.toString();
    assertTrue(printed.contains("value=eyJhb…"), printed);
    assertFalse(printed.contains(JWT.substring(0, 6)), printed);
    assertTrue(printed.contains("expiresAt=2026-11-22T10:15:30Z"), printed);
  }

  @Test
  void toStringTellsTwoTokensApartByAFingerprint() {
    String other = JWT.substring(0, JWT.length() - 1) + "R";
    Instant received = EXPIRY.minusSeconds(300);
    String a = Token.builder(JWT).expiresAt(EXPIRY).receivedAt(received).build().toString();
    String b = Token.builder(other).expiresAt(EXPIRY).receivedAt(received).build().toString();
    assertFalse(a.equals(b), a);
    assertTrue(a.matches(".*, sha256=[0-9a-f]{8}, .*"), a);
    assertEquals(a, Token.builder(JWT).expiresAt(EXPIRY).receivedAt(received).build().toString());
    // The fingerprint is the start of the value's SHA-256, as sha256sum prints it.
    assertTrue(Token.builder("abc").expiresAt(EXPIRY).build().toString().contains("sha256=ba7816bf"));
  }

  @Test
  void toStringOfAShortValueShowsLessOfIt() {
    assertTrue(Token.builder("abcdefgh").expiresAt(EXPIRY).build().toString().contains("value=ab…"));
    assertTrue(Token.builder("abc").expiresAt(EXPIRY).build().toString().contains("value=…"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"bearer", "BEARER", "Bearer", " bearer "})
  void typeIsBearerWhenTheVendorSaysBearerInAnyCaseOrNothing(String type) {
    assertEquals("Bearer", Token.builder("v").type(type).expiresAt(EXPIRY).build().type());
  }

  @Test
  void otherTypesAreKept() {
    assertEquals("MAC", Token.builder("v").type("MAC").expiresAt(EXPIRY).build().type());
  }

  @Test
  void authorizationIsTypeSpaceValue() {
    assertEquals("Bearer abc", Token.builder("abc").type("bearer").expiresAt(EXPIRY).build().authorization());
  }

  @Test
  void isExpiredAtAndAfterTheExpiry() {
    Token token = Token.builder("v").expiresAt(EXPIRY).build();
    assertFalse(token.isExpired(EXPIRY.minusMillis(1)));
    assertTrue(token.isExpired(EXPIRY));
    assertTrue(token.isExpired(EXPIRY.plusSeconds(1)));
  }

  @Test
  void receivedAtDefaultsToNow() {
    Instant before = Instant.now();
    Token token = Token.builder("v").expiresAt(EXPIRY).build();
    assertFalse(token.receivedAt().isBefore(before));
  }

  @Test
  void builderValidates() {
    assertEquals("value == null", assertThrows(NullPointerException.class, () -> Token.builder(null)).getMessage());
    assertEquals("value is blank", assertThrows(IllegalArgumentException.class, () -> Token.builder(" ")).getMessage());
    assertEquals(
        "expiresAt required",
        assertThrows(IllegalStateException.class, () -> Token.builder("v").build()).getMessage());
  }

  @Test
  void equalTokensHaveEqualHashCodes() {
    Token a = Token.builder("v").expiresAt(EXPIRY).receivedAt(EXPIRY.minusSeconds(60)).build();
    Token b = Token.builder("v").expiresAt(EXPIRY).receivedAt(EXPIRY.minusSeconds(60)).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "abc\r\nX-Injected: 1", "abc\ndef", "abc\rdef", "tab\there", "nul\u0000", "del\u007f", "esc\u001b[0m",
    "nel\u0085", "caf\u00e9", "replacement\ufffd", "emoji\ud83d\ude00", "line\u2028separator"
  })
  void valuesOkHttpWouldRefuseInAHeaderAreRefusedWithoutShowingThem(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Token.builder(value).expiresAt(EXPIRY).build());
    assertTrue(e.getMessage().startsWith("value has a character that is not printable ASCII at index "), e.getMessage());
    assertFalse(e.getMessage().contains(value.trim()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Be\tarer", "MA\r\nC", "B\u00e9arer", "x\u0000y"})
  void typesOkHttpWouldRefuseAreRefused(String type) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Token.builder("v").type(type));
    assertTrue(e.getMessage().startsWith("type has a character that is not printable ASCII"), e.getMessage());
  }

  @Test
  void everyPrintableAsciiCharacterIsAcceptedAndOkHttpTakesTheHeader() {
    StringBuilder all = new StringBuilder("x");
    for (char c = ' '; c <= '~'; c++) all.append(c);
    Token token = Token.builder(all.toString()).type(all.toString()).expiresAt(EXPIRY).build();
    okhttp3.Request request = new okhttp3.Request.Builder()
        .url("https://api.example/")
        .header("Authorization", token.authorization())
        .build();
    assertEquals(token.authorization(), request.header("Authorization"));
  }

  @Test
  void whateverTheBuilderAcceptsOkHttpAcceptsInAHeader() {
    java.util.Random random = new java.util.Random(164);
    for (int i = 0; i < 5_000; i++) {
      char[] chars = new char[1 + random.nextInt(12)];
      for (int k = 0; k < chars.length; k++) chars[k] = (char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000);
      Token token;
      try {
        token = Token.builder(new String(chars)).expiresAt(EXPIRY).build();
      } catch (IllegalArgumentException refused) {
        continue;
      }
      new okhttp3.Request.Builder().url("https://api.example/").header("Authorization", token.authorization()).build();
    }
  }
}
