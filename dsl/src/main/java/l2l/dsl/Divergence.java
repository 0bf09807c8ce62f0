package l2l.dsl;

/**
 * When a run of an optimizer has diverged, one rule for meta-training, validation, evaluation,
 * tuning and comparison: a run diverged once its loss is not finite or exceeds
 * {@value #FACTOR} × |f(θ₀)|, its initial loss (when f(θ₀) = 0, only a non-finite loss counts).
 * On the quadratic (f(θ₀) ≈ 3) the bound is ≈ 3000, on MNIST (≈ 2.3) ≈ 2300: far above any
 * transient spike of a converging run, far below a blow-up.
 */
public final class Divergence {
  private Divergence() {}

  /** How many times its initial loss a run's loss may reach before the run counts as diverged. */
  public static final double FACTOR = 1000;

  /** The largest loss a run starting at {@code initialLoss} may reach: FACTOR·|f(θ₀)| (∞ when f(θ₀) = 0). */
  public static double limit(double initialLoss) {
    return initialLoss == 0 ? Double.POSITIVE_INFINITY : FACTOR * Math.abs(initialLoss);
  }

  /** Whether a loss means that the run starting at {@code initialLoss} has diverged. */
  public static boolean diverged(double initialLoss, double loss) {
    return !Double.isFinite(loss) || !Double.isFinite(initialLoss) || loss > limit(initialLoss);
  }

  /** Whether any of these losses means that a run starting at {@code initialLoss} has diverged. */
  public static boolean diverged(double initialLoss, double[] losses) {
    for (double l : losses) {
      if (diverged(initialLoss, l)) return true;
    }
    return false;
  }

  /** Whether a loss curve f(θ₀), f(θ₁), … has diverged (an empty curve has not). */
  public static boolean diverged(double[] curve) {
    return curve.length > 0 && diverged(curve[0], curve);
  }

  /** One phrase for messages: what diverged means. */
  public static String rule() {
    return "its loss was not finite or above " + (int) FACTOR + "× its initial loss";
  }
}
