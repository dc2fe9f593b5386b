package io.servicetoken.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The version in the User-Agent comes from the build; proguard-tests proves it survives obfuscation too. */
class VersionTest {
  @Test
  void versionIsTheOneTheJarWasBuiltAs() {
    assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), Version.get());
  }
}
