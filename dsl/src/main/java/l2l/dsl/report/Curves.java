package l2l.dsl.report;

import java.util.Objects;
import l2l.dsl.Evaluation;

/**
 * The loss curves of one optimizer on a set of tasks: one curve per task (f(θ₀), …, f(θ_T)), the
 * seeds of those tasks, and their {@link Evaluation.Summary} (mean curve, mean final loss, its
 * standard error, how many runs diverged).
 *
 * @param name the optimizer's name, e.g. "LSTM" or "Adam"
 * @param setting what distinguishes it, e.g. "lr=0.316" or the file it was loaded from ("" if nothing)
 * @param seeds the task seeds, one per curve
 * @param perTask the curves, {@code perTask[i][t]} = f(θ_t) on task i (NaN after a divergence)
 * @param summary their statistics
 */
public record Curves(String name, String setting, long[] seeds, double[][] perTask, Evaluation.Summary summary) {
  /** Checks that there is one seed per curve and all curves have the same length. */
  public Curves {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(setting, "setting");
    if (seeds.length != perTask.length) {
      throw new IllegalArgumentException("Curves: " + seeds.length + " seeds for " + perTask.length + " curves");
    }
    if (perTask.length == 0) throw new IllegalArgumentException("Curves: no curves for " + name);
    for (double[] c : perTask) {
      if (c.length != perTask[0].length) throw new IllegalArgumentException("Curves: curves of different lengths");
    }
  }

  /** Curves with their summary computed. */
  public static Curves of(String name, String setting, long[] seeds, double[][] perTask) {
    return new Curves(name, setting, seeds, perTask, Evaluation.Summary.of(name, perTask));
  }

  /** The number of steps T (each curve has T + 1 points). */
  public int steps() {
    return perTask[0].length - 1;
  }

  /** The name with its setting, e.g. "Adam (lr=0.316)". */
  public String label() {
    return setting.isEmpty() ? name : name + " (" + setting + ")";
  }
}
