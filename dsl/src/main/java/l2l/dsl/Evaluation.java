package l2l.dsl;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.IntStream;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.problems.Problem;
import l2l.problems.Seeds;
import l2l.problems.Task;

/**
 * Running optimizers on held-out tasks: loss curves, their means, and final-loss statistics. Every
 * optimizer compared sees the same tasks (the same seeds, so the same θ₀ and minibatches).
 */
public final class Evaluation {
  private Evaluation() {}

  /** {@code n} task seeds of a named family (e.g. "validation", "test"), disjoint from other families. */
  public static long[] seeds(long base, String family, int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) s[i] = Seeds.derive(base, family, i);
    return s;
  }

  /**
   * The loss curve f(θ₀), …, f(θ_steps) of the optimizer on one task. Once the run has diverged
   * ({@link Divergence}: a non-finite loss, or one above 1000·|f(θ₀)|) or θ is not finite, it stops
   * and the rest of the curve is NaN.
   */
  public static double[] curve(Task task, Optimizer optimizer, int steps) {
    double[] c = new double[steps + 1];
    Arrays.fill(c, Double.NaN);
    Iterator<Minimize.State<io.vavr.Tuple0>> it = Minimize.minimize(task, optimizer).iterator();
    for (int t = 0; t <= steps; t++) {
      Minimize.State<io.vavr.Tuple0> s = it.next();
      c[t] = s.loss();
      if (Divergence.diverged(c[0], c[t]) || !s.params().allFinite()) break;
      if (t == steps) break;
    }
    return c;
  }

  /** The loss curves on the tasks with these seeds (tasks run in parallel; each is deterministic). */
  public static double[][] curves(Problem problem, Optimizer optimizer, int steps, long[] seeds) {
    return IntStream.range(0, seeds.length).parallel()
        .mapToObj(i -> curve(problem.sample(seeds[i]), optimizer, steps)).toArray(double[][]::new);
  }

  /** The mean over tasks of the loss at the last step (∞ if any run diverged). */
  public static double meanFinalLoss(Problem problem, Optimizer optimizer, int steps, long[] seeds) {
    return Summary.of("", curves(problem, optimizer, steps, seeds)).meanFinal();
  }

  /**
   * Statistics of a set of loss curves.
   *
   * @param name what produced them
   * @param meanCurve the mean loss at each step (over the tasks)
   * @param meanFinal the mean loss at the last step (∞ if any run diverged)
   * @param stderrFinal the standard error of that mean (NaN if any run diverged)
   * @param diverged how many runs diverged ({@link Divergence#diverged(double[])})
   */
  public record Summary(String name, double[] meanCurve, double meanFinal, double stderrFinal, int diverged) {
    /** Summarises curves of equal length. */
    public static Summary of(String name, double[][] curves) {
      int steps = curves[0].length;
      double[] mean = new double[steps];
      int diverged = 0;
      for (double[] c : curves) {
        if (Divergence.diverged(c)) diverged++;
        for (int t = 0; t < steps; t++) mean[t] += c[t] / curves.length;
      }
      if (diverged > 0) return new Summary(name, mean, Double.POSITIVE_INFINITY, Double.NaN, diverged);
      double m = mean[steps - 1];
      double[] finals = new double[curves.length];
      for (int i = 0; i < finals.length; i++) finals[i] = curves[i][steps - 1];
      return new Summary(name, mean, m, standardError(finals, m), 0);
    }

    /** The mean loss at step t. */
    public double at(int t) {
      return meanCurve[t];
    }
  }

  /** The standard error of the mean of these values, whose mean is {@code mean} (0 for fewer than two). */
  public static double standardError(double[] values, double mean) {
    int n = values.length;
    if (n < 2) return 0;
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return Math.sqrt(ss / (n - 1) / n);
  }

  /** Convenience for a single θ: the task's held-out measures. */
  static io.vavr.collection.Map<String, Double> measures(Task task, Tree params) {
    return task.evaluate(params);
  }
}
