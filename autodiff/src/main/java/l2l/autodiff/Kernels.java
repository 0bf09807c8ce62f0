package l2l.autodiff;

import java.util.function.DoubleUnaryOperator;

/** Plain array loops behind the tensor ops: no graph, no checks beyond those of the callers. */
final class Kernels {
  private Kernels() {}

  /** Binary elementwise op codes. */
  static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5;

  /** Result size along one axis under 2-D broadcasting, or -1 when the sizes do not fit. */
  static int broadcast(int a, int b) {
    if (a == b) return a;
    if (a == 1) return b;
    if (b == 1) return a;
    return -1;
  }

  /** out[i,j] = a[i,j] (op) b[i,j] with 1-sized axes of a and b broadcast. */
  static double[] binary(int op, double[] a, int ra, int ca, double[] b, int rb, int cb, int rows, int cols) {
    double[] out = new double[rows * cols];
    if (ra == rb && ca == cb) {
      sameShape(op, a, b, out);
      return out;
    }
    int sa = ca == 1 ? 0 : 1;
    int sb = cb == 1 ? 0 : 1;
    for (int i = 0; i < rows; i++) {
      int ao = (ra == 1 ? 0 : i) * ca;
      int bo = (rb == 1 ? 0 : i) * cb;
      int o = i * cols;
      switch (op) {
        case ADD -> { for (int j = 0; j < cols; j++) out[o + j] = a[ao + j * sa] + b[bo + j * sb]; }
        case SUB -> { for (int j = 0; j < cols; j++) out[o + j] = a[ao + j * sa] - b[bo + j * sb]; }
        case MUL -> { for (int j = 0; j < cols; j++) out[o + j] = a[ao + j * sa] * b[bo + j * sb]; }
        case DIV -> { for (int j = 0; j < cols; j++) out[o + j] = a[ao + j * sa] / b[bo + j * sb]; }
        case MAX -> { for (int j = 0; j < cols; j++) out[o + j] = Math.max(a[ao + j * sa], b[bo + j * sb]); }
        case MIN -> { for (int j = 0; j < cols; j++) out[o + j] = Math.min(a[ao + j * sa], b[bo + j * sb]); }
        default -> throw new IllegalStateException("op " + op);
      }
    }
    return out;
  }

  private static void sameShape(int op, double[] a, double[] b, double[] out) {
    int n = out.length;
    switch (op) {
      case ADD -> { for (int i = 0; i < n; i++) out[i] = a[i] + b[i]; }
      case SUB -> { for (int i = 0; i < n; i++) out[i] = a[i] - b[i]; }
      case MUL -> { for (int i = 0; i < n; i++) out[i] = a[i] * b[i]; }
      case DIV -> { for (int i = 0; i < n; i++) out[i] = a[i] / b[i]; }
      case MAX -> { for (int i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]); }
      case MIN -> { for (int i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]); }
      default -> throw new IllegalStateException("op " + op);
    }
  }

  static double[] map(double[] a, DoubleUnaryOperator f) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = f.applyAsDouble(a[i]);
    return out;
  }

  static double[] scale(double[] a, double s) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] * s;
    return out;
  }

  static double[] shift(double[] a, double s) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] + s;
    return out;
  }

  static double sum(double[] a) {
    double s = 0;
    for (double v : a) s += v;
    return s;
  }

  static double[] rowSums(double[] a, int rows, int cols) {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      int o = i * cols;
      for (int j = 0; j < cols; j++) s += a[o + j];
      out[i] = s;
    }
    return out;
  }

  static double[] colSums(double[] a, int rows, int cols) {
    double[] out = new double[cols];
    for (int i = 0; i < rows; i++) {
      int o = i * cols;
      for (int j = 0; j < cols; j++) out[j] += a[o + j];
    }
    return out;
  }

  /** Broadcasts a (1×1, 1×c, r×1 or r×c) to r×c. */
  static double[] broadcastTo(double[] a, int ra, int ca, int rows, int cols) {
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      int ao = (ra == 1 ? 0 : i) * ca;
      int o = i * cols;
      if (ca == 1) {
        java.util.Arrays.fill(out, o, o + cols, a[ao]);
      } else {
        System.arraycopy(a, ao, out, o, cols);
      }
    }
    return out;
  }

  static double[] transpose(double[] a, int rows, int cols) {
    double[] out = new double[a.length];
    final int block = 32;
    for (int i0 = 0; i0 < rows; i0 += block) {
      int i1 = Math.min(rows, i0 + block);
      for (int j0 = 0; j0 < cols; j0 += block) {
        int j1 = Math.min(cols, j0 + block);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) out[j * rows + i] = a[i * cols + j];
        }
      }
    }
    return out;
  }

  static double[] slice(double[] a, int cols, int r0, int r1, int c0, int c1) {
    int w = c1 - c0;
    double[] out = new double[(r1 - r0) * w];
    for (int i = r0; i < r1; i++) System.arraycopy(a, i * cols + c0, out, (i - r0) * w, w);
    return out;
  }

  static double[] embed(double[] a, int ra, int ca, int rows, int cols, int r0, int c0) {
    double[] out = new double[rows * cols];
    for (int i = 0; i < ra; i++) System.arraycopy(a, i * ca, out, (i + r0) * cols + c0, ca);
    return out;
  }

  static double[] where(double[] m, double[] a, double[] b, int[] shapes, int rows, int cols) {
    int rm = shapes[0], cm = shapes[1], ra = shapes[2], ca = shapes[3], rb = shapes[4], cb = shapes[5];
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      int mo = (rm == 1 ? 0 : i) * cm, ao = (ra == 1 ? 0 : i) * ca, bo = (rb == 1 ? 0 : i) * cb;
      for (int j = 0; j < cols; j++) {
        double mv = m[mo + (cm == 1 ? 0 : j)];
        out[i * cols + j] = mv != 0 ? a[ao + (ca == 1 ? 0 : j)] : b[bo + (cb == 1 ? 0 : j)];
      }
    }
    return out;
  }

  static double[] logSumExpRows(double[] a, int rows, int cols) {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      int o = i * cols;
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) m = Math.max(m, a[o + j]);
      if (m == Double.NEGATIVE_INFINITY || m == Double.POSITIVE_INFINITY) {
        out[i] = m;
        continue;
      }
      double s = 0;
      for (int j = 0; j < cols; j++) s += Math.exp(a[o + j] - m);
      out[i] = m + Math.log(s);
    }
    return out;
  }

  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
