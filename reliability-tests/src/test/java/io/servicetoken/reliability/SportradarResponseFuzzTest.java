package io.servicetoken.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Sportradar's response parsing gets arbitrary statuses, headers and bodies (see {@link ResponseFuzzing}); seeds, the
 * vendor docs' samples among them, are in {@code SportradarResponseFuzzTestInputs/anyAnswerYieldsATokenOrATypedError}. One
 * fuzz test per class: Jazzer fuzzes one test per JVM.
 */
class SportradarResponseFuzzTest {
  private static final ResponseFuzzing FUZZING = new ResponseFuzzing(Vendor.SPORTRADAR);

  @FuzzTest(maxDuration = "20s")
  void anyAnswerYieldsATokenOrATypedError(byte[] input) {
    FUZZING.check(input);
  }
}
