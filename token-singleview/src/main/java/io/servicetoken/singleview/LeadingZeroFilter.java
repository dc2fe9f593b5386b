package io.servicetoken.singleview;

import io.servicetoken.internal.BodyFilter;

/**
 * Rewrites JSON numbers whose integer part has leading zeros to their canonical form ({@code 0000} to {@code 0},
 * {@code 0120} to {@code 120}, {@code -007.50} to {@code -7.50}), so that SingleView's documented sample, {@code
 * "expires_in": 0000}, parses: strict and lenient JSON parsers alike refuse leading zeros.
 *
 * <p>Only number tokens outside strings change: names and string values (including escaped quotes inside them)
 * are copied as they are, and so are fractions and exponents. A body without such a number is returned as the
 * same instance. Anything that is not JSON passes through for the parser to refuse.
 */
final class LeadingZeroFilter implements BodyFilter {
  static final LeadingZeroFilter INSTANCE = new LeadingZeroFilter();

  private LeadingZeroFilter() {}

  @Override
  public String apply(String body) {
    StringBuilder out = null;
    int copied = 0;
    int length = body.length();
    int i = 0;
    while (i < length) {
      char c = body.charAt(i);
      if (c == '"') {
        i = endOfString(body, i);
      } else if (c == '-' || isDigit(c)) {
        int digits = c == '-' ? i + 1 : i;
        int end = digits;
        while (end < length && isDigit(body.charAt(end))) end++;
        if (end - digits > 1 && body.charAt(digits) == '0') {
          int kept = digits;
          while (kept < end - 1 && body.charAt(kept) == '0') kept++;
          if (out == null) out = new StringBuilder(length);
          out.append(body, copied, digits);
          copied = kept;
        }
        // The rest of the token (fraction, exponent) is left as it is.
        while (end < length && isNumberPart(body.charAt(end))) end++;
        i = end;
      } else {
        i++;
      }
    }
    if (out == null) return body;
    return out.append(body, copied, length).toString();
  }

  /** The index just past the string starting with the quote at {@code start}, or the end of an unclosed one. */
  private static int endOfString(String body, int start) {
    int i = start + 1;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
    return body.length();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNumberPart(char c) {
    return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  }
}
