package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.validate.MeasuredGemmCsv;

/** The machine file format and the measured-GEMM CSV: values, sources, and errors naming file, line and field. */
class MachineFileTest {

  private static List<String> complete() {
    List<String> lines = new ArrayList<>(List.of("# a test machine", ""));
    MachineSpec sample = FifoServerAndSpecTest.sample();
    for (MachineParam p : MachineParam.values()) {
      lines.add(p.key() + " = " + sample.get(p) + "   # D: source of " + p.key());
    }
    return lines;
  }

  @Test
  void aCompleteFileKeepsEveryValueAndSource() {
    MachineSpec s = MachineFile.read("m", complete(), "m.machine");
    assertEquals(2, s.get(MachineParam.SMS));
    assertEquals("D: source of hbm_tbps", s.sources().get(MachineParam.HBM_TBPS));
  }

  @Test
  void errorsNameTheFileTheLineAndTheKey() {
    List<String> missingSource = complete();
    missingSource.set(3, "sms = 2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MachineFile.read("m", missingSource, "m.machine"));
    assertTrue(e.getMessage().contains("m.machine line 4") && e.getMessage().contains("sms"), e.getMessage());

    List<String> badNumber = complete();
    badNumber.set(5, "clock_ghz = fast  # D: x");
    e = assertThrows(IllegalArgumentException.class, () -> MachineFile.read("m", badNumber, "m.machine"));
    assertTrue(e.getMessage().contains("line 6") && e.getMessage().contains("'fast'"), e.getMessage());

    List<String> missing = complete().subList(0, 5);
    e = assertThrows(IllegalArgumentException.class, () -> MachineFile.read("m", missing, "m.machine"));
    assertTrue(e.getMessage().contains("no value for") && e.getMessage().contains("power_limit_w"), e.getMessage());
  }

  @Test
  void overridesWithoutASourceAreRecordedAsSuch() {
    MachineSpec s = MachineFile.apply(FifoServerAndSpecTest.sample(), List.of("power_limit_w = 500"), "cap.txt");
    assertEquals(500, s.get(MachineParam.POWER_LIMIT_W));
    assertTrue(s.sources().get(MachineParam.POWER_LIMIT_W).contains("cap.txt line 1"));
  }

  @Test
  void measuredGemmErrorsNameTheLineAndField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeasuredGemmCsv.parse(
        List.of("gpu,recipe,groups,m,n,k,tflops", "h800,block,1,4096,x,7168,1000"), "f.csv"));
    assertTrue(e.getMessage().contains("f.csv line 2") && e.getMessage().contains("field n"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MeasuredGemmCsv.parse(
        List.of("gpu,recipe,groups,m,n,tflops", "h800,block,1,4096,7168,1000"), "f.csv"));
    assertTrue(e.getMessage().contains("no 'k' column"), e.getMessage());
    assertEquals(500.0, MeasuredGemmCsv.parse(List.of("gpu,recipe,groups,m,n,k,tflops,power_limit_w",
        "h100,rowwise,1,64,64,64,1.5,500"), "f.csv").get(0).overrides().get(MachineParam.POWER_LIMIT_W));
  }

  @Test
  void aMeasuredGemmFileWithoutRowsIsRefused() {
    // A validation that compared nothing has failed; it must not report a MAPE over zero rows.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeasuredGemmCsv.parse(
        List.of("# only comments", "gpu,recipe,groups,m,n,k,tflops", "", "# and no rows"), "f.csv"));
    assertTrue(e.getMessage().contains("f.csv") && e.getMessage().contains("no measured rows"), e.getMessage());
  }
}
