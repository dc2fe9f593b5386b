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
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
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
