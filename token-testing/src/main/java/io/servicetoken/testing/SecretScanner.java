package io.servicetoken.testing;

import io.servicetoken.TokenException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Asserts that no secret appears in what an app or library prints: exception messages, error codes, {@code
 * toString()}s and whole cause chains (causes and suppressed exceptions, recursively), in any spelling a server may
 * echo it in.
 *
 * <pre>{@code
 * TokenException e = assertThrows(TokenException.class, () -> source.fetch().blockingGet());
 * SecretScanner.assertNoSecret(e, "my-client-secret", "my-password");
 * SecretScanner.assertNoToken(e, issuedToken.value());
 * SecretScanner.assertPrintable(e);
 * }</pre>
 *
 * <p>A secret counts as leaked when {@value #SECRET_RUN} or more consecutive characters of it appear (a token: {@value
 * #TOKEN_RUN}, since {@code Token.toString()} shows the first five on purpose), as they are, percent-decoded (either hex case,
 * {@code +} for a space), JSON-unescaped ({@code \"}, <code>&#92;uXXXX</code>) or HTML-unescaped (named and numeric
 * character references), and with whitespace left out (a value split across lines, MIME-wrapped base64). Base64 is
 * not decoded: pass the base64 your code sends (such as a Basic {@code Authorization} value) as a secret of its own.
 * Choose test secrets that share no six consecutive characters with the words around them (random strings do): a
 * secret that contains a word of the message is reported.
 *
 * <p>Failures name which secret leaked (by position and length) and where, never the secret itself.
 */
public final class SecretScanner {
  /** A run of this many consecutive characters of a secret counts as a leak. */
  public static final int SECRET_RUN = 6;

  /** A run of this many consecutive characters of an issued token counts as a leak. */
  public static final int TOKEN_RUN = 7;

  private static final Map<String, Character> ENTITIES = new HashMap<>();

  static {
    String[][] names = {
      {"amp", "&"}, {"AMP", "&"}, {"lt", "<"}, {"LT", "<"}, {"gt", ">"}, {"GT", ">"}, {"quot", "\""},
      {"QUOT", "\""}, {"apos", "'"}, {"nbsp", " "}, {"sol", "/"}, {"plus", "+"}, {"equals", "="}, {"commat", "@"},
      {"colon", ":"}, {"excl", "!"}, {"num", "#"}, {"dollar", "$"}, {"percnt", "%"}, {"quest", "?"},
      {"lpar", "("}, {"rpar", ")"}, {"ast", "*"}, {"comma", ","}, {"period", "."}, {"semi", ";"},
      {"lsqb", "["}, {"rsqb", "]"}, {"bsol", "\\"}, {"lowbar", "_"}, {"grave", "`"}, {"lcub", "{"},
      {"rcub", "}"}, {"verbar", "|"}, {"Hat", "^"}, {"Tab", "\t"}, {"NewLine", "\n"},
    };
    for (String[] name : names) ENTITIES.put(name[0], name[1].charAt(0));
  }

  private SecretScanner() {}

  /**
   * Fails with an {@link AssertionError} if any of {@code secrets} appears in {@code subject}: in every message,
   * error code and {@code toString()} of its cause chain when it is a {@link Throwable}, else in {@code
   * String.valueOf(subject)}; in any spelling, and as any run of {@value #SECRET_RUN} of its characters.
   *
   * @param subject what is printed: an exception, a token, a source, a URL, an event...
   * @param secrets the secrets to look for; null or empty ones are ignored
   * @throws AssertionError naming the first leaks found
   */
  public static void assertNoSecret(@Nullable Object subject, String... secrets) {
    List<String> leaks = findLeaks(subject, SECRET_RUN, secrets);
    if (!leaks.isEmpty()) throw new AssertionError("secret leaked: " + leaks);
  }

  /**
   * Fails with an {@link AssertionError} if {@value #TOKEN_RUN} or more consecutive characters of any of {@code
   * tokens} appear in {@code subject}, in any spelling. {@code Token.toString()} shows at most five on purpose.
   *
   * @param subject what is printed
   * @param tokens token values issued by a vendor
   * @throws AssertionError naming the first leaks found
   */
  public static void assertNoToken(@Nullable Object subject, String... tokens) {
    List<String> leaks = findLeaks(subject, TOKEN_RUN, tokens);
    if (!leaks.isEmpty()) throw new AssertionError("token leaked: " + leaks);
  }

  /**
   * Fails with an {@link AssertionError} if anything {@code subject} prints contains a character that can forge or
   * hide a log line: a C0 or C1 control character (CR, LF, ESC, NEL...), a line or paragraph separator or a bidi
   * control.
   *
   * @param subject what is printed
   * @throws AssertionError naming where
   */
  public static void assertPrintable(@Nullable Object subject) {
    for (Text text : texts(subject)) {
      for (int i = 0; i < text.value.length(); i++) {
        char c = text.value.charAt(i);
        int type = Character.getType(c);
        if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
            || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
          throw new AssertionError(
              "unescaped U+" + String.format("%04X", (int) c) + " at index " + i + " of " + text.where);
        }
      }
    }
  }

  /**
   * Where secrets appear in {@code subject} (as runs of {@value #SECRET_RUN} characters or more, in any spelling), as
   * descriptions without the secrets themselves.
   *
   * @param subject what is printed
   * @param secrets the secrets to look for
   * @return one entry per leak; empty when there is none
   */
  public static List<String> findLeaks(@Nullable Object subject, String... secrets) {
    return findLeaks(subject, SECRET_RUN, secrets);
  }

  /**
   * Where {@code run} or more consecutive characters of any of {@code values} appear in {@code subject}, in any
   * spelling, as descriptions without the values themselves. A value shorter than {@code run} counts when it appears
   * whole.
   *
   * @param subject what is printed
   * @param run how many consecutive characters make a leak; at least 1
   * @param values the secrets or tokens to look for; null or empty ones are ignored
   * @return one entry per leak; empty when there is none
   * @throws IllegalArgumentException if {@code run} is under 1
   */
  public static List<String> findLeaks(@Nullable Object subject, int run, String... values) {
    if (run < 1) throw new IllegalArgumentException("run < 1");
    List<Text> texts = texts(subject);
    List<String> leaks = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      String value = values[i];
      if (value == null || value.isEmpty()) continue;
      String compact = compact(value);
      if (compact.isEmpty()) continue;
      int length = Math.min(run, compact.length());
      for (Text text : texts) {
        String found = firstView(text.value, compact, length);
        if (found != null) {
          leaks.add("value #" + (i + 1) + " (" + value.length() + " chars): " + length
              + " or more consecutive characters in " + text.where + " (" + found + ")");
        }
      }
    }
    return leaks;
  }

  /** The name of the first reading of {@code text} that holds {@code length} characters of {@code compact}. */
  private static @Nullable String firstView(String text, String compact, int length) {
    String[] names = {"as printed", "percent-decoded", "JSON-unescaped", "HTML-unescaped"};
    String[] views = {text, percentDecode(text), jsonUnescape(text), htmlUnescape(text)};
    for (int v = 0; v < views.length; v++) {
      String view = compact(views[v]);
      for (int k = 0; k + length <= compact.length(); k++) {
        if (view.contains(compact.substring(k, k + length))) return names[v];
      }
    }
    return null;
  }

  /** Without whitespace and {@code +}: a space may be printed as either, and a value split across lines. */
  private static String compact(String text) {
    StringBuilder result = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '+' && !Character.isWhitespace(c) && !Character.isSpaceChar(c)) result.append(c);
    }
    return result.toString();
  }

  private static String percentDecode(String text) {
    byte[] bytes = new byte[text.length() * 4];
    int count = 0;
    StringBuilder result = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (low >= 0) {
        bytes[count++] = (byte) (high * 16 + low);
        i += 2;
        continue;
      }
      if (count > 0) {
        result.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
        count = 0;
      }
      result.append(c == '+' ? ' ' : c);
    }
    if (count > 0) result.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
    return result.toString();
  }

  private static String jsonUnescape(String text) {
    StringBuilder result = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= text.length()) {
        result.append(c);
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == 'u' && i + 5 < text.length() && isHex(text, i + 2, i + 6)) {
        result.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 5;
      } else if ("\"\\/'".indexOf(next) >= 0) {
        result.append(next);
        i++;
      } else if ("nrtbf".indexOf(next) >= 0) {
        result.append(' ');
        i++;
      } else {
        result.append(c);
      }
    }
    return result.toString();
  }

  private static String htmlUnescape(String text) {
    StringBuilder result = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int end = c == '&' ? text.indexOf(';', i) : -1;
      if (end < 0 || end - i > 24) {
        result.append(c);
        continue;
      }
      String name = text.substring(i + 1, end);
      Integer codePoint = null;
      try {
        if (name.startsWith("#x") || name.startsWith("#X")) {
          codePoint = Integer.parseInt(name.substring(2), 16);
        } else if (name.startsWith("#")) {
          codePoint = Integer.parseInt(name.substring(1));
        } else if (ENTITIES.containsKey(name)) {
          codePoint = (int) ENTITIES.get(name);
        }
      } catch (NumberFormatException e) {
        codePoint = null;
      }
      if (codePoint == null || !Character.isValidCodePoint(codePoint)) {
        result.append(c);
        continue;
      }
      result.appendCodePoint(codePoint);
      i = end;
    }
    return result.toString();
  }

  private static boolean isHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) return false;
    }
    return true;
  }

  /** Every string {@code subject} exposes, with where it came from. */
  private static List<Text> texts(@Nullable Object subject) {
    List<Text> texts = new ArrayList<>();
    if (subject instanceof Throwable) {
      collect((Throwable) subject, "", texts, Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>()));
    } else {
      texts.add(new Text("toString()", String.valueOf(subject)));
    }
    return texts;
  }

  private static void collect(Throwable throwable, String path, List<Text> texts, Set<Throwable> seen) {
    if (!seen.add(throwable)) return;
    String name = path + throwable.getClass().getSimpleName();
    texts.add(new Text("the message of " + name, String.valueOf(throwable.getMessage())));
    texts.add(new Text("the localized message of " + name, String.valueOf(throwable.getLocalizedMessage())));
    texts.add(new Text("toString() of " + name, throwable.toString()));
    if (throwable instanceof TokenException) {
      texts.add(new Text("errorCode() of " + name, String.valueOf(((TokenException) throwable).errorCode())));
      texts.add(new Text("vendor() of " + name, ((TokenException) throwable).vendor()));
    }
    if (throwable.getCause() != null) collect(throwable.getCause(), name + " > cause ", texts, seen);
    for (Throwable suppressed : throwable.getSuppressed()) collect(suppressed, name + " > suppressed ", texts, seen);
  }

  private static final class Text {
    final String where;
    final String value;

    Text(String where, String value) {
      this.where = where;
      this.value = value;
    }
  }
}
