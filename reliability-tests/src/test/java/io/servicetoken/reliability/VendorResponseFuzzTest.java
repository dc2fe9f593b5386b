package io.servicetoken.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Every vendor's response parsing gets arbitrary statuses, headers and bodies through its real source (see {@link
 * ResponseFuzzing}). The first byte picks the vendor ({@code '0'} VIVEPORT, {@code '1'} AppViewX, {@code '2'} Vyopta,
 * {@code '3'} SingleView, {@code '4'} Sportradar, any other byte modulo 5), an optional newline follows, the rest is
 * the answer. One target for all five, because Jazzer fuzzes one test per JVM and each JVM costs ~20 s of start-up
 * and instrumentation in CI. Seeds, the vendor docs' samples among them, are in {@code
 * VendorResponseFuzzTestInputs/anyVendorAnswerYieldsATokenOrATypedError}.
 */
class VendorResponseFuzzTest {
  private static final ResponseFuzzing[] FUZZING = new ResponseFuzzing[Vendor.values().length];

  static {
    for (Vendor vendor : Vendor.values()) FUZZING[vendor.ordinal()] = new ResponseFuzzing(vendor);
  }

  @FuzzTest(maxDuration = "30s")
  void anyVendorAnswerYieldsATokenOrATypedError(byte[] input) {
    if (input.length == 0) return;
    int vendor = Math.floorMod(input[0] - '0', FUZZING.length);
    int start = input.length > 1 && input[1] == '\n' ? 2 : 1;
    FUZZING[vendor].check(Arrays.copyOfRange(input, start, input.length));
  }
}
