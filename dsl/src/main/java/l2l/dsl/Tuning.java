package l2l.dsl;

import io.vavr.collection.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import l2l.optimizers.Optimizer;
import l2l.problems.Problem;

/**
 * Learning-rate grid search for any optimizer: each learning rate of the grid is scored by the
 * mean final loss over the same tasks (the same seeds), a diverging run scores +∞, and the lowest
 * score wins (the smaller learning rate on a tie). The paper's baselines were tuned this way over
 * {@link #halfDecades 10^k, k = −4, −3.5, …, 1}.
 */
public final class Tuning {
  private Tuning() {}

  /**
   * One scored learning rate.
   *
   * @param lr the learning rate
   * @param score the mean final loss over the tuning tasks (+∞ if any run diverged)
   */
  public record Point(double lr, double score) {}

  /**
   * The outcome of a grid search.
   *
   * @param name what was tuned
   * @param bestLr the learning rate with the lowest score (NaN if every run diverged)
   * @param bestScore its score (+∞ if every run diverged)
   * @param points every learning rate of the grid with its score, in grid order
   */
  public record Result(String name, double bestLr, double bestScore, List<Point> points) {
    /** Whether every learning rate diverged. */
    public boolean allDiverged() {
      return !Double.isFinite(bestScore);
    }

    /** Whether the best learning rate is the smallest or largest of the grid (the grid may be too narrow). */
    public boolean atEdge() {
      return !allDiverged() && (bestLr == points.head().lr() || bestLr == points.last().lr());
    }

    /** One line per learning rate, the best marked. */
    public String describe() {
      return points.map(p -> String.format(Locale.ROOT, "%s lr=%-10.4g %s%s", name, p.lr(), p.score(),
          p.lr() == bestLr ? "  <- best" + (atEdge() ? " (at the grid's edge)" : "") : "")).mkString("\n");
    }
  }

  /**
   * The grid 10^e for e from ⌊2·log₁₀ lo⌉/2 to ⌊2·log₁₀ hi⌉/2 in steps of ½:
   * {@code halfDecades(1e-4, 10)} is 1e-4, 3.16e-4, 1e-3, …, 3.16, 10 (11 values).
   */
  public static double[] halfDecades(double lo, double hi) {
    if (!(lo > 0) || !(hi >= lo) || Double.isInfinite(hi)) {
      throw new IllegalArgumentException("halfDecades: need 0 < lo ≤ hi < ∞, got " + lo + " and " + hi);
    }
    long a = Math.round(2 * Math.log10(lo)), b = Math.round(2 * Math.log10(hi));
    double[] grid = new double[(int) (b - a + 1)];
    for (int i = 0; i < grid.length; i++) {
      long e2 = a + i;
      grid[i] = e2 % 2 == 0 ? Double.parseDouble("1e" + e2 / 2) : Math.pow(10, e2 / 2.0);
    }
    return grid;
  }

  /**
   * Scores every learning rate of the grid by the mean loss after {@code steps} steps over the
   * tasks with these seeds, and picks the lowest.
   *
   * @param name what is tuned, for reports
   * @param make the optimizer of a learning rate
   * @param grid the learning rates to try
   * @param problem the problem the tasks are drawn from
   * @param steps optimizer steps per run
   * @param seeds the tuning tasks' seeds (keep them apart from test seeds: {@code Evaluation.seeds(base, "tuning", n)})
   */
  public static Result learningRate(String name, DoubleFunction<Optimizer> make, double[] grid, Problem problem,
      int steps, long[] seeds) {
    if (grid.length == 0) throw new IllegalArgumentException("learningRate: the grid is empty");
    if (seeds.length == 0) throw new IllegalArgumentException("learningRate: no tuning tasks");
    if (steps < 1) throw new IllegalArgumentException("learningRate: steps must be ≥ 1, got " + steps);
    double[] meanFinals = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      meanFinals[i] = Evaluation.meanFinalLoss(problem, make.apply(grid[i]), steps, seeds);
    }
    return select(name, grid, meanFinals);
  }

  /**
   * The grid search's outcome from each learning rate's mean final loss over the tuning tasks (a
   * non-finite one scores +∞): the lowest score wins, the smaller learning rate on a tie.
   */
  public static Result select(String name, double[] grid, double[] meanFinals) {
    if (grid.length == 0 || grid.length != meanFinals.length) {
      throw new IllegalArgumentException("select: " + grid.length + " learning rates but " + meanFinals.length
          + " scores");
    }
    List<Point> points = List.empty();
    double bestLr = Double.NaN, best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < grid.length; i++) {
      double score = score(meanFinals[i]);
      points = points.append(new Point(grid[i], score));
      if (score < best) {
        best = score;
        bestLr = grid[i];
      }
    }
    return new Result(name, bestLr, best, points);
  }

  private static double score(double meanFinal) {
    return Double.isFinite(meanFinal) ? meanFinal : Double.POSITIVE_INFINITY;
  }
}
