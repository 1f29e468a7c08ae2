package org.tcsim.gpu;

import java.util.List;

/** A GPU name the catalogue does not know; the message lists the known ones. */
public final class UnknownGpuException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String name;

  UnknownGpuException(String name, List<String> known) {
    super("unknown GPU '" + name + "'; known: " + String.join(", ", known));
    this.name = name;
  }

  /** The name that was looked up. */
  public String name() {
    return name;
  }
}
