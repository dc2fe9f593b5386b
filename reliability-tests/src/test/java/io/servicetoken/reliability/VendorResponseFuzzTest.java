package io.servicetoken.reliability;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Every vendor's response parsing gets arbitrary statuses, headers and bodies through its real source (see {@link
 * ResponseFuzzing}). The first byte picks the vendor ({@code '0'} VIVEPORT, {@code '1'} AppViewX, {@code '2'} Vyopta,
 * {@code '3'} SingleView, {@code '4'} Sportradar, any other byte modulo 5), an optional newline follows, the rest is
 * the answer. One target for all five, because Jazzer fuzzes one test per JVM and each JVM costs ~20 s of start-up
 * and instrumentation in CI. Seeds, the vendor docs' samples among them, are in {@code
 * VendorResponseFuzzTestInputs/anyVendorAnswerYieldsATokenOrATypedError}. {@code ResponseFuzzingTest} checks that
 * the harness reaches the parsers at all (in a class of its own: a JUnit test next to a {@code @FuzzTest} made
 * Jazzer's fuzzing mode end without reporting a finding).
 *
 * <p>The answers come from loopback servers, so Jazzer's SSRF detector is told that connections to them (and to
 * nothing else) are expected: a token request that went anywhere else would still be a finding.
 */
class VendorResponseFuzzTest {
  private static final ResponseFuzzing[] FUZZING = new ResponseFuzzing[Vendor.values().length];

  static {
    for (Vendor vendor : Vendor.values()) FUZZING[vendor.ordinal()] = new ResponseFuzzing(vendor);
  }

  @AfterAll
  static void stopServers() throws IOException {
    for (ResponseFuzzing fuzzing : FUZZING) fuzzing.close();
  }

  @FuzzTest(maxDuration = "30s")
  void anyVendorAnswerYieldsATokenOrATypedError(byte[] input) {
    // Here rather than once: Jazzer starts each fuzz run with connections denied, and a connection that a malformed
    // answer closed is opened again mid-run.
    BugDetectors.allowNetworkConnections(VendorResponseFuzzTest::isHarnessServer);
    run(input);
  }

  private static boolean isHarnessServer(String host, int port) {
    for (ResponseFuzzing fuzzing : FUZZING) {
      if (fuzzing.isServer(host, port)) return true;
    }
    return false;
  }

  private static void run(byte[] input) {
    if (input.length == 0) return;
    int vendor = Math.floorMod(input[0] - '0', FUZZING.length);
    int start = input.length > 1 && input[1] == '\n' ? 2 : 1;
    FUZZING[vendor].check(Arrays.copyOfRange(input, start, input.length));
  }
}
