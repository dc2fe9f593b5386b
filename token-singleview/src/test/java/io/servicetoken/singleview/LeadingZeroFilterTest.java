package io.servicetoken.singleview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LeadingZeroFilterTest {
  private static String filter(String json) {
    return LeadingZeroFilter.INSTANCE.apply(json);
  }

  @Test
  void allZerosBecomeOneZero() {
    assertEquals("{\"expires_in\": 0}", filter("{\"expires_in\": 0000}"));
  }

  @Test
  void leadingZerosBeforeOtherDigitsAreDropped() {
    assertEquals("{\"expires_in\":120}", filter("{\"expires_in\":0120}"));
  }

  @Test
  void negativeNumbersKeepTheirSign() {
    assertEquals("[-7,-0]", filter("[-007,-00]"));
  }

  @Test
  void fractionsAndExponentsAreKept() {
    assertEquals("[0.50,7.05,1e007,0E+01]", filter("[00.50,007.05,1e007,000E+01]"));
  }

  @Test
  void canonicalNumbersAreUntouchedAndTheSameInstanceIsReturned() {
    String json = "{\"a\":0,\"b\":10,\"c\":-0.5,\"d\":1.05e-3,\"e\":[100,0,true,null]}";
    assertSame(json, filter(json));
  }

  @Test
  void digitRunsWithLeadingZerosInsideStringValuesSurvive() {
    String json = "{\"merchantId\":\"000123\",\"access_token\":\"ab.00cd.0007\",\"expires_in\":0000}";
    assertEquals("{\"merchantId\":\"000123\",\"access_token\":\"ab.00cd.0007\",\"expires_in\":0}", filter(json));
  }

  @Test
  void namesWithLeadingZeroDigitsSurvive() {
    assertEquals("{\"007\":7}", filter("{\"007\":007}"));
  }

  @Test
  void escapedQuotesDoNotEndAString() {
    String json = "{\"message\":\"code \\\"0042\\\" refused\",\"n\":0042}";
    assertEquals("{\"message\":\"code \\\"0042\\\" refused\",\"n\":42}", filter(json));
  }

  @Test
  void escapedBackslashBeforeTheClosingQuoteEndsTheString() {
    assertEquals("{\"path\":\"C:\\\\\",\"n\":5}", filter("{\"path\":\"C:\\\\\",\"n\":005}"));
  }

  @Test
  void unclosedStringIsLeftForTheParserToRefuse() {
    String json = "{\"message\":\"0007";
    assertSame(json, filter(json));
  }

  @Test
  void theDocumentationSampleBecomesValidJsonWithTheTokenUnchanged() {
    String sample = new String(Fixtures.sampleResponse(), java.nio.charset.StandardCharsets.UTF_8);

    String filtered = filter(sample);

    assertEquals(sample.replace("\"expires_in\": 0000", "\"expires_in\": 0"), filtered);
  }

  @Test
  void emptyBodyStaysEmpty() {
    assertEquals("", filter(""));
  }
}
