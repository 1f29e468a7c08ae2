package org.tcsim.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.RowwiseScaling;

/**
 * Quantising 1M FP32 values (1024 x 1024, Gaussian) with each recipe, against the baseline of a
 * plain loop that encodes each float to E4M3 (RNE, satfinite) with no scale at all. The ratio to
 * the baseline is the recipe's overhead (amax passes, scale arithmetic, result copies).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QuantBench {

  private static final int N = 1024;

  private Matrix matrix;
  private float[] values;
  private final CurrentScaling current = new CurrentScaling(FpFormat.E4M3);
  private final RowwiseScaling rowwise = new RowwiseScaling(FpFormat.E4M3);
  private final GroupScaling groups = GroupScaling.activations();
  private final GroupScaling blocks = GroupScaling.weights();
  private final MxScaling mxFloor = MxScaling.mxfp8(MxScaleRule.FLOOR);
  private final MxScaling mxRceil = MxScaling.mxfp8(MxScaleRule.RCEIL);
  private final Nvfp4Scaling nvfp4 = new Nvfp4Scaling();

  @Setup
  public void setUp() {
    Random random = new Random(1);
    values = new float[N * N];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    matrix = new Matrix(N, N, values);
  }

  @Benchmark
  public byte[] baselineEncodeE4m3() {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) FpFormat.E4M3.encode(values[i], Rounding.RNE, Overflow.SATFINITE);
    }
    return out;
  }

  @Benchmark
  public QuantizedTensor currentScaling() {
    return current.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor rowwise() {
    return rowwise.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor groups1x128() {
    return groups.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor blocks128x128() {
    return blocks.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor mxfp8Floor() {
    return mxFloor.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor mxfp8Rceil() {
    return mxRceil.quantize(matrix, KAxis.ALONG_ROWS);
  }

  @Benchmark
  public QuantizedTensor mxfp8RceilColumns() {
    return mxRceil.quantize(matrix, KAxis.ALONG_COLUMNS);
  }

  @Benchmark
  public QuantizedTensor nvfp4() {
    return nvfp4.quantize(matrix, KAxis.ALONG_ROWS);
  }
}
