package org.tcsim.timing.validate;

import java.util.Map;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.MachineParam;

/**
 * One measured GEMM throughput: on which GPU, the problem, what was measured and where it was
 * published; optionally the tile the kernel used and machine parameters the measurement differs
 * in (a power cap, say).
 *
 * @param line      line of the file it was read from (for messages)
 * @param gpu       GPU name as {@code tcsim time --gpu} takes it
 * @param problem   the GEMM (shape, groups, recipe)
 * @param tflops    measured throughput, 2 m n k groups per second
 * @param source    where it was published (empty if the file has no source column)
 * @param tile      {@code BMxBN} or {@code BMxBNxBK} the kernel used, or empty to let the tile search choose
 * @param overrides machine parameters set for this row
 */
public record MeasuredGemm(int line, String gpu, GemmProblem problem, double tflops, String source, String tile,
    Map<MachineParam, Double> overrides) {

  public MeasuredGemm {
    overrides = Map.copyOf(overrides);
  }
}
