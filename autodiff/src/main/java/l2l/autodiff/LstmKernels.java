package l2l.autodiff;

/**
 * Array kernels of one coordinatewise LSTM layer and of the linear output, for a block of
 * {@code n} coordinates, in unit-major layout: an array of width w holds w rows of n values, so
 * each unit's values over the block are contiguous (and vectorize). Gates are the rows of a
 * 4h×n array, [i; j; f; o], as in Sonnet's LSTM: c' = σ(f + forgetBias)·c + σ(i)·tanh(j),
 * h' = σ(o)·tanh(c'). The weight matrix w is (in + h)×4h as in φ.
 *
 * <p>This is the LSTM cell in double precision: {@link Lstm#layer} and {@link Lstm#cell} run these
 * kernels, and engines that keep their own buffers call them directly. The elementwise loops are
 * SIMD when the JVM runs with {@code --add-modules jdk.incubator.vector}, with the same bits either
 * way.
 */
public final class LstmKernels {
  private LstmKernels() {}

  private static final CellLoops L = CellLoops.INSTANCE;

  /**
   * One forward step of a layer. z (in+h × n) must already hold [x; hPrev]. Writes the activated
   * gates (4h×n), the new cell, its tanh and the new hidden state (h×n each).
   */
  public static void forward(int n, int in, int h, double[] z, double[] cPrev, double[] w, double[] b, double forgetBias,
      double[] acts, double[] cNew, double[] tanhC, double[] hNew) {
    Gemm.gemm(true, false, 4 * h, n, in + h, 1.0, w, z, 0.0, acts);
    cell(n, h, acts, b, forgetBias, cPrev, 0, cNew, 0, tanhC, hNew, 0);
  }

  /**
   * The cell of a layer: acts (4h×n) holds the pre-activations without bias and gets the activated
   * gates; from the previous cell (h×n from cPrev[cpOff]) writes the new cell (h×n from
   * cNew[cOff]), its tanh (h×n) and the new hidden state (h×n from hNew[hOff]).
   */
  public static void cell(int n, int h, double[] acts, double[] b, double forgetBias, double[] cPrev, int cpOff,
      double[] cNew, int cOff, double[] tanhC, double[] hNew, int hOff) {
    for (int u = 0; u < h; u++) {
      L.gates(acts, u * n, (h + u) * n, (2 * h + u) * n, (3 * h + u) * n, b[u], b[h + u], b[2 * h + u] + forgetBias,
          b[3 * h + u], cPrev, cpOff + u * n, cNew, cOff + u * n, tanhC, u * n, hNew, hOff + u * n, n);
    }
  }

  /**
   * The backward of {@link #cell}: from dh and dc (∂L/∂h', ∂L/∂c', h×n each from their offsets)
   * writes the pre-activation cotangents (4h×n) into dGates and ∂L/∂c of the previous cell into dc.
   */
  public static void cellBackward(int n, int h, double[] acts, double[] cPrev, int cpOff, double[] tanhC, double[] dh,
      int dhOff, double[] dc, int dcOff, double[] dGates) {
    for (int u = 0; u < h; u++) {
      L.gatesBackward(acts, u * n, (h + u) * n, (2 * h + u) * n, (3 * h + u) * n, cPrev, cpOff + u * n, tanhC, u * n,
          dh, dhOff + u * n, dc, dcOff + u * n, dGates, n);
    }
  }

  /** Σ over the n entries of each of the {@code rows} runs of a unit-major array, added into out. */
  public static void addRowSums(int n, int rows, double[] a, double[] out) {
    for (int k = 0; k < rows; k++) out[k] += L.sum(n, a, k * n);
  }

  /**
   * One backward step of a layer. On entry {@code dh} holds ∂L/∂h' and {@code dc} ∂L/∂c' (h×n);
   * on exit {@code dc} holds ∂L/∂c of the previous cell, {@code dz} (in+h × n) holds
   * ∂L/∂[x; hPrev], and dW, db have accumulated this step's contribution.
   */
  public static void backward(int n, int in, int h, double[] z, double[] acts, double[] cPrev, double[] tanhC, double[] w,
      double[] dh, double[] dc, double[] dGates, double[] dz, double[] dW, double[] db) {
    cellBackward(n, h, acts, cPrev, 0, tanhC, dh, 0, dc, 0, dGates);
    int zw = in + h;
    Gemm.gemm(false, true, zw, 4 * h, n, 1.0, z, dGates, 1.0, dW);
    addRowSums(n, 4 * h, dGates, db);
    Gemm.gemm(false, false, zw, n, 4 * h, 1.0, w, dGates, 0.0, dz);
  }

  /** out[r] = scale · (Σ_k w[k]·x[k, r] + b) for the width×n input x. */
  public static void output(int n, int width, double[] x, double[] w, double b, double scale, double[] out) {
    java.util.Arrays.fill(out, 0, n, b);
    for (int k = 0; k < width; k++) L.axpy(n, w[k], x, k * n, out, 0);
    for (int r = 0; r < n; r++) out[r] *= scale;
  }

  /**
   * The backward of {@link #output}: given dOut (n, already multiplied by scale), accumulates dW
   * (width) and db[0], and writes dx (width×n) if it is not null.
   */
  public static void outputBackward(int n, int width, double[] x, double[] w, double[] dOut, double[] dW, double[] db,
      double[] dx) {
    db[0] += L.sum(n, dOut, 0);
    for (int k = 0; k < width; k++) {
      dW[k] += L.dot(n, x, k * n, dOut, 0);
      if (dx != null) {
        java.util.Arrays.fill(dx, k * n, (k + 1) * n, 0.0);
        L.axpy(n, w[k], dOut, 0, dx, k * n);
      }
    }
  }

  /** Copies the rows [r0, r0 + n) of a row-major N×w matrix into a w×n unit-major block. */
  public static void toBlock(double[] rowMajor, int w, int r0, int n, double[] block, int blockOffset) {
    for (int r = 0; r < n; r++) {
      int src = (r0 + r) * w;
      for (int k = 0; k < w; k++) block[blockOffset + k * n + r] = rowMajor[src + k];
    }
  }

  /** Copies a w×n unit-major block back into rows [r0, r0 + n) of a row-major N×w matrix. */
  public static void fromBlock(double[] block, int blockOffset, int w, int r0, int n, double[] rowMajor) {
    for (int r = 0; r < n; r++) {
      int dst = (r0 + r) * w;
      for (int k = 0; k < w; k++) rowMajor[dst + k] = block[blockOffset + k * n + r];
    }
  }

  /** The elementwise loops in use, e.g. "SIMD (vector API, 8 double lanes)" or "scalar". */
  public static String loops() {
    return L.describe();
  }
}
