package l2l.optimizers.learned;

import l2l.autodiff.Tensor;

/**
 * How a coordinatewise learned optimizer turns each gradient coordinate into its input features.
 * Both forms exist twice, as tensor ops (differentiable) and as array kernels (fast path); they
 * agree to rounding.
 */
public sealed interface Preprocess {
  /** The number of features per coordinate. */
  int width();

  /** The features of an N×1 column of gradient coordinates (N×width). */
  Tensor apply(Tensor g);

  /**
   * The features of gradient coordinates g[from..to) into out, feature-major: feature k of
   * coordinate from + r goes to out[k·(to − from) + r].
   */
  void apply(double[] g, int from, int to, double[] out);

  /** A short description, e.g. "logAndSign(k=5)". */
  String describe();

  /** The gradient itself, one feature. */
  static Preprocess none() {
    return new None();
  }

  /**
   * The paper's log-and-sign preprocessing with parameter k: feature 1 is
   * max(log(|g| + ε) / k, −1), feature 2 is clamp(g·eᵏ, −1, 1). The original code uses k = 5 and
   * ε = 1.1920929e-7 (float32's machine epsilon); the paper's text says k = 10.
   */
  static Preprocess logAndSign(double k) {
    return new LogAndSign(k, LogAndSign.FLOAT32_EPSILON);
  }

  /** No preprocessing: the feature is the gradient coordinate. */
  record None() implements Preprocess {
    @Override
    public int width() {
      return 1;
    }

    @Override
    public Tensor apply(Tensor g) {
      return g;
    }

    @Override
    public void apply(double[] g, int from, int to, double[] out) {
      System.arraycopy(g, from, out, 0, to - from);
    }

    @Override
    public String describe() {
      return "none";
    }
  }

  /** Log-and-sign with parameter k and offset ε (see {@link Preprocess#logAndSign}). */
  record LogAndSign(double k, double epsilon) implements Preprocess {
    /** float32 machine epsilon, the original code's ε. */
    public static final double FLOAT32_EPSILON = 1.1920928955078125e-7;

    /** Checks k &gt; 0 and ε &gt; 0. */
    public LogAndSign {
      if (!(k > 0) || !Double.isFinite(k)) {
        throw new IllegalArgumentException("logAndSign: k must be a positive number, got " + k);
      }
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("logAndSign: epsilon must be positive, got " + epsilon);
      }
    }

    @Override
    public int width() {
      return 2;
    }

    @Override
    public Tensor apply(Tensor g) {
      Tensor log = g.abs().add(epsilon).log().div(k).max(-1.0);
      Tensor sign = g.mul(Math.exp(k)).clamp(-1, 1);
      return Tensor.concatCols(log, sign);
    }

    @Override
    public void apply(double[] g, int from, int to, double[] out) {
      double ek = Math.exp(k);
      int n = to - from;
      for (int r = 0; r < n; r++) {
        double v = g[from + r];
        out[r] = Math.max(Math.log(Math.abs(v) + epsilon) / k, -1.0);
        out[n + r] = Math.max(-1.0, Math.min(1.0, v * ek));
      }
    }

    @Override
    public String describe() {
      return "logAndSign(k=" + k + ")";
    }
  }
}
