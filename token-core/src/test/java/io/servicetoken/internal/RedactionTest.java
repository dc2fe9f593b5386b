package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String SECRET = "fvma3Hbu75f3OLcxBqvm7n8ASm8S9y";

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

  @Test
  void chainWithoutSecretsIsKept() {
    IOException clean = new IOException("connection reset");
    assertSame(clean, Redaction.of(SECRET).chain(clean));
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
}
