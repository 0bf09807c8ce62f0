package l2l.problems;

import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * The Rosenbrock function f(x) = Σᵢ b·(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)² over one 1×dims variable "x",
 * minimum 0 at (a, a², …) for a = 1. Start: the classic (−1.2, 1, −1.2, 1, …) plus
 * N(0, initStd²) noise drawn from the seed (none by default, so every seed gives the same task).
 *
 * @param dims number of coordinates (at least 2)
 * @param a the valley's target (1 classically)
 * @param b the valley's steepness (100 classically)
 * @param initStd standard deviation of the noise added to the classic start
 */
public record Rosenbrock(int dims, double a, double b, double initStd) implements Problem {

  /** Checks the settings. */
  public Rosenbrock {
    if (dims < 2) throw new IllegalArgumentException("rosenbrock: dims must be at least 2, got " + dims);
    if (!(initStd >= 0)) throw new IllegalArgumentException("rosenbrock: init-std must be ≥ 0, got " + initStd);
  }

  /** The classic 2-D function (a = 1, b = 100) from (−1.2, 1). */
  public static Rosenbrock defaults() {
    return new Rosenbrock(2, 1, 100, 0);
  }

  /** E.g. "rosenbrock(dims=2, a=1.0, b=100.0, init-std=0.0)". */
  @Override
  public String name() {
    return "rosenbrock(dims=" + dims + ", a=" + a + ", b=" + b + ", init-std=" + initStd + ")";
  }

  /** f as a function of a 1×dims tensor. */
  public Tensor value(Tensor x) {
    Tensor head = x.sliceCols(0, dims - 1), tail = x.sliceCols(1, dims);
    return tail.sub(head.square()).square().mul(b).add(head.rsub(a).square()).sum();
  }

  /** The task of this seed: the start is perturbed by the seed's noise when initStd &gt; 0. */
  @Override
  public Task sample(long seed) {
    SplittableRandom rng = Seeds.rng(seed, Seeds.INIT);
    double[] x0 = new double[dims];
    for (int i = 0; i < dims; i++) x0[i] = (i % 2 == 0 ? -1.2 : 1) + initStd * Tensor.gaussian(rng);
    Tree init = Tree.of("x", Tensor.row(x0));
    return new Task() {
      @Override
      public Tree init() {
        return init;
      }

      @Override
      public Tensor loss(Tree params, int step) {
        return value(params.tensor("x"));
      }
    };
  }
}
