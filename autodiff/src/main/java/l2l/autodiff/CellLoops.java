package l2l.autodiff;

/**
 * The loops of the fused LSTM cell in double precision, over one unit's contiguous run of
 * coordinates (unit-major layout: gate k of unit u for coordinates 0 … n − 1 is a run of n
 * values). Two implementations compute the same bits: {@link VectorCellLoops} (SIMD, when the JVM
 * runs with {@code --add-modules jdk.incubator.vector}) and {@link ScalarCellLoops}.
 */
interface CellLoops {
  /** The implementation in use ({@code -Dl2l.simd=scalar} forces the scalar one). */
  CellLoops INSTANCE = choose();

  private static CellLoops choose() {
    if (FastExp.vectorApiEnabled()) {
      try {
        return VectorCellLoops.create();
      } catch (LinkageError | RuntimeException e) {
        return new ScalarCellLoops();
      }
    }
    return new ScalarCellLoops();
  }

  /** "SIMD (vector API, N double lanes)" or "scalar". */
  String describe();

  /**
   * One unit's gates for n coordinates: activates the pre-activations in place (i, f, o by the
   * logistic function after adding their biases, f also the forget bias; j by tanh), then
   * c = f·cPrev + i·j, tc = tanh(c), h = o·tc. Arrays are indexed from their offsets.
   */
  void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, int cpOff, double[] c, int cOff, double[] tc, int tcOff, double[] h, int hOff, int n);

  /**
   * The backward of {@link #gates} for one unit: from dh and dc (∂L/∂h', ∂L/∂c'), writes the
   * pre-activation cotangents into dGates and ∂L/∂cPrev into dc.
   */
  void gatesBackward(double[] acts, int iOff, int jOff, int fOff, int oOff, double[] cPrev, int cpOff, double[] tc, int tcOff,
      double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates, int n);

  /** y[yOff..] += a·x[xOff..], n entries. */
  void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff);

  /** Σ x[xOff + i]·y[yOff + i], n entries. */
  double dot(int n, double[] x, int xOff, double[] y, int yOff);

  /** Σ x[off + i], n entries. */
  double sum(int n, double[] x, int off);
}
