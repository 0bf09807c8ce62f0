package l2l.autodiff;

/**
 * The loops of the fused LSTM cell ({@link Lstm#cell}), row by row over row-major arrays. Two
 * implementations compute the same bits: {@link VectorCellLoops} (SIMD, when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}) and {@link ScalarCellLoops}.
 */
interface CellLoops {
  /** The implementation in use ({@code -Dl2l.simd=scalar} forces the scalar one). */
  CellLoops INSTANCE = choose();

  private static CellLoops choose() {
    if (FastExp.vectorApiEnabled()) {
      try {
        return new VectorCellLoops();
      } catch (LinkageError | RuntimeException e) {
        return new ScalarCellLoops();
      }
    }
    return new ScalarCellLoops();
  }

  /** Arguments of exp are clamped to ±40: σ and tanh are then within 5e-18 of their limits. */
  double BOUND = 40.0;

  /**
   * The forward pass. For row r, with p = g + bias (g from gOff, 4h per row): acts (5h per row)
   * gets σ(p_i), tanh(p_j), σ(p_f), σ(p_o), tanh(c'), h' goes to hOut[hOff + r·hStride + u] and
   * c' to cOut[cOutOff + r·cStride + u], with c from cOff (h per row). {@code bias} already holds
   * the forget bias on the f block; {@code scale} is −1 on the logistic columns and −2 on the tanh
   * (j) columns, so that each activation is a/(1 + exp(clamp(scale·p, ±40))) − b. Unless
   * {@code keep}, acts is scratch space of one row (5h), overwritten row after row.
   */
  void forward(int n, int h, double[] g, int gOff, double[] bias, double[] scale, double[] c, int cOff, double[] acts,
      boolean keep, double[] hOut, int hOff, int hStride, double[] cOut, int cOutOff, int cStride);

  /**
   * The backward pass: from the cotangent ct (n×2h) of [h' | c'] and the saved acts, writes
   * ∂/∂gates (n×4h) into dGates and ∂/∂c (n×h) into dc unless it is null.
   */
  void backward(int n, int h, double[] acts, double[] c, double[] ct, double[] dGates, double[] dc);
}
