package io.servicetoken.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets and forged log lines out of everything the SDK exposes: URLs lose their query values and user info;
 * text has its control characters escaped, then loses every run of {@value #RUN} or more characters of a secret in
 * whatever spelling a server may echo it, then is cut to a bounded length. In that order: the letters of an escape
 * cannot complete a run of a secret after it was scrubbed (the {@code t} of {@code \t} before {@code :w1th}, a
 * fuzzing find), and a secret straddling the cut is gone before the cut is made. Exception chains that need any of
 * this are replaced by cleaned copies.
 *
 * <p>Spellings are recognized by reading the text and the secrets the same way ({@link Canonical}): percent
 * escapes in either hex case, {@code +} and every whitespace left out (form encoding, values split across lines,
 * MIME-wrapped base64), JSON backslash escapes including <code>&#92;uXXXX</code>, and HTML character references (named
 * and numeric). The text is also read verbatim (only {@code +} and whitespace left out), so that characters that
 * spell an escape still count as themselves. Base64 is not decoded: a source passes the base64 it sends (AppViewX's
 * Basic credentials) as a secret of its own.
 */
public final class Redaction {
  static final String MASK = "██";
  /** The mask in URLs: plain ASCII, so it prints as it is rather than percent-encoded. */
  static final String URL_MASK = "***";
  /** No run of this many consecutive characters of a secret survives in what the SDK exposes. */
  static final int RUN = 6;
  /** Secrets shorter than this are not scrubbed from free text: they would mangle it without protecting much. */
  private static final int MIN_SCRUBBED_LENGTH = 3;

  /**
   * The most characters of a token a description shows: fewer than {@link #RUN}, so that a token which starts with a
   * copy of a secret cannot print a run of it.
   */
  static final int TOKEN_PREFIX = RUN - 1;

  /** The longest message a {@code TokenException} carries, as cut by {@link #text(String, int)}. */
  public static final int MAX_MESSAGE = 1000;
  /** The longest piece of vendor text (an error description) quoted in a message. */
  public static final int MAX_DETAIL = 300;
  /** The longest vendor error code an exception carries. */
  public static final int MAX_ERROR_CODE = 100;
  /** The longest builder field (an app ID, a user name) a {@code toString()} shows. */
  public static final int MAX_FIELD = 200;
  /** Text beyond this is not even scrubbed: it is far past every cut, so it is dropped first. */
  private static final int MAX_SCANNED = 8 * 1024;
  /** How deep a cause chain is followed (OkHttp's and Retrofit's are a few levels at most). */
  private static final int MAX_DEPTH = 16;

  private static final Redaction NONE = new Redaction(Collections.<String>emptySet(), Collections.<String>emptyList());

  /** Every {@value #RUN}-character piece of every canonical secret. */
  private final Set<String> runs;
  /** Canonical secrets shorter than {@value #RUN}, matched whole. */
  private final List<String> shortSecrets;

  private Redaction(Set<String> runs, List<String> shortSecrets) {
    this.runs = runs;
    this.shortSecrets = shortSecrets;
  }

  /** A redaction that scrubs the given secrets in every spelling it knows (nulls and very short values ignored). */
  public static Redaction of(@Nullable String... secrets) {
    Set<String> runs = new HashSet<>();
    List<String> shortSecrets = new ArrayList<>();
    for (String secret : secrets) {
      if (secret == null) continue;
      // Decoded, and as it is: a secret that itself contains "%41" or "&amp;" is echoed encoded as "%2541".
      for (String form : new String[] {Canonical.of(secret).text(), Canonical.literal(secret)}) {
        if (form.length() < MIN_SCRUBBED_LENGTH) continue;
        if (form.length() < RUN) {
          if (!shortSecrets.contains(form)) shortSecrets.add(form);
          continue;
        }
        for (int i = 0; i + RUN <= form.length(); i++) runs.add(form.substring(i, i + RUN));
      }
    }
    return runs.isEmpty() && shortSecrets.isEmpty()
        ? NONE
        : new Redaction(Collections.unmodifiableSet(runs), Collections.unmodifiableList(shortSecrets));
  }

  /**
   * The start of a token to show in a description, then "…": at most {@value #TOKEN_PREFIX} characters, and never
   * more than a quarter of the value.
   */
  public static String tokenPrefix(String value) {
    return value.substring(0, Math.min(TOKEN_PREFIX, value.length() / 4)) + "…";
  }

  /** A redaction with no secrets: it still escapes control characters and cuts. */
  public static Redaction none() {
    return NONE;
  }

  /** {@code url} with every query value and any user info replaced: safe to print. */
  public static String url(HttpUrl url) {
    HttpUrl.Builder builder = url.newBuilder().username("").password("").query(null);
    for (int i = 0, size = url.querySize(); i < size; i++) {
      builder.addQueryParameter(url.queryParameterName(i), url.queryParameterValue(i) == null ? null : URL_MASK);
    }
    return builder.build().toString();
  }

  /**
   * {@code text} with every run of {@value #RUN} or more characters of a secret (in any spelling) replaced by a
   * mask; not escaped, not cut. Null is the empty string.
   */
  public String scrub(@Nullable String text) {
    if (text == null || text.isEmpty()) return "";
    if (runs.isEmpty() && shortSecrets.isEmpty()) return text;
    boolean[] masked = markRuns(null, text, Canonical.of(text));
    masked = markRuns(masked, text, Canonical.verbatim(text));
    if (masked == null) return text;
    StringBuilder result = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (!masked[i]) {
        result.append(text.charAt(i));
      } else if (i == 0 || !masked[i - 1]) {
        result.append(MASK);
      }
    }
    return result.toString();
  }

  /** {@code masked} with the characters of {@code text} that spell a run of a secret in {@code reading} marked. */
  private boolean @Nullable [] markRuns(boolean @Nullable [] masked, String text, Canonical reading) {
    String chars = reading.text();
    for (int k = 0; k + RUN <= chars.length(); k++) {
      if (runs.contains(chars.substring(k, k + RUN))) masked = mask(masked, text, reading, k, k + RUN);
    }
    for (String secret : shortSecrets) {
      for (int k = chars.indexOf(secret); k >= 0; k = chars.indexOf(secret, k + 1)) {
        masked = mask(masked, text, reading, k, k + secret.length());
      }
    }
    return masked;
  }

  private static boolean[] mask(boolean @Nullable [] masked, String text, Canonical canonical, int from, int to) {
    boolean[] result = masked != null ? masked : new boolean[text.length()];
    for (int i = canonical.start(from), end = canonical.end(to - 1); i < end; i++) result[i] = true;
    return result;
  }

  /** Whether {@code text} contains a run of a secret. */
  public boolean leaks(@Nullable String text) {
    return text != null && !scrub(text).equals(text);
  }

  /**
   * {@code text} safe to expose: control characters escaped, scrubbed of the secrets, then cut to at most {@code
   * maxLength} characters (the last of them "…" when cut).
   */
  public String text(String text, int maxLength) {
    String scanned = text.length() > MAX_SCANNED ? text.substring(0, MAX_SCANNED) : text;
    return cut(scrub(escapeControlCharacters(scanned)), maxLength);
  }

  /**
   * {@code text} with its control characters escaped and cut to {@code maxLength}, without scrubbing: for what
   * cannot contain a secret but may contain anything else (builder fields, messages of custom sources).
   */
  public static String printable(@Nullable String text, int maxLength) {
    if (text == null) return "null";
    String scanned = text.length() > MAX_SCANNED ? text.substring(0, MAX_SCANNED) : text;
    return cut(escapeControlCharacters(scanned), maxLength);
  }

  /** A builder field as a {@code toString()} shows it: {@link #printable} cut at {@link #MAX_FIELD}. */
  public static String field(@Nullable String text) {
    return printable(text, MAX_FIELD);
  }

  /**
   * {@code text} with every character that could forge or hide a log line written as a Java escape: C0 and C1
   * controls (CR, LF, ESC, NEL...), line and paragraph separators, format characters (bidi overrides, zero-width
   * characters) and unpaired surrogates.
   */
  static String escapeControlCharacters(String text) {
    StringBuilder result = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(text, i, c);
      if (escape == null) {
        if (result != null) result.append(c);
      } else {
        if (result == null) result = new StringBuilder(text.length() + 16).append(text, 0, i);
        result.append(escape);
      }
    }
    return result != null ? result.toString() : text;
  }

  private static @Nullable String escape(String text, int i, char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    int type = Character.getType(c);
    boolean unpaired =
        type == Character.SURROGATE
            && (Character.isHighSurrogate(c)
                ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                : i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    if (type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && !unpaired) {
      return null;
    }
    String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return "\\u0000".substring(0, 6 - hex.length()) + hex;
  }

  /** {@code text} cut to at most {@code maxLength} characters, ending in "…" when cut, never inside a pair. */
  static String cut(String text, int maxLength) {
    if (text.length() <= maxLength) return text;
    int end = Math.max(0, maxLength - 1);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end) + "…";
  }

  /**
   * {@code throwable} itself when nothing in its chain (causes and suppressed exceptions, their messages and
   * {@code toString()}s) needs scrubbing, escaping or cutting; otherwise a cleaned copy of the chain (class names
   * kept in the messages, stack traces kept).
   */
  public @Nullable Throwable chain(@Nullable Throwable throwable) {
    if (throwable == null || isClean(throwable, 0, newIdentitySet())) return throwable;
    return copy(throwable, 0, newIdentitySet());
  }

  private static Set<Throwable> newIdentitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
  }

  private boolean isClean(Throwable throwable, int depth, Set<Throwable> seen) {
    if (depth > MAX_DEPTH || !seen.add(throwable)) return true;
    for (String text : new String[] {throwable.getMessage(), throwable.getLocalizedMessage(), throwable.toString()}) {
      if (text != null && !text.equals(text(text, MAX_MESSAGE))) return false;
    }
    Throwable cause = throwable.getCause();
    if (cause != null && !isClean(cause, depth + 1, seen)) return false;
    for (Throwable suppressed : throwable.getSuppressed()) {
      if (!isClean(suppressed, depth + 1, seen)) return false;
    }
    return true;
  }

  private Throwable copy(Throwable original, int depth, Set<Throwable> seen) {
    seen.add(original);
    Throwable cause = original.getCause();
    boolean deeper = depth < MAX_DEPTH;
    RedactedException copy =
        new RedactedException(
            text(original.getClass().getName() + ": " + original.getMessage(), MAX_MESSAGE),
            cause != null && deeper && !seen.contains(cause) ? copy(cause, depth + 1, seen) : null);
    copy.setStackTrace(original.getStackTrace());
    if (deeper) {
      for (Throwable suppressed : original.getSuppressed()) {
        if (!seen.contains(suppressed)) copy.addSuppressed(copy(suppressed, depth + 1, seen));
      }
    }
    return copy;
  }

  /** Stands in for an exception whose message mentioned a secret or needed escaping or cutting. */
  static final class RedactedException extends Exception {
    private static final long serialVersionUID = 1L;

    RedactedException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
