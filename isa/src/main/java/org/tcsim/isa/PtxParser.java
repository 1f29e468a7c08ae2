package org.tcsim.isa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcsim.core.format.FpFormat;

/**
 * Reads the PTX spelling of an MMA instruction into an {@link MmaInstruction}, or throws an
 * {@link IllegalInstructionException} that says what is wrong.
 *
 * <p>Accepted input: the mnemonic, optionally preceded by a guard predicate ({@code @p}) and
 * followed by operands and a semicolon. Qualifiers must come in the order ptxas requires. The
 * operands are read only to tell where A lives: a second operand in braces means registers, in
 * brackets tensor memory, anything else a shared-memory descriptor (the default when no operands are
 * given).
 *
 * <p>{@code tcgen05.mma} carries its shape and element types in the runtime instruction descriptor,
 * so tcsim expects them written after the qualifiers; see {@link Tcgen05Instruction}.
 */
public final class PtxParser {

  /**
   * The target assumed for {@code mma.sync} when none is given: sm_89, the oldest modelled
   * architecture and the one whose tensor core is reached only through mma.sync.
   */
  public static final Architecture DEFAULT_MMA_SYNC_TARGET = Architecture.SM_89;

  private static final Pattern CTA_GROUP = Pattern.compile("cta_group::(\\d+)");
  private static final List<String> COLLECTOR_USAGE = List.of(
      "collector::a::fill", "collector::a::use", "collector::a::lastuse", "collector::a::discard");

  private PtxParser() {}

  /** Parses an instruction; mma.sync is taken to run on {@link #DEFAULT_MMA_SYNC_TARGET}. */
  public static MmaInstruction parse(String text) {
    return parse(text, Optional.empty());
  }

  /**
   * Parses an instruction for a given architecture: mma.sync runs there; wgmma and tcgen05 must
   * match it (sm_90a and sm_100a respectively) or the instruction is rejected.
   */
  public static MmaInstruction parse(String text, Architecture target) {
    return parse(text, Optional.of(target));
  }

  private static MmaInstruction parse(String text, Optional<Architecture> target) {
    if (text == null || text.isBlank()) {
      throw new IllegalInstructionException("empty instruction");
    }
    String s = text.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (s.startsWith("@")) {
      int sp = firstWhitespace(s);
      if (sp < 0) {
        throw new IllegalInstructionException("a guard predicate (" + s + ") with no instruction");
      }
      s = s.substring(sp).strip();
    }
    int sp = firstWhitespace(s);
    String mnemonic = sp < 0 ? s : s.substring(0, sp);
    String operands = sp < 0 ? "" : s.substring(sp).strip();
    Tokens t = new Tokens(mnemonic);
    String opcode = t.next("an opcode");
    MmaInstruction instr = switch (opcode) {
      case "wgmma" -> parseWgmma(t, operands);
      case "tcgen05" -> parseTcgen05(t, operands);
      case "mma" -> parseMmaSync(t, target.orElse(DEFAULT_MMA_SYNC_TARGET));
      case "wmma" -> throw new IllegalInstructionException(
          "wmma is not modelled; tcsim describes mma.sync, wgmma.mma_async and tcgen05.mma");
      default -> throw new IllegalInstructionException("'" + mnemonic
          + "' is not an MMA instruction tcsim knows: expected wgmma.mma_async, tcgen05.mma"
          + " or mma.sync");
    };
    if (target.isPresent() && instr.architecture() != target.get()) {
      Architecture needs = instr.architecture();
      throw new IllegalInstructionException(instr.family().ptxOpcode() + " runs only on "
          + needs.ptxTarget() + " (" + needs.generation() + "), not on " + target.get().ptxTarget()
          + " (" + target.get().generation() + ")");
    }
    return instr;
  }

  // ---------------------------------------------------------------- wgmma

  private static WgmmaInstruction parseWgmma(Tokens t, String operands) {
    String op = t.next("mma_async");
    if (!op.equals("mma_async")) {
      throw new IllegalInstructionException("wgmma." + op
          + " is not a multiply-accumulate; tcsim describes wgmma.mma_async");
    }
    if (t.accept("sp")) {
      throw new IllegalInstructionException("sparse wgmma.mma_async.sp is not modelled");
    }
    t.expectSyncAligned("wgmma.mma_async");
    MmaShape shape = t.shape("m64n128k32");
    boolean satfinite = t.accept("satfinite");
    OperandType d = t.type("the accumulator type (.dtype)");
    OperandType a = t.type("the A type (.atype)");
    OperandType b = t.type("the B type (.btype)");
    t.end();
    OperandSource src = aSource(operands).orElse(OperandSource.SHARED_MEMORY);
    return new WgmmaInstruction(shape, d, a, b, src, satfinite);
  }

  // ---------------------------------------------------------------- tcgen05

  private static Tcgen05Instruction parseTcgen05(Tokens t, String operands) {
    String op = t.next("mma");
    if (!op.equals("mma")) {
      throw new IllegalInstructionException("tcgen05." + op
          + " is not a multiply-accumulate; tcsim describes tcgen05.mma");
    }
    if (t.accept("sp")) {
      throw new IllegalInstructionException("sparse tcgen05.mma.sp is not modelled");
    }
    if (t.accept("ws")) {
      throw new IllegalInstructionException("weight-stationary tcgen05.mma.ws is not modelled");
    }
    String ctaTok = t.next(".cta_group::1 or .cta_group::2");
    Matcher cm = CTA_GROUP.matcher(ctaTok);
    if (!cm.matches()) {
      throw new IllegalInstructionException(
          "tcgen05.mma needs .cta_group::1 or .cta_group::2 after .mma, found ." + ctaTok);
    }
    int ctaGroup = Integer.parseInt(cm.group(1));
    String kindTok = t.next(".kind::...");
    Tcgen05Kind kind = kindTok.startsWith("kind::") ? Tcgen05Kind.byName(kindTok).orElseThrow(
        () -> new IllegalInstructionException("unknown ." + kindTok + "; known: " + kindNames()))
        : null;
    if (kind == null) {
      throw new IllegalInstructionException(
          "tcgen05.mma needs .kind::... after .cta_group, found ." + kindTok);
    }
    boolean blockScaleWritten = t.accept("block_scale");
    String vecTok = null;
    if (blockScaleWritten && t.has()
        && (t.peek().startsWith("scale_vec::") || t.peek().matches("block\\d+"))) {
      vecTok = t.next("a scale vector size");
    }
    while (t.has() && t.peek().startsWith("collector::")) {
      String c = t.next("collector usage");
      if (!COLLECTOR_USAGE.contains(c)) {
        throw new IllegalInstructionException("unknown collector usage ." + c + "; known: ."
            + String.join(", .", COLLECTOR_USAGE));
      }
      // Collector usage changes operand reuse, not the arithmetic: accepted and not kept.
    }
    if (!t.has() || MmaShape.parsePtx(t.peek()).isEmpty()) {
      String found = t.has() ? ", found ." + t.peek() : "";
      throw new IllegalInstructionException("tcgen05.mma takes its shape and element types from"
          + " the instruction descriptor (idesc), which the PTX text does not show; write them"
          + " after the qualifiers, e.g. tcgen05.mma.cta_group::1.kind::f8f6f4.m128n256k32.f32"
          + ".e4m3.e4m3" + found);
    }
    MmaShape shape = t.shape("m128n256k32");
    OperandType d = t.type("the accumulator type");
    OperandType a = t.type("the A type");
    OperandType b = t.type("the B type");
    String scaleTok = kind.blockScaled() && t.has() ? t.next("the scale type") : null;
    t.end();

    if (blockScaleWritten && !kind.blockScaled()) {
      throw new IllegalInstructionException(".block_scale is only legal with .kind::mxf8f6f4,"
          + " .kind::mxf4 and .kind::mxf4nvf4, not ." + kind.ptx());
    }
    if (kind.blockScaled() && !blockScaleWritten) {
      throw new IllegalInstructionException("." + kind.ptx() + " requires .block_scale");
    }
    Optional<BlockScale> blockScale = Optional.empty();
    if (kind.blockScaled()) {
      ScaleVec vec = scaleVec(kind, vecTok);
      Tcgen05Rules.checkScaleVec(kind, vec);
      FpFormat scaleFormat = scaleFormat(kind, vec, scaleTok);
      // A wrong K is reported by the rules; size the block from the kind's K meanwhile.
      int k = shape.k() == kind.denseK() ? shape.k() : kind.denseK();
      blockScale = Optional.of(new BlockScale(vec, scaleFormat, k / vec.scalesPerRow()));
    }
    OperandSource src = aSource(operands).orElse(OperandSource.SHARED_MEMORY);
    return new Tcgen05Instruction(ctaGroup, kind, shape, d, a, b, src, blockScale);
  }

  /**
   * The scale vector: written as {@code .scale_vec::NX} or its PTX 8.8 alias {@code .blockN}, or
   * defaulted (mxf8f6f4: 1X, mxf4: 2X; mxf4nvf4 must say), PTX ISA 8.7, §9.7.16.10.9.1.
   */
  private static ScaleVec scaleVec(Tcgen05Kind kind, String vecTok) {
    if (vecTok == null) {
      return switch (kind) {
        case MXF8F6F4 -> ScaleVec.X1;
        case MXF4 -> ScaleVec.X2;
        case MXF4NVF4 -> throw new IllegalInstructionException(".kind::mxf4nvf4 needs an explicit"
            + " .scale_vec::2X (.block32) or .scale_vec::4X (.block16)");
        default -> throw new AssertionError(kind);
      };
    }
    if (vecTok.startsWith("scale_vec::")) {
      return ScaleVec.byPtx(vecTok).orElseThrow(() -> new IllegalInstructionException(
          "unknown ." + vecTok + "; known: .scale_vec::1X, .scale_vec::2X, .scale_vec::4X"));
    }
    return switch (vecTok) {
      case "block32" -> kind == Tcgen05Kind.MXF8F6F4 ? ScaleVec.X1 : ScaleVec.X2;
      case "block16" -> {
        if (kind != Tcgen05Kind.MXF4NVF4) {
          throw new IllegalInstructionException(
              ".block16 is only legal with .kind::mxf4nvf4, not ." + kind.ptx());
        }
        yield ScaleVec.X4;
      }
      default -> throw new IllegalInstructionException(
          "unknown ." + vecTok + "; block sizes are .block16 and .block32");
    };
  }

  /** The scale type: written last, or defaulted to ue8m0 where that is the only legal one. */
  private static FpFormat scaleFormat(Tcgen05Kind kind, ScaleVec vec, String scaleTok) {
    if (scaleTok == null) {
      if (kind == Tcgen05Kind.MXF4NVF4 && vec == ScaleVec.X4) {
        throw new IllegalInstructionException(".kind::mxf4nvf4 with .scale_vec::4X takes .ue8m0"
            + " or .ue4m3 scales: write the scale type after the B type");
      }
      return FpFormat.E8M0;
    }
    return switch (scaleTok) {
      case "ue8m0" -> FpFormat.E8M0;
      case "ue4m3" -> FpFormat.UE4M3;
      default -> throw new IllegalInstructionException(
          "unknown scale type ." + scaleTok + "; block scales are .ue8m0 or .ue4m3");
    };
  }

  private static String kindNames() {
    StringBuilder sb = new StringBuilder();
    for (Tcgen05Kind k : Tcgen05Kind.values()) {
      sb.append(sb.length() == 0 ? "." : ", .").append(k.ptx());
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- mma.sync

  private static MmaSyncInstruction parseMmaSync(Tokens t, Architecture target) {
    String op = t.next("sync");
    if (op.equals("sp") || op.equals("sp::ordered_metadata")) {
      throw new IllegalInstructionException("sparse mma.sp is not modelled");
    }
    if (!op.equals("sync")) {
      throw new IllegalInstructionException("expected mma.sync, found mma." + op);
    }
    if (!t.accept("aligned")) {
      throw new IllegalInstructionException("mma.sync must be followed by .aligned"
          + (t.has() ? ", found ." + t.peek() : ""));
    }
    if (t.has() && (t.peek().startsWith("kind::") || t.peek().equals("block_scale"))) {
      throw new IllegalInstructionException("mma.sync with ." + t.peek()
          + " (sm_120a block-scaled forms) is not modelled");
    }
    MmaShape shape = t.shape("m16n8k32");
    String la = t.next(".row");
    String lb = t.next(".col");
    if (!la.equals("row") || !lb.equals("col")) {
      throw new IllegalInstructionException("mma.sync ." + shape.ptx()
          + " supports only the .row.col layout, found ." + la + "." + lb);
    }
    boolean satfinite = t.accept("satfinite");
    OperandType d = t.type("the D type (.dtype)");
    OperandType a = t.type("the A type (.atype)");
    OperandType b = t.type("the B type (.btype)");
    OperandType c = t.type("the C type (.ctype)");
    t.end();
    return new MmaSyncInstruction(shape, d, a, b, c, satfinite, target);
  }

  // ---------------------------------------------------------------- operands

  /** Where A lives, from the operand list; empty when no operands were written. */
  static Optional<OperandSource> aSource(String operands) {
    if (operands.isBlank()) {
      return Optional.empty();
    }
    List<String> ops = splitTopLevel(operands);
    if (ops.size() < 2) {
      throw new IllegalInstructionException("expected operands d, a, b, ... after the mnemonic,"
          + " found only '" + operands + "'");
    }
    String a = ops.get(1).strip();
    if (a.startsWith("{")) {
      return Optional.of(OperandSource.REGISTERS);
    }
    if (a.startsWith("[")) {
      return Optional.of(OperandSource.TENSOR_MEMORY);
    }
    return Optional.of(OperandSource.SHARED_MEMORY);
  }

  private static List<String> splitTopLevel(String operands) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < operands.length(); i++) {
      char ch = operands.charAt(i);
      if (ch == '{' || ch == '[') {
        depth++;
      } else if (ch == '}' || ch == ']') {
        depth--;
        if (depth < 0) {
          throw new IllegalInstructionException("unbalanced '" + ch + "' in operands: " + operands);
        }
      } else if (ch == ',' && depth == 0) {
        out.add(operands.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalInstructionException("unbalanced brackets in operands: " + operands);
    }
    out.add(operands.substring(start));
    return out;
  }

  private static int firstWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The dot-separated qualifiers of a mnemonic, read in order. */
  private static final class Tokens {
    private final String mnemonic;
    private final List<String> parts;
    private int i;

    Tokens(String mnemonic) {
      this.mnemonic = mnemonic;
      this.parts = Arrays.asList(mnemonic.split("\\.", -1));
      if (parts.contains("")) {
        throw new IllegalInstructionException("empty qualifier in '" + mnemonic
            + "' (two dots in a row, or a leading or trailing dot)");
      }
    }

    boolean has() {
      return i < parts.size();
    }

    String peek() {
      return parts.get(i);
    }

    String next(String expected) {
      if (!has()) {
        throw new IllegalInstructionException("'" + mnemonic + "' ends where " + expected
            + " was expected");
      }
      return parts.get(i++);
    }

    boolean accept(String token) {
      if (has() && peek().equals(token)) {
        i++;
        return true;
      }
      return false;
    }

    void expectSyncAligned(String opcode) {
      if (!accept("sync") || !accept("aligned")) {
        throw new IllegalInstructionException(opcode + " must be followed by .sync.aligned"
            + (has() ? ", found ." + peek() : ""));
      }
    }

    MmaShape shape(String example) {
      String tok = next("a shape such as ." + example);
      return MmaShape.parsePtx(tok).orElseThrow(() -> new IllegalInstructionException(
          "expected a shape such as ." + example + ", found ." + tok));
    }

    OperandType type(String role) {
      String tok = next(role);
      if (tok.equals("b1")) {
        throw new IllegalInstructionException("single-bit (.b1) MMA is not modelled");
      }
      if (tok.equals("f64")) {
        throw new IllegalInstructionException("double-precision (.f64) MMA is not modelled");
      }
      return OperandType.byPtxName(tok).orElseThrow(() -> new IllegalInstructionException(
          "expected " + role + ", found ." + tok + "; known types: " + typeNames()));
    }

    void end() {
      if (has()) {
        throw new IllegalInstructionException("unexpected qualifier ." + peek() + " in '"
            + mnemonic + "'");
      }
    }

    private static String typeNames() {
      StringBuilder sb = new StringBuilder();
      for (OperandType t : OperandType.values()) {
        sb.append(sb.length() == 0 ? "." : ", .").append(t.ptxName());
      }
      return sb.toString();
    }
  }
}
