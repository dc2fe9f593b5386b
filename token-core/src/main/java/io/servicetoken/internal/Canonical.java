package io.servicetoken.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Text read the way a server may have spelled a value, one escape deep, with every character mapped back to where it
 * came from: percent escapes ({@code %2F}, {@code %2f}, UTF-8 sequences), JSON escapes (<code>&#92;u0041</code>, {@code
 * \/}, {@code \n}), HTML character references ({@code &amp;}, {@code &#47;}, {@code &#x2F;}) are decoded; {@code
 * +} and whitespace are left out, since form encoding turns spaces into {@code +} and a value may be split across
 * lines (MIME-wrapped base64, a wrapped HTML page). {@link Redaction} reads a secret and the text it scrubs this
 * same way, so that any of those spellings of the secret in the text match.
 */
final class Canonical {
  private static final Map<String, Character> ENTITIES = entities();

  private final String text;
  /** For each character of {@link #text}, where its spelling starts and ends in the original. */
  private final int[] starts;
  private final int[] ends;

  private Canonical(String text, int[] starts, int[] ends) {
    this.text = text;
    this.starts = starts;
    this.ends = ends;
  }

  /** {@code raw} decoded one escape deep, without {@code +} and whitespace. */
  static Canonical of(String raw) {
    StringBuilder text = new StringBuilder(raw.length());
    int[] starts = new int[raw.length()];
    int[] ends = new int[raw.length()];
    int count = 0;
    int[] decoded = new int[2]; // code point, characters consumed
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      boolean escaped =
          (c == '%' && percent(raw, i, decoded))
              || (c == '\\' && json(raw, i, decoded))
              || (c == '&' && html(raw, i, decoded));
      int codePoint = escaped ? decoded[0] : c;
      int next = i + (escaped ? decoded[1] : 1);
      if (!isLeftOut(codePoint)) {
        for (char unit : Character.toChars(codePoint)) {
          if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2 + 2);
            ends = Arrays.copyOf(ends, count * 2 + 2);
          }
          text.append(unit);
          starts[count] = i;
          ends[count] = next;
          count++;
        }
      }
      i = next;
    }
    return new Canonical(text.toString(), starts, ends);
  }

  /** {@code raw} as it is, only without {@code +} and whitespace. */
  static String literal(String raw) {
    return verbatim(raw).text();
  }

  /**
   * {@code raw} as it is, only without {@code +} and whitespace, mapped back like {@link #of}: the reading in which
   * the letters of an escape count as themselves (the {@code t} of {@code \t} next to {@code :w1th}).
   */
  static Canonical verbatim(String raw) {
    StringBuilder text = new StringBuilder(raw.length());
    int[] starts = new int[raw.length()];
    int[] ends = new int[raw.length()];
    int count = 0;
    for (int i = 0; i < raw.length(); i++) {
      if (isLeftOut(raw.charAt(i))) continue;
      text.append(raw.charAt(i));
      starts[count] = i;
      ends[count] = i + 1;
      count++;
    }
    return new Canonical(text.toString(), starts, ends);
  }

  String text() {
    return text;
  }

  /** Where the spelling of character {@code index} of {@link #text()} starts in the original. */
  int start(int index) {
    return starts[index];
  }

  /** Where the spelling of character {@code index} of {@link #text()} ends in the original (exclusive). */
  int end(int index) {
    return ends[index];
  }

  private static boolean isLeftOut(int codePoint) {
    return codePoint == '+' || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }

  /** {@code %XX}, or a UTF-8 sequence of them; false when {@code raw} at {@code i} is no such escape. */
  private static boolean percent(String raw, int i, int[] decoded) {
    int first = hexByte(raw, i);
    if (first < 0) return false;
    int length;
    if (first < 0x80) {
      length = 1;
    } else if (first >= 0xC0 && first < 0xE0) {
      length = 2;
    } else if (first >= 0xE0 && first < 0xF0) {
      length = 3;
    } else if (first >= 0xF0 && first < 0xF8) {
      length = 4;
    } else {
      return false; // a continuation byte or no UTF-8 lead byte: the '%' stays as it is
    }
    int codePoint = length == 1 ? first : first & (0xFF >> (length + 1));
    for (int k = 1; k < length; k++) {
      int next = hexByte(raw, i + 3 * k);
      if (next < 0 || (next & 0xC0) != 0x80) return false;
      codePoint = (codePoint << 6) | (next & 0x3F);
    }
    if (!Character.isValidCodePoint(codePoint)) return false;
    decoded[0] = codePoint;
    decoded[1] = 3 * length;
    return true;
  }

  /** The byte of {@code %XX} at {@code i}, or -1. */
  private static int hexByte(String raw, int i) {
    if (i + 2 >= raw.length() || raw.charAt(i) != '%') return -1;
    int high = Character.digit(raw.charAt(i + 1), 16);
    int low = Character.digit(raw.charAt(i + 2), 16);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }

  /** A JSON escape: <code>&#92;uXXXX</code> or a backslash and one character. */
  private static boolean json(String raw, int i, int[] decoded) {
    if (i + 1 >= raw.length()) return false;
    char next = raw.charAt(i + 1);
    if (next == 'u') {
      if (i + 5 >= raw.length()) return false;
      int value = 0;
      for (int k = 2; k < 6; k++) {
        int digit = Character.digit(raw.charAt(i + k), 16);
        if (digit < 0) return false;
        value = value * 16 + digit;
      }
      decoded[0] = value;
      decoded[1] = 6;
      return true;
    }
    int value;
    switch (next) {
      case '"':
      case '\\':
      case '/':
      case '\'':
        value = next;
        break;
      case 'b':
        value = '\b';
        break;
      case 'f':
        value = '\f';
        break;
      case 'n':
        value = '\n';
        break;
      case 'r':
        value = '\r';
        break;
      case 't':
        value = '\t';
        break;
      default:
        return false;
    }
    decoded[0] = value;
    decoded[1] = 2;
    return true;
  }

  /** An HTML character reference: {@code &#DDD;}, {@code &#xHH;} (the semicolon optional) or {@code &name;}. */
  private static boolean html(String raw, int i, int[] decoded) {
    if (i + 1 < raw.length() && raw.charAt(i + 1) == '#') {
      boolean hex = i + 2 < raw.length() && (raw.charAt(i + 2) == 'x' || raw.charAt(i + 2) == 'X');
      int k = i + (hex ? 3 : 2);
      int value = 0;
      int digits = 0;
      for (; k < raw.length() && digits < 8; k++, digits++) {
        int digit = Character.digit(raw.charAt(k), hex ? 16 : 10);
        if (digit < 0) break;
        value = value * (hex ? 16 : 10) + digit;
      }
      if (digits == 0 || !Character.isValidCodePoint(value)) return false;
      if (k < raw.length() && raw.charAt(k) == ';') k++;
      decoded[0] = value;
      decoded[1] = k - i;
      return true;
    }
    int semicolon = raw.indexOf(';', i + 1);
    if (semicolon < 0 || semicolon - i > 20) return false;
    Character value = ENTITIES.get(raw.substring(i + 1, semicolon));
    if (value == null) return false;
    decoded[0] = value;
    decoded[1] = semicolon + 1 - i;
    return true;
  }

  /** HTML's names for the ASCII characters that have one, and the no-break space. */
  private static Map<String, Character> entities() {
    Map<String, Character> map = new HashMap<>();
    String[] table = {
      "\tTab", "\nNewLine", "!excl", "\"quot QUOT", "#num", "$dollar", "%percnt", "&amp AMP", "'apos", "(lpar",
      ")rpar", "*ast midast", "+plus", ",comma", ".period", "/sol", ":colon", ";semi", "<lt LT", "=equals",
      ">gt GT", "?quest", "@commat", "[lsqb lbrack", "\\bsol", "]rsqb rbrack", "^Hat", "_lowbar UnderBar",
      "`grave DiacriticalGrave", "{lcub lbrace", "|verbar vert VerticalLine", "}rcub rbrace",
      "\u00A0nbsp NonBreakingSpace",
    };
    for (String row : table) {
      for (String name : row.substring(1).split(" ")) map.put(name, row.charAt(0));
    }
    return map;
  }
}
