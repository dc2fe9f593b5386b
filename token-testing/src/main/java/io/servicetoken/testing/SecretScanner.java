package io.servicetoken.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Asserts that no secret appears in what an app or library prints: exception messages, {@code toString()}s and
 * whole cause chains (causes and suppressed exceptions, recursively).
 *
 * <pre>{@code
 * TokenException e = assertThrows(TokenException.class, () -> source.fetch().blockingGet());
 * SecretScanner.assertNoSecret(e, "my-client-secret", "my-password");
 * }</pre>
 *
 * <p>Failures name which secret leaked (by position and length) and where, never the secret itself.
 */
public final class SecretScanner {
  private SecretScanner() {}

  /**
   * Fails with an {@link AssertionError} if any of {@code secrets} appears in {@code subject}: in every message and
   * {@code toString()} of its cause chain when it is a {@link Throwable}, else in {@code String.valueOf(subject)}.
   *
   * @param subject what is printed: an exception, a token, a source, a URL, an event...
   * @param secrets the secrets to look for; null or empty ones are ignored
   * @throws AssertionError naming the first leak found
   */
  public static void assertNoSecret(@Nullable Object subject, String... secrets) {
    List<String> leaks = findLeaks(subject, secrets);
    if (!leaks.isEmpty()) throw new AssertionError("secret leaked: " + leaks);
  }

  /**
   * Where secrets appear in {@code subject}, as descriptions without the secrets themselves.
   *
   * @param subject what is printed
   * @param secrets the secrets to look for
   * @return one entry per leak; empty when there is none
   */
  public static List<String> findLeaks(@Nullable Object subject, String... secrets) {
    List<String> texts = new ArrayList<>();
    if (subject instanceof Throwable) {
      collect((Throwable) subject, texts, Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>()));
    } else {
      texts.add(String.valueOf(subject));
    }
    List<String> leaks = new ArrayList<>();
    for (int i = 0; i < secrets.length; i++) {
      String secret = secrets[i];
      if (secret == null || secret.isEmpty()) continue;
      for (String text : texts) {
        if (text.contains(secret)) {
          leaks.add("secret #" + (i + 1) + " (" + secret.length() + " chars) in \"" + mask(text, secret) + "\"");
        }
      }
    }
    return leaks;
  }

  private static void collect(Throwable throwable, List<String> texts, Set<Throwable> seen) {
    if (!seen.add(throwable)) return;
    texts.add(String.valueOf(throwable.getMessage()));
    texts.add(String.valueOf(throwable.getLocalizedMessage()));
    texts.add(throwable.toString());
    if (throwable.getCause() != null) collect(throwable.getCause(), texts, seen);
    for (Throwable suppressed : throwable.getSuppressed()) collect(suppressed, texts, seen);
  }

  private static String mask(String text, String secret) {
    return text.replace(secret, "<SECRET>");
  }
}
