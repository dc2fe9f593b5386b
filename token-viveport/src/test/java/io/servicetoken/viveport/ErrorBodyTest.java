package io.servicetoken.viveport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Undocumented error bodies are read leniently and never throw. */
class ErrorBodyTest {
  private static ErrorBody parse(String json) {
    return ErrorBody.parse(json);
  }

  @Test
  void numericCodeBecomesString() {
    assertEquals("403", parse("{\"code\": 403, \"message\": \"no\"}").code);
  }

  @Test
  void oauthStyleErrorIsRead() {
    ErrorBody body = parse("{\"error\": \"invalid_client\", \"error_description\": \"bad secret\"}");
    assertEquals("invalid_client", body.code);
    assertEquals("bad secret", body.message);
  }

  @Test
  void firstCandidateWinsAndOtherValuesAreSkipped() {
    ErrorBody body = parse("{\"data\": [1, {\"code\": 9}], \"ok\": false, \"code\": \"A\", \"errorCode\": \"B\"}");
    assertEquals("A", body.code);
    assertNull(body.message);
  }

  @Test
  void overlongCodeIsIgnored() {
    assertNull(parse("{\"code\": \"" + "x".repeat(101) + "\"}").code);
  }

  @Test
  void nonObjectBodiesGiveNothing() {
    assertSame(ErrorBody.NONE, parse("[\"code\", 1]"));
    assertSame(ErrorBody.NONE, parse("<html>403</html>"));
    assertSame(ErrorBody.NONE, parse(""));
  }

  @Test
  void truncatedBodyKeepsWhatWasRead() {
    assertEquals("E1", parse("{\"code\": \"E1\", \"message\": \"cut").code);
  }
}
