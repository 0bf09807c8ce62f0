package l2l.problems;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * f(x) = Σᵢ xᵢ² over {@code dims} scalar variables "x_0", "x_1", … each initialised to 1: the
 * original code's {@code simple_multi_optimizer} (default 2 dimensions), whose variables are
 * separate so that a partitioned optimizer can give each its own rule.
 *
 * @param dims the number of scalar variables (at least 1)
 */
public record SimpleMulti(int dims) implements Problem {

  /** Checks the settings. */
  public SimpleMulti {
    if (dims < 1) throw new IllegalArgumentException("simple-multi: dims must be at least 1, got " + dims);
  }

  /** The original's default: two variables. */
  public static SimpleMulti defaults() {
    return new SimpleMulti(2);
  }

  /** E.g. "simple-multi(dims=2)". */
  @Override
  public String name() {
    return "simple-multi(dims=" + dims + ")";
  }

  /** The one task (the seed is ignored). */
  @Override
  public Task sample(long seed) {
    return new Task() {
      @Override
      public Tree init() {
        Tree t = Tree.empty();
        for (int i = 0; i < dims; i++) t = t.with("x_" + i, Tensor.scalar(1));
        return t;
      }

      @Override
      public Tensor loss(Tree params, int step) {
        return params.sumSquares();
      }
    };
  }
}
