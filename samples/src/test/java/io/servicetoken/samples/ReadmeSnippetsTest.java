package io.servicetoken.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java and Kotlin snippet of the READMEs we write is code the build compiles: the Java ones are in {@link
 * ReadmeSnippets}, the Kotlin ones in {@code samples-kotlin}. A snippet counts as found when each of its paragraphs
 * appears there line by line (indentation aside), so a README edit that is not made in the code fails here.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern BLOCK = Pattern.compile("```(java|kotlin)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetIsCompiledInReadmeSnippets() {
    List<String> code = lines(read(ROOT.resolve("samples/src/test/java/io/servicetoken/samples/ReadmeSnippets.java")));
    List<String> missing = new ArrayList<>();
    for (String readme : List.of("README.md", "token-core/README.md", "token-testing/README.md")) {
      for (String snippet : snippets(readme, "java")) {
        // Android-only (RxAndroid's AndroidSchedulers, a TextView): not on this JVM's classpath.
        if (snippet.contains("AndroidSchedulers")) continue;
        // Spring Boot's configuration (@Configuration, @Bean): not on this build's classpath either.
        if (snippet.contains("@Configuration")) continue;
        if (!appears(snippet, code)) missing.add(readme + ":\n" + snippet);
      }
    }
    assertTrue(missing.isEmpty(), "README snippets not compiled in ReadmeSnippets.java:\n" + missing);
  }

  @Test
  void everyKotlinSnippetIsCompiledInSamplesKotlin() {
    List<String> code;
    try (Stream<Path> files = Files.walk(ROOT.resolve("samples-kotlin/src"))) {
      code = files.filter(file -> file.toString().endsWith(".kt")).sorted()
          .flatMap(file -> lines(read(file)).stream()).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> missing = new ArrayList<>();
    for (String snippet : snippets("README.md", "kotlin")) {
      if (snippet.startsWith("dependencies {")) continue;   // a Gradle build script, not code
      if (!appears(snippet, code)) missing.add(snippet);
    }
    assertTrue(missing.isEmpty(), "README Kotlin snippets not compiled in samples-kotlin:\n" + missing);
  }

  @Test
  void theChecksSeeTheSnippets() {
    // Guards the two tests above against passing vacuously (a renamed README, a changed fence).
    assertTrue(snippets("README.md", "java").size() >= 8);
    assertTrue(snippets("README.md", "kotlin").size() >= 3);
  }

  private static List<String> snippets(String readme, String language) {
    List<String> result = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(read(ROOT.resolve(readme)));
    while (matcher.find()) {
      if (matcher.group(1).equals(language)) result.add(matcher.group(2));
    }
    return result;
  }

  /** Each paragraph of the snippet, line by line with indentation and blank lines dropped, occurs in the code. */
  private static boolean appears(String snippet, List<String> code) {
    for (String paragraph : snippet.split("\\n\\s*\\n")) {
      List<String> lines = lines(paragraph);
      if (!lines.isEmpty() && Collections.indexOfSubList(code, lines) < 0) return false;
    }
    return true;
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toList());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
