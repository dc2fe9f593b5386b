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
  void toStringShowsAtMostSixCharactersOfTheValue() {
    Token token = Token.builder(JWT).expiresAt(EXPIRY).build();
    String printed = token.toString();
    assertTrue(printed.contains("value=eyJhbG…"), printed);
    assertFalse(printed.contains(JWT.substring(0, 7)), printed);
    assertTrue(printed.contains("expiresAt=2026-11-22T10:15:30Z"), printed);
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
}
