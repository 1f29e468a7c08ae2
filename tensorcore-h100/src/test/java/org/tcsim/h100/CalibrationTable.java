package org.tcsim.h100;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the measured DeepGEMM H800 rows (test resource: DeepGEMM README at commit 327ec92). */
final class CalibrationTable {
  /** One measured GEMM: shape, TFLOPS and GB/s as DeepGEMM reports them. */
  record Row(long m, long n, long k, double tflops, double gbps) {}

  private CalibrationTable() {}

  static List<Row> load() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = CalibrationTable.class.getResourceAsStream("/timing/deepgemm_h800_dense.csv")) {
      if (in == null) {
        throw new IOException("missing test resource /timing/deepgemm_h800_dense.csv");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean header = true;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split(",");
        rows.add(new Row(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4])));
      }
    }
    return rows;
  }
}
