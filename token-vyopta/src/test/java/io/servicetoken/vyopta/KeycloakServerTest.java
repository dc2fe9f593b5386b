package io.servicetoken.vyopta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link KeycloakServer} finds the JDK 21+ that Keycloak needs, without starting anything. */
class KeycloakServerTest {
  @TempDir Path jvms;

  private Path jdk(String name, String javaVersion) throws IOException {
    Path home = Files.createDirectories(jvms.resolve(name));
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.createFile(java, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.write(home.resolve("release"), ("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + javaVersion + "\"\n")
        .getBytes(UTF_8));
    return home;
  }

  @Test
  void featureVersionIsReadFromTheReleaseFile() throws IOException {
    assertEquals(25, KeycloakServer.javaVersion(jdk("temurin-25", "25.0.1")));
    assertEquals(21, KeycloakServer.javaVersion(jdk("jdk-21", "21")));
    assertEquals(8, KeycloakServer.javaVersion(jdk("jdk-8", "1.8.0_402")));
  }

  @Test
  void aDirectoryWithoutBinJavaIsNoJdk() throws IOException {
    Path jre = Files.createDirectories(jvms.resolve("half"));
    Files.write(jre.resolve("release"), "JAVA_VERSION=\"21.0.2\"\n".getBytes(UTF_8));

    assertEquals(-1, KeycloakServer.javaVersion(jre));
    assertEquals(-1, KeycloakServer.javaVersion(jvms.resolve("missing")));
  }

  @Test
  void theNewestJdk21OrLaterIsChosen() throws IOException {
    jdk("java-17-openjdk", "17.0.12");
    Path jdk25 = jdk("temurin-25", "25.0.1");
    jdk("temurin-21", "21.0.5");

    assertEquals(Optional.of(jdk25), detectIn(jvms));
  }

  @Test
  void onlyOlderJdksFindNothingUnlessThisJvmIs21OrLater() throws IOException {
    jdk("java-17-openjdk", "17.0.12");

    Optional<Path> found = detectIn(jvms);

    if (Runtime.version().feature() < KeycloakServer.MIN_JAVA) {
      assertFalse(found.isPresent(), String.valueOf(found));
    } else {
      assertEquals(Optional.of(Path.of(System.getProperty("java.home"))), found);
    }
  }

  private static Optional<Path> detectIn(Path dir) {
    String previous = System.getProperty("keycloak.jdks");
    System.setProperty("keycloak.jdks", dir.toString());
    try {
      return KeycloakServer.detectJavaHome();
    } finally {
      if (previous == null) System.clearProperty("keycloak.jdks");
      else System.setProperty("keycloak.jdks", previous);
    }
  }
}
