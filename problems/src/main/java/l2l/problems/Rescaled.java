package l2l.problems;

import io.vavr.collection.Map;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Random scaling of a problem's parameters (Lv et al. 2017): each task draws a factor cᵢ per
 * coordinate, log-uniform in [1/R, R], and becomes f_c(θ) = f(c ⊙ θ) from θ₀ / c — the same
 * trajectory of c ⊙ θ, but every coordinate's gradient and curvature scaled differently, so a
 * learned optimizer cannot fit the parameter scale of its training tasks. The factors are a
 * function of the task's seed alone (their own stream), the inner task is the problem's task of
 * the same seed. {@code --problem NAME:rescale=R} (any problem, also inside {@code mix:}).
 *
 * @param problem the problem whose tasks are rescaled
 * @param range R ≥ 1 (1: no scaling)
 */
public record Rescaled(Problem problem, double range) implements Problem {
  private static final long FACTORS = 5;

  /** Checks the range. */
  public Rescaled {
    if (problem == null) throw new IllegalArgumentException("rescaled: the problem must not be null");
    if (!(range >= 1) || Double.isInfinite(range)) {
      throw new IllegalArgumentException("rescale must be a finite number ≥ 1, got " + range);
    }
  }

  /** E.g. "quadratic(…) rescaled ×1/10…10". */
  @Override
  public String name() {
    return problem.name() + " rescaled ×1/" + fmt(range) + "…" + fmt(range);
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }

  /** The problem's task of this seed, its parameters scaled coordinatewise by factors drawn from the seed. */
  @Override
  public Task sample(long seed) {
    Task inner = problem.sample(seed);
    Tree theta0 = inner.init();
    SplittableRandom r = Seeds.rng(seed, FACTORS);
    double log = Math.log(range);
    Tree c = theta0.map(t -> Tensor.uniform(t.rows(), t.cols(), -log, log, r).exp());
    Tree start = theta0.zip(c, Tensor::div);
    return new Task() {
      @Override
      public Tree init() {
        return start;
      }

      @Override
      public Tensor loss(Tree params, int step) {
        return inner.loss(params.zip(c, Tensor::mul), step);
      }

      @Override
      public Map<String, Double> evaluate(Tree params) {
        return inner.evaluate(params.zip(c, Tensor::mul));
      }
    };
  }
}
