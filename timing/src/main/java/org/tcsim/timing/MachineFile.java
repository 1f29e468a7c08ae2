package org.tcsim.timing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Machine descriptions as text: one {@code key = value  # source} line per {@link MachineParam},
 * blank lines and {@code #} comment lines ignored. A GPU's timing is such a file in its
 * architecture module; {@code tcsim time --set-file} reads the same format as overrides (there the
 * source is optional).
 */
public final class MachineFile {

  private MachineFile() {}

  /** One parsed line: the parameter, its value, its source (null if the line gives none). */
  record Entry(MachineParam param, double value, String source, int line) {}

  /**
   * A complete description named {@code name} from {@code lines}: every parameter exactly once,
   * each with a source. Errors name {@code label} (the file), the line and the key.
   */
  public static MachineSpec read(String name, List<String> lines, String label) {
    Map<MachineParam, Entry> seen = new EnumMap<>(MachineParam.class);
    for (Entry e : parse(lines, label)) {
      Entry before = seen.put(e.param(), e);
      if (before != null) {
        throw new IllegalArgumentException(label + " line " + e.line() + ": " + e.param().key()
            + " given again (first on line " + before.line() + ")");
      }
      if (e.source() == null) {
        throw new IllegalArgumentException(label + " line " + e.line() + ": " + e.param().key()
            + " has no source (write 'key = value  # where the figure comes from')");
      }
    }
    List<String> missing = new ArrayList<>();
    MachineSpec.Builder b = MachineSpec.builder(name);
    for (MachineParam p : MachineParam.values()) {
      Entry e = seen.get(p);
      if (e == null) {
        missing.add(p.key());
      } else {
        b.set(p, e.value(), e.source());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(label + ": no value for " + String.join(", ", missing));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(label + ": " + ex.getMessage());
    }
  }

  /**
   * {@code base} with each line of {@code lines} applied in order; a line without a source is
   * recorded as an override from {@code label}.
   */
  public static MachineSpec apply(MachineSpec base, List<String> lines, String label) {
    MachineSpec spec = base;
    for (Entry e : parse(lines, label)) {
      try {
        spec = spec.with(e.param(), e.value(),
            e.source() == null ? "override (" + label + " line " + e.line() + ")" : e.source());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(label + " line " + e.line() + ": " + ex.getMessage());
      }
    }
    return spec;
  }

  /** The lines of a class-path resource, read as UTF-8; a missing resource is an error naming it. */
  public static List<String> resourceLines(Class<?> anchor, String path) {
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing machine description resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read machine description resource " + path + ": " + e, e);
    }
  }

  /** The description in resource {@code machines/NAME.machine} beside {@code anchor}'s package. */
  public static MachineSpec resource(Class<?> anchor, String name) {
    String path = "machines/" + name + ".machine";
    return read(name, resourceLines(anchor, path), path);
  }

  static List<Entry> parse(List<String> lines, String label) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int hash = line.indexOf('#');
      String body = (hash < 0 ? line : line.substring(0, hash)).strip();
      String source = hash < 0 ? null : line.substring(hash + 1).strip();
      if (source != null && source.isEmpty()) {
        source = null;
      }
      int eq = body.indexOf('=');
      String where = label + " line " + (i + 1);
      if (eq <= 0) {
        throw new IllegalArgumentException(where + ": expected 'key = value', got '" + line
            + "'; valid keys: " + MachineParam.validKeys());
      }
      MachineParam p;
      try {
        p = MachineParam.byKey(body.substring(0, eq));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": " + ex.getMessage());
      }
      String text = body.substring(eq + 1).strip();
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(where + ": value of " + p.key() + " is not a number: '" + text + "'");
      }
      entries.add(new Entry(p, value, source, i + 1));
    }
    return entries;
  }
}
