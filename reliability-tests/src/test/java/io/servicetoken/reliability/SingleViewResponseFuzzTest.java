package io.servicetoken.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * SingleView's response parsing gets arbitrary statuses, headers and bodies (see {@link ResponseFuzzing}); seeds, the
 * vendor docs' samples among them, are in {@code SingleViewResponseFuzzTestInputs/anyAnswerYieldsATokenOrATypedError}. One
 * fuzz test per class: Jazzer fuzzes one test per JVM.
 */
class SingleViewResponseFuzzTest {
  private static final ResponseFuzzing FUZZING = new ResponseFuzzing(Vendor.SINGLEVIEW);

  @FuzzTest(maxDuration = "20s")
  void anyAnswerYieldsATokenOrATypedError(byte[] input) {
    FUZZING.check(input);
  }
}
