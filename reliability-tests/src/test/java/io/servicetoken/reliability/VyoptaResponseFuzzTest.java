package io.servicetoken.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Vyopta's response parsing gets arbitrary statuses, headers and bodies (see {@link ResponseFuzzing}); seeds, the
 * vendor docs' samples among them, are in {@code VyoptaResponseFuzzTestInputs/anyAnswerYieldsATokenOrATypedError}. One
 * fuzz test per class: Jazzer fuzzes one test per JVM.
 */
class VyoptaResponseFuzzTest {
  private static final ResponseFuzzing FUZZING = new ResponseFuzzing(Vendor.VYOPTA);

  @FuzzTest(maxDuration = "20s")
  void anyAnswerYieldsATokenOrATypedError(byte[] input) {
    FUZZING.check(input);
  }
}
