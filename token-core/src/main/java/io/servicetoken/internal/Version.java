package io.servicetoken.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This SDK's version, for the {@code User-Agent}. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  /** The version the jar was built as, or {@code "unknown"} when its resource was stripped. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    // An absolute name: a shrinker that renames this class's package (ProGuard, R8) leaves the resource where it
    // is, so a name relative to the class would no longer find it and the User-Agent would say "unknown".
    try (InputStream in = Version.class.getResourceAsStream("/io/servicetoken/internal/version.properties")) {
      if (in == null) return "unknown";
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
