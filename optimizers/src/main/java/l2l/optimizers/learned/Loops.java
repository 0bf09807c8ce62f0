package l2l.optimizers.learned;

import l2l.autodiff.FastExp;

/**
 * The elementwise loops of {@link FloatUnroll}, the LSTM in single precision, over contiguous runs
 * of coordinates (the double-precision loops are autodiff's). Two implementations compute the
 * same functions: {@link VectorLoops} with the JDK's vector API
 * (SIMD exp), used when the JVM runs with {@code --add-modules jdk.incubator.vector}, and
 * {@link ScalarLoops} otherwise.
 */
interface Loops {
  /** The implementation in use. */
  Loops INSTANCE = choose();

  private static Loops choose() {
    if (FastExp.vectorApiEnabled()) {
      try {
        return VectorLoops.create();
      } catch (LinkageError | RuntimeException e) {
        return new ScalarLoops();
      }
    }
    return new ScalarLoops();
  }

  /** "SIMD (vector API, N float lanes)" or "scalar". */
  String describe();

  // Single precision ({@link Precision#FLOAT32}), one layer at a time. The gates are the rows of
  // a 4h×n array in the order [i; f; o; j] (the three logistic gates first), with the biases
  // already added. Arguments of the logistic function are clamped to ±20 and those of tanh to ±10,
  // so that the gates' denominators and their product stay finite in float.

  /** a[off..off+len) = exp(scale · clamp(a, −bound, bound)), in place, in single precision. */
  void exp(float[] a, int off, int len, float bound, float scale);

  /**
   * The cell of a layer on entries [from, to) of its h×n arrays (hn = h·n): acts (4h×n) holds
   * exp(−i), exp(−f), exp(−o), exp(−2j) (from {@link #exp}) and gets σ(i), σ(f), σ(o), tanh(j);
   * c = f·cPrev + i·j goes to c and to tc.
   */
  void cell(float[] acts, int hn, float[] cPrev, float[] c, float[] tc, int from, int to);

  /**
   * The hidden state of a layer on entries [from, to): tc holds exp(−2·c) (from {@link #exp}) and
   * gets tanh(c); h' = o·tanh(c) goes to hOut[hOff + from ..].
   */
  void hidden(float[] acts, int hn, float[] tc, float[] hOut, int hOff, int from, int to);

  /**
   * The backward of a layer's gates on entries [from, to): from dh and dc (∂L/∂h', ∂L/∂c') and the
   * activated acts, writes the pre-activation cotangents into dGates (4h×n, [i; f; o; j]) and
   * ∂L/∂cPrev into dc.
   */
  void gatesBackward(float[] acts, int hn, float[] cPrev, float[] tc, float[] dh, float[] dc, float[] dGates, int from,
      int to);

  /** y[yOff..] += a·x[xOff..], n entries, in single precision. */
  void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff);

  /** Σ x[xOff + i]·y[yOff + i], n entries, accumulated in single precision. */
  float dot(int n, float[] x, int xOff, float[] y, int yOff);
}
