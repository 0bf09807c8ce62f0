package l2l.optimizers.learned;

import io.vavr.collection.List;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * How a coordinatewise learned optimizer turns each gradient coordinate into its input features,
 * one column per coordinate. Some kinds keep a per-coordinate state (moving averages), a tree of
 * k×n leaves carried from step to step. All are tensor ops (differentiable); the stateless kinds
 * also have an array form for hand-written engines.
 */
public sealed interface Preprocess {
  /** The number of features per coordinate. */
  int width();

  /** The state before the first step, for n coordinates (empty for stateless kinds). */
  default Tree init(int n) {
    return Tree.empty();
  }

  /** The features (width×n) of a 1×n row of gradient coordinates, and the next state. */
  Step step(Tensor g, Tree state);

  /** A short description, e.g. "logAndSign(k=5.0)". */
  String describe();

  /** Features and the next state. */
  record Step(Tensor features, Tree state) {}

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

  /** RNNprop's inputs (Lv et al. 2017): Adam's ĝ/√v̂ and m̂/√v̂ with decays β₁, β₂. */
  static Preprocess adamNormalized(double b1, double b2) {
    return new AdamNormalized(b1, b2, 1e-8);
  }

  /**
   * The gradient and its momenta at several timescales, each divided by the root of a slow second
   * moment, and that root's log (Wichrowska et al. 2017; learned_optimization's LSTM optimizer).
   */
  static Preprocess momenta(List<Double> decays, double rmsDecay) {
    return new Momenta(decays, rmsDecay, 1e-8);
  }

  /** A kind without state, with an array form for engines that keep their own buffers. */
  sealed interface Stateless extends Preprocess {
    /** The features (width×n) of a 1×n row of gradient coordinates. */
    Tensor apply(Tensor g);

    /**
     * The features of gradient coordinates g[from..to) into out, feature-major: feature k of
     * coordinate from + r goes to out[k·(to − from) + r].
     */
    void apply(double[] g, int from, int to, double[] out);

    @Override
    default Step step(Tensor g, Tree state) {
      return new Step(apply(g), state);
    }
  }

  /** No preprocessing: the feature is the gradient coordinate. */
  record None() implements Stateless {
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
  record LogAndSign(double k, double epsilon) implements Stateless {
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
      return Tensor.concatRows(log, sign);
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

  /**
   * Adam's normalised gradient and momentum: with m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g² and
   * the bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), the features are g/(√v̂ + ε) and
   * m̂/(√v̂ + ε). State: m, v and the step t, each 1×n.
   */
  record AdamNormalized(double b1, double b2, double epsilon) implements Preprocess {
    /** Checks the decays are in [0, 1) and ε &gt; 0. */
    public AdamNormalized {
      decay("adamNormalized: b1", b1);
      decay("adamNormalized: b2", b2);
      if (!(epsilon > 0)) throw new IllegalArgumentException("adamNormalized: epsilon must be positive, got " + epsilon);
    }

    @Override
    public int width() {
      return 2;
    }

    @Override
    public Tree init(int n) {
      return Tree.of("m", Tensor.zeros(1, n), "v", Tensor.zeros(1, n), "t", Tensor.zeros(1, n));
    }

    @Override
    public Step step(Tensor g, Tree state) {
      Tensor m = state.tensor("m").mul(b1).add(g.mul(1 - b1));
      Tensor v = state.tensor("v").mul(b2).add(g.square().mul(1 - b2));
      Tensor t = state.tensor("t").add(1);
      // the bias corrections 1 − βᵗ = 1 − exp(t·log β)
      Tensor c1 = t.mul(Math.log(b1)).exp().rsub(1), c2 = t.mul(Math.log(b2)).exp().rsub(1);
      Tensor denominator = v.div(c2).sqrt().add(epsilon);
      return new Step(Tensor.concatRows(g.div(denominator), m.div(c1).div(denominator)),
          Tree.of("m", m, "v", v, "t", t));
    }

    @Override
    public String describe() {
      return "adamNormalized(b1=" + b1 + ", b2=" + b2 + ")";
    }
  }

  /**
   * Momenta at several timescales: m_k ← β_k·m_k + (1 − β_k)·g and r ← ρ·r + (1 − ρ)·g²; the
   * features are g/(√r + ε), each m_k/(√r + ε) and log(√r + ε)/10 (the scale, bounded for the
   * LSTM). State: one 1×n row per momentum and r.
   */
  record Momenta(List<Double> decays, double rmsDecay, double epsilon) implements Preprocess {
    /** Checks the decays are in [0, 1), there is at least one, and ε &gt; 0. */
    public Momenta {
      if (decays.isEmpty()) throw new IllegalArgumentException("momenta: at least one decay is needed");
      decays.forEach(d -> decay("momenta: a decay", d));
      decay("momenta: the RMS decay", rmsDecay);
      if (!(epsilon > 0)) throw new IllegalArgumentException("momenta: epsilon must be positive, got " + epsilon);
    }

    @Override
    public int width() {
      return decays.size() + 2;
    }

    @Override
    public Tree init(int n) {
      return Tree.of("m", Tensor.zeros(decays.size(), n), "r", Tensor.zeros(1, n));
    }

    @Override
    public Step step(Tensor g, Tree state) {
      Tensor beta = Tensor.column(decays.toJavaStream().mapToDouble(Double::doubleValue).toArray());
      Tensor m = state.tensor("m").mul(beta).add(g.mul(beta.rsub(1)));
      Tensor r = state.tensor("r").mul(rmsDecay).add(g.square().mul(1 - rmsDecay));
      Tensor root = r.sqrt().add(epsilon);
      Tensor features = Tensor.concatRows(g.div(root), m.div(root), root.log().mul(0.1));
      return new Step(features, Tree.of("m", m, "r", r));
    }

    @Override
    public String describe() {
      return "momenta(decays=" + decays.mkString("/") + ", rms=" + rmsDecay + ")";
    }
  }

  private static void decay(String what, double b) {
    if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(what + " must be in [0, 1), got " + b);
  }
}
