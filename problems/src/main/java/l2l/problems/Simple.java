package l2l.problems;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * f(x) = x² from x₀ = 1: the original code's {@code simple} problem, one scalar variable named
 * "x" initialised to 1. Every seed gives the same task.
 */
public record Simple() implements Problem {

  /** "simple". */
  @Override
  public String name() {
    return "simple";
  }

  /** The one task (the seed is ignored). */
  @Override
  public Task sample(long seed) {
    return new Task() {
      @Override
      public Tree init() {
        return Tree.of("x", Tensor.scalar(1));
      }

      @Override
      public Tensor loss(Tree params, int step) {
        return params.tensor("x").square();
      }
    };
  }
}
