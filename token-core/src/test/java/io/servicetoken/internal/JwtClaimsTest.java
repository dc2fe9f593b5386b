package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwtClaimsTest {
  /** VIVEPORT's documented sample service token. */
  private static final String VIVEPORT_SAMPLE =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJleHAiOjE1MjUzMzQ2NzcsImlhdCI6MTUyNTMzMTA3NywiZHVyYXRpb24iOjM2MDB9."
          + "HsdxbtW9-o-d6I_U_gZGS7yE5g4DzD5P39ZnHBq4YU5LCtiz5";

  @Test
  void readsIatAndExp() {
    JwtClaims claims = JwtClaims.parse(VIVEPORT_SAMPLE);
    assertEquals(Instant.ofEpochSecond(1525331077), claims.issuedAt());
    assertEquals(Instant.ofEpochSecond(1525334677), claims.expiresAt());
  }

  @Test
  void toleratesPaddingAndWhitespace() {
    String payload = Base64.getUrlEncoder().encodeToString("{\"exp\":1700000000}".getBytes(StandardCharsets.UTF_8));
    String token = "eyJhbGciOiJIUzI1NiJ9 .\n" + payload + " . sig";
    assertEquals(Instant.ofEpochSecond(1700000000), JwtClaims.parse(token).expiresAt());
  }

  @Test
  void toleratesStandardBase64Alphabet() {
    // {"exp":1700000000,"x":"??>"} encodes with '+' or '/' in standard base64.
    String payload = Base64.getEncoder().withoutPadding()
        .encodeToString("{\"x\":\"??>\",\"exp\":1700000000}".getBytes(StandardCharsets.UTF_8));
    assertEquals(Instant.ofEpochSecond(1700000000), JwtClaims.parse("a." + payload + ".b").expiresAt());
  }

  @Test
  void readsFractionalSecondsAndIgnoresOtherClaims() {
    JwtClaims claims = JwtClaims.parse(Jwts.jwt("{\"sub\":\"x\",\"nested\":{\"exp\":1},\"exp\":1700000000.9}"));
    assertEquals(Instant.ofEpochSecond(1700000000), claims.expiresAt());
    assertNull(claims.issuedAt());
  }

  static Stream<Arguments> notJwts() {
    return Stream.of(
        Arguments.of("null", null),
        Arguments.of("empty", ""),
        Arguments.of("blank", "   "),
        Arguments.of("opaque token", "2YotnFZFEjr1zCsicMWpAA"),
        Arguments.of("abbreviated doc sample", "eyJhb ... -Pdl31W5g"),
        Arguments.of("one dot", "abc.def"),
        Arguments.of("four parts", "a.b.c.d"),
        Arguments.of("JWE five parts", "a.b.c.d.e"),
        Arguments.of("empty payload", "a..c"),
        Arguments.of("leading dot", ".eyJleHAiOjF9.c"),
        Arguments.of("invalid base64 char", "a.e$J.c"),
        Arguments.of("impossible base64 length", "a.eyJle.c"),
        Arguments.of("padding in the middle", "a.ey=J.c"),
        Arguments.of("payload not JSON", "a." + b64("not json") + ".c"),
        Arguments.of("payload JSON array", "a." + b64("[1,2]") + ".c"),
        Arguments.of("payload JSON string", "a." + b64("\"exp\"") + ".c"),
        Arguments.of("truncated JSON", "a." + b64("{\"exp\":17") + ".c"),
        Arguments.of("exp as string", "a." + b64("{\"exp\":\"1700000000\"}") + ".c"),
        Arguments.of("exp null", "a." + b64("{\"exp\":null}") + ".c"),
        Arguments.of("exp negative", "a." + b64("{\"exp\":-5}") + ".c"),
        Arguments.of("exp beyond year 9999", "a." + b64("{\"exp\":1e300}") + ".c"),
        Arguments.of("no time claims", "a." + b64("{\"sub\":\"x\"}") + ".c"),
        Arguments.of("binary payload", "a." + Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1}) + ".c"),
        Arguments.of("huge payload", "a." + "A".repeat(100_000) + ".c"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJwts")
  void anythingElseHasNoClaims(String description, String token) {
    assertSame(JwtClaims.NONE, JwtClaims.parse(token));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
