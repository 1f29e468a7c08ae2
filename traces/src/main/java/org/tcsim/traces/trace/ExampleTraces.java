package org.tcsim.traces.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The example traces bundled with tcsim (resources {@code org/tcsim/traces/examples}, copied to
 * the top-level {@code examples/traces} folder for users): real model shapes, each file stating
 * the model config and where it comes from in its comment lines.
 */
public final class ExampleTraces {

  /** Names of the bundled examples, without {@code .csv}. */
  public static final List<String> NAMES =
      List.of("llama3_8b_layer", "mixtral_8x7b_layer", "deepseek_v3_dense");

  private ExampleTraces() {}

  /** Opens a bundled example for streaming. */
  public static TraceReader open(String name) throws IOException {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no example trace '" + name + "'; known: "
          + String.join(", ", NAMES));
    }
    String resource = "/org/tcsim/traces/examples/" + name + ".csv";
    InputStream in = ExampleTraces.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("example resource missing from the build: " + resource);
    }
    return TraceReader.of(new InputStreamReader(in, StandardCharsets.UTF_8), name + ".csv");
  }
}
