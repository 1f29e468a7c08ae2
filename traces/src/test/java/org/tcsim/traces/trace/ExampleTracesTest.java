package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tcsim.core.quant.ScaleMode;

/** The bundled traces hold the shapes their comment lines derive from the model configs. */
class ExampleTracesTest {

  private static List<GemmSpec> read(String name) throws IOException {
    List<GemmSpec> out = new ArrayList<>();
    try (TraceReader r = ExampleTraces.open(name)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  private static Map<String, String> shapes(List<GemmSpec> specs) {
    Map<String, String> m = new TreeMap<>();
    specs.forEach(s -> m.put(s.name(), s.shape()));
    return m;
  }

  @Test
  void llama3LayerFollowsItsConfig() throws IOException {
    // meta-llama/Meta-Llama-3-8B config.json
    long hidden = 4096;
    long inter = 14336;
    long heads = 32;
    long kvHeads = 8;
    long headDim = hidden / heads;
    long vocab = 128256;
    long tokens = 4096;
    List<GemmSpec> specs = read("llama3_8b_layer");
    Map<String, String> expected = new TreeMap<>();
    expected.put("layer.q_proj", tokens + "x" + heads * headDim + "x" + hidden);
    expected.put("layer.k_proj", tokens + "x" + kvHeads * headDim + "x" + hidden);
    expected.put("layer.v_proj", tokens + "x" + kvHeads * headDim + "x" + hidden);
    expected.put("layer.o_proj", tokens + "x" + hidden + "x" + heads * headDim);
    expected.put("layer.gate_proj", tokens + "x" + inter + "x" + hidden);
    expected.put("layer.up_proj", tokens + "x" + inter + "x" + hidden);
    expected.put("layer.down_proj", tokens + "x" + hidden + "x" + inter);
    expected.put("lm_head", tokens + "x" + vocab + "x" + hidden);
    assertEquals(expected, shapes(specs));
    specs.forEach(s -> assertEquals(Scaling.both(ScaleMode.SCALAR_32F), s.scaling()));
  }

  @Test
  void mixtralExpertsAreEightGroupsOfBalancedTokens() throws IOException {
    // mistralai/Mixtral-8x7B-v0.1 config.json: 8 experts, top-2, 4096 -> 14336 -> 4096
    long perExpert = 4096 * 2 / 8;
    Map<String, String> s = shapes(read("mixtral_8x7b_layer"));
    assertEquals("8 x " + perExpert + "x14336x4096", s.get("layer.experts.w1"));
    assertEquals("8 x " + perExpert + "x14336x4096", s.get("layer.experts.w3"));
    assertEquals("8 x " + perExpert + "x4096x14336", s.get("layer.experts.w2"));
    assertEquals("4096x1024x4096", s.get("layer.k_proj"));
    assertEquals(7, s.size());
  }

  @Test
  void deepSeekShapesAreDeepGemmsTable() throws IOException {
    List<GemmSpec> specs = read("deepseek_v3_dense");
    assertEquals(18, specs.size());
    // DeepGEMM README table: for M in {64, 128, 4096} the same six (N, K) pairs.
    List<String> nk = List.of("2112x7168", "24576x1536", "32768x512", "7168x16384", "4096x7168",
        "7168x2048");
    for (int i = 0; i < 18; i++) {
      GemmSpec s = specs.get(i);
      long m = List.of(64L, 128L, 4096L).get(i / 6);
      assertEquals(m + "x" + nk.get(i % 6), s.shape(), s.name());
      assertEquals("h800", s.gpu());
      assertEquals(new Scaling(ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F), s.scaling());
      assertTrue(s.source().contains("TFLOPS"), s.source());
    }
  }

  @Test
  void unknownExampleIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExampleTraces.open("gpt5"));
    assertTrue(e.getMessage().contains("llama3_8b_layer"));
  }
}
