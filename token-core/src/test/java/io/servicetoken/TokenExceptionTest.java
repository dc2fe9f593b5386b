package io.servicetoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What any {@link TokenException} exposes, whoever created it (a custom source too), is bounded and printable. */
class TokenExceptionTest {
  @Test
  void controlCharactersInMessageCodeAndVendorAreEscaped() {
    TokenException e =
        new InvalidTokenRequestException("refused\r\nINFO all good\u001b[0m", "custom\nvendor", 400, "E\r1", null);
    assertEquals("refused\\r\\nINFO all good\\u001B[0m", e.getMessage());
    assertEquals("E\\r1", e.errorCode());
    assertEquals("custom\\nvendor", e.vendor());
  }

  @Test
  void messagesAndCodesAreCut() {
    TokenException e = new TokenServiceException("m".repeat(5000), "custom", 500, "c".repeat(5000), null, null);
    assertEquals(TokenException.MAX_MESSAGE_LENGTH, e.getMessage().length());
    assertTrue(e.getMessage().endsWith("…"));
    assertEquals(TokenException.MAX_ERROR_CODE_LENGTH, e.errorCode().length());
  }

  @Test
  void aCleanCauseIsKeptAndAForgingOneIsCleaned() {
    IOException clean = new IOException("connection reset");
    assertSame(clean, new MalformedTokenResponseException("m", "custom", -1, null, clean).getCause());
    Throwable cleaned =
        new CredentialsRejectedException("m", "custom", 401, null, new IOException("x\r\ny")).getCause();
    assertEquals("java.io.IOException: x\\r\\ny", cleaned.getMessage());
    assertNull(new MalformedTokenResponseException("m", "custom", -1, null, null).getCause());
  }
}
