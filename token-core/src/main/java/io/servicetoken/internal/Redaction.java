package io.servicetoken.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets out of everything the SDK prints: URLs lose their query values and user info, text loses every
 * occurrence of the secrets it was built with, and exception chains that mention a secret are replaced by
 * redacted copies.
 */
public final class Redaction {
  static final String MASK = "██";
  /** The mask in URLs: plain ASCII, so it prints as it is rather than percent-encoded. */
  static final String URL_MASK = "***";
  /** Secrets shorter than this are not scrubbed from free text: they would mangle it without protecting much. */
  private static final int MIN_SCRUBBED_LENGTH = 3;

  private final List<String> secrets;

  private Redaction(List<String> secrets) {
    this.secrets = secrets;
  }

  /**
   * A redaction that scrubs the given secrets, as they are and in the percent-encoded forms a URL or form body
   * gives them (nulls and very short values are ignored).
   */
  public static Redaction of(@Nullable String... secrets) {
    List<String> list = new ArrayList<>();
    for (String secret : secrets) {
      if (secret == null || secret.length() < MIN_SCRUBBED_LENGTH) continue;
      addOnce(list, secret);
      addOnce(list, HttpUrl.get("http://h/").newBuilder().addQueryParameter("s", secret).build().encodedQuery().substring(2));
      addOnce(list, HttpUrl.get("http://h/").newBuilder().addPathSegment(secret).build().encodedPath().substring(1));
    }
    return new Redaction(Collections.unmodifiableList(list));
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) list.add(value);
  }

  /** {@code url} with every query value and any user info replaced: safe to print. */
  public static String url(HttpUrl url) {
    HttpUrl.Builder builder = url.newBuilder().username("").password("").query(null);
    for (int i = 0, size = url.querySize(); i < size; i++) {
      builder.addQueryParameter(url.queryParameterName(i), url.queryParameterValue(i) == null ? null : URL_MASK);
    }
    return builder.build().toString();
  }

  /** {@code text} with every occurrence of a secret replaced. */
  public String scrub(@Nullable String text) {
    if (text == null) return "";
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) result = result.replace(secret, MASK);
    }
    return result;
  }

  /** Whether {@code text} contains any of the secrets. */
  public boolean leaks(@Nullable String text) {
    if (text == null) return false;
    for (String secret : secrets) {
      if (text.contains(secret)) return true;
    }
    return false;
  }

  /**
   * {@code throwable} itself when nothing in its chain mentions a secret; otherwise a copy of the chain whose
   * messages are scrubbed (class names kept in the message, stack traces kept).
   */
  public @Nullable Throwable chain(@Nullable Throwable throwable) {
    if (throwable == null || !chainLeaks(throwable)) return throwable;
    return redactedCopy(throwable, 0);
  }

  private boolean chainLeaks(Throwable throwable) {
    int depth = 0;
    for (Throwable t = throwable; t != null && depth < 16; t = t.getCause(), depth++) {
      if (leaks(t.getMessage()) || leaks(t.toString())) return true;
    }
    return false;
  }

  private Throwable redactedCopy(Throwable original, int depth) {
    Throwable cause = original.getCause();
    RedactedException copy =
        new RedactedException(
            original.getClass().getName() + ": " + scrub(original.getMessage()),
            cause != null && depth < 16 ? redactedCopy(cause, depth + 1) : null);
    copy.setStackTrace(original.getStackTrace());
    return copy;
  }

  /** Stands in for an exception whose message mentioned a secret. */
  static final class RedactedException extends Exception {
    private static final long serialVersionUID = 1L;

    RedactedException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
