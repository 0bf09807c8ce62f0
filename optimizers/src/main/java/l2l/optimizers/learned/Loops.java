package l2l.optimizers.learned;

/**
 * The elementwise loops of the LSTM kernels, over one unit's contiguous run of coordinates. Two
 * implementations compute the same functions: {@link VectorLoops} with the JDK's vector API
 * (SIMD exp), used when the JVM runs with {@code --add-modules jdk.incubator.vector}, and
 * {@link ScalarLoops} otherwise.
 */
interface Loops {
  /** The implementation in use. */
  Loops INSTANCE = choose();

  private static Loops choose() {
    if (!"scalar".equals(System.getProperty("l2l.simd"))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        return VectorLoops.create();
      } catch (LinkageError | RuntimeException e) {
        return new ScalarLoops();
      }
    }
    return new ScalarLoops();
  }

  /** "SIMD (vector API, N lanes)" or "scalar". */
  String describe();

  /**
   * One unit's gates for n coordinates: activates the pre-activations in place (i, f, o by the
   * logistic function after adding their biases, f also the forget bias; j by tanh), then
   * c = f·cPrev + i·j, tc = tanh(c), h = o·tc. Arrays are indexed from their offsets.
   */
  void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, double[] c, double[] tc, double[] h, int off, int n);

  /**
   * The backward of {@link #gates} for one unit: from dh and dc (∂L/∂h', ∂L/∂c'), writes the
   * pre-activation cotangents into dGates and ∂L/∂cPrev into dc.
   */
  void gatesBackward(double[] acts, int iOff, int jOff, int fOff, int oOff, double[] cPrev, double[] tc,
      double[] dh, double[] dc, int off, double[] dGates, int n);

  /** y[yOff..] += a·x[xOff..], n entries. */
  void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff);

  /** Σ x[xOff + i]·y[yOff + i], n entries. */
  double dot(int n, double[] x, int xOff, double[] y, int yOff);

  /** Σ x[off + i], n entries. */
  double sum(int n, double[] x, int off);
}
