package io.servicetoken.singleview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ErrorBodyTest {
  @Test
  void messageAndErrorCodeAreRead() {
    ErrorBody body = ErrorBody.parse("{\"success\":false,\"errorCode\":\"SV_1\",\"message\":\"Merchant suspended\"}");

    assertEquals("SV_1", body.errorCode);
    assertEquals("Merchant suspended", body.message);
  }

  @Test
  void oauthErrorShapeIsRead() {
    ErrorBody body = ErrorBody.parse("{\"error\":\"invalid_client\",\"error_description\":\"Bad client\"}");

    assertEquals("invalid_client", body.errorCode);
    assertEquals("Bad client", body.message);
  }

  @Test
  void numericCodeIsReadAsText() {
    assertEquals("1002", ErrorBody.parse("{\"errorCode\":01002}").errorCode);
  }

  @Test
  void fieldsOfOtherTypesAreSkipped() {
    ErrorBody body = ErrorBody.parse("{\"message\":{\"text\":\"nested\"},\"errorCode\":[1,2],\"error\":\"E1\"}");

    assertNull(body.message);
    assertEquals("E1", body.errorCode);
  }

  @Test
  void htmlYieldsNothing() {
    ErrorBody body = ErrorBody.parse("<html><body>Bad Gateway</body></html>");

    assertNull(body.errorCode);
    assertNull(body.message);
  }

  @Test
  void jsonThatIsNotAnObjectYieldsNothing() {
    assertNull(ErrorBody.parse("[\"message\"]").message);
    assertNull(ErrorBody.parse("\"message\"").message);
  }

  @Test
  void truncatedBodyKeepsWhatWasReadBeforeIt() {
    assertEquals("Too many requests", ErrorBody.parse("{\"message\":\"Too many requests\",\"errorCode\":").message);
  }

  @Test
  void blankValuesCountAsAbsent() {
    ErrorBody body = ErrorBody.parse("{\"message\":\"  \",\"errorCode\":\"\"}");

    assertNull(body.message);
    assertNull(body.errorCode);
  }

  @Test
  void missingBodyYieldsNothing() {
    assertNull(ErrorBody.parse("").message);
  }
}
