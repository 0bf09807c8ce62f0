package l2l.optimizers.learned;

import l2l.autodiff.Tensor;

/**
 * How each optimizee loss f(θ_t) enters the meta-loss Σ_t ℓ(f(θ_t)) of a truncation.
 */
public enum StepLoss {
  /** ℓ(f) = f: the paper's and the original code's meta-loss. */
  LINEAR {
    @Override
    public double value(double f) {
      return f;
    }

    @Override
    public double slope(double f) {
      return 1;
    }

    @Override
    public Tensor apply(Tensor f) {
      return f;
    }
  },
  /**
   * ℓ(f) = log f: every step's relative progress counts the same, so late steps, where f is
   * small, are not drowned by early ones. Needs f &gt; 0.
   */
  LOG {
    @Override
    public double value(double f) {
      return Math.log(f);
    }

    @Override
    public double slope(double f) {
      return 1 / f;
    }

    @Override
    public Tensor apply(Tensor f) {
      return f.log();
    }
  };

  /** ℓ(f). */
  public abstract double value(double f);

  /** ℓ′(f). */
  public abstract double slope(double f);

  /** ℓ(f) in tensor ops (differentiable). */
  public abstract Tensor apply(Tensor f);

  /** "linear" or "log". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The step loss with this {@link #label()} (case-insensitive), or null. */
  public static StepLoss parse(String label) {
    String s = label == null ? "" : label.trim().toLowerCase(java.util.Locale.ROOT);
    for (StepLoss l : values()) {
      if (l.label().equals(s)) return l;
    }
    return null;
  }
}
