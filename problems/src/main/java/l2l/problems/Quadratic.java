package l2l.problems;

import java.util.Locale;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * The paper's quadratic family: a batch of functions fᵦ(x) = ‖Wᵦxᵦ − yᵦ‖² in {@code dim}
 * dimensions whose loss is their mean over the batch, as in the original code's
 * {@code problems.quadratic}: {@code mean_b Σᵢ ((Wᵦ xᵦ)ᵢ − yᵦᵢ)²}. Per task, W and y are drawn from
 * U[0, 1) (the original code) or N(0, 1) (the paper's text), and x₀ from N(0, initStd²).
 * With a {@code conditioning} κ ≥ 1, each Wᵦ is instead Q·diag(s)·Rᵀ with random orthogonal Q, R and
 * singular values s from 1 down to 1/√κ (evenly in log scale), so that the Hessian 2WᵦᵀWᵦ has
 * condition number exactly κ; y is still drawn from the distribution.
 * One variable "x" of shape batch×dim (row b is xᵦ), like the original's.
 *
 * @param batch number of functions (128 in the paper)
 * @param dim dimension of each (10 in the paper)
 * @param initStd standard deviation of x₀ (0.01 in the original code)
 * @param distribution how W (unless conditioned) and y are drawn
 * @param conditioning κ ≥ 1 of the Hessians, or 0 for W as drawn
 */
public record Quadratic(int batch, int dim, double initStd, Distribution distribution, double conditioning)
    implements Problem {

  /** How a task's W and y are drawn. */
  public enum Distribution {
    /** U[0, 1): the original code's {@code tf.random_uniform_initializer()}. */
    UNIFORM,
    /** N(0, 1): the paper's text ("W and y drawn from an IID Gaussian"). */
    GAUSSIAN;

    /** "uniform" or "gaussian". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the settings. */
  public Quadratic {
    if (batch < 1 || dim < 1) {
      throw new IllegalArgumentException("quadratic: batch and dim must be at least 1, got " + batch + " and " + dim);
    }
    if (!(initStd >= 0)) throw new IllegalArgumentException("quadratic: init-std must be ≥ 0, got " + initStd);
    if (distribution == null) throw new IllegalArgumentException("quadratic: distribution is null");
    if (!(conditioning == 0 || conditioning >= 1)) {
      throw new IllegalArgumentException("quadratic: conditioning must be ≥ 1 (or 0: W as drawn), got " + conditioning);
    }
  }

  /** W as drawn from the distribution (no conditioning). */
  public Quadratic(int batch, int dim, double initStd, Distribution distribution) {
    this(batch, dim, initStd, distribution, 0);
  }

  /** The original code's defaults: 128 functions of 10 dimensions, W, y ~ U[0, 1), x₀ ~ N(0, 0.01²). */
  public static Quadratic defaults() {
    return new Quadratic(128, 10, 0.01, Distribution.UNIFORM);
  }

  /** The paper text's variant: as {@link #defaults()} with W, y ~ N(0, 1). */
  public static Quadratic gaussian() {
    return new Quadratic(128, 10, 0.01, Distribution.GAUSSIAN);
  }

  /** E.g. "quadratic(batch=128, dim=10, init-std=0.01, dist=uniform)" (", conditioning=κ" when set). */
  @Override
  public String name() {
    return "quadratic(batch=" + batch + ", dim=" + dim + ", init-std=" + initStd + ", dist=" + distribution.label()
        + (conditioning == 0 ? "" : ", conditioning=" + conditioning) + ")";
  }

  /** The task of this seed: W and y from the seed's data stream, x₀ from its init stream. */
  @Override
  public Instance sample(long seed) {
    SplittableRandom data = Seeds.rng(seed, Seeds.DATA);
    Tensor w, y;
    if (conditioning >= 1) {
      w = conditioned(data);
      y = distribution == Distribution.UNIFORM ? Tensor.uniform(batch, dim, 0, 1, data) : Tensor.normal(batch, dim, 0, 1, data);
    } else if (distribution == Distribution.UNIFORM) {
      w = Tensor.uniform(batch * dim, dim, 0, 1, data);
      y = Tensor.uniform(batch, dim, 0, 1, data);
    } else {
      w = Tensor.normal(batch * dim, dim, 0, 1, data);
      y = Tensor.normal(batch, dim, 0, 1, data);
    }
    Tensor x0 = Tensor.normal(batch, dim, 0, initStd, Seeds.rng(seed, Seeds.INIT));
    return new Instance(w, y, x0);
  }

  /** The stacked Wᵦ = Q·diag(s)·Rᵀ, Q and R orthonormalised Gaussian matrices, sᵢ = κ^(−i / (2(dim − 1))). */
  private Tensor conditioned(SplittableRandom data) {
    double[] w = new double[batch * dim * dim];
    for (int b = 0; b < batch; b++) {
      double[][] q = orthonormal(data), r = orthonormal(data);
      for (int k = 0; k < dim; k++) {
        double s = dim == 1 ? 1 : Math.pow(conditioning, -0.5 * k / (dim - 1));
        for (int i = 0; i < dim; i++) {
          for (int j = 0; j < dim; j++) w[(b * dim + i) * dim + j] += q[k][i] * s * r[k][j];
        }
      }
    }
    return Tensor.fromRowMajor(batch * dim, dim, w);
  }

  /** dim orthonormal vectors (rows): Gram–Schmidt, twice for accuracy, on Gaussian ones. */
  private double[][] orthonormal(SplittableRandom rng) {
    double[] g = Tensor.normal(dim, dim, 0, 1, rng).toArray();
    double[][] v = new double[dim][];
    for (int k = 0; k < dim; k++) {
      v[k] = java.util.Arrays.copyOfRange(g, k * dim, (k + 1) * dim);
      for (int pass = 0; pass < 2; pass++) {
        for (int m = 0; m < k; m++) {
          double d = 0;
          for (int i = 0; i < dim; i++) d += v[k][i] * v[m][i];
          for (int i = 0; i < dim; i++) v[k][i] -= d * v[m][i];
        }
      }
      double n = 0;
      for (int i = 0; i < dim; i++) n += v[k][i] * v[k][i];
      for (int i = 0; i < dim; i++) v[k][i] /= Math.sqrt(n);
    }
    return v;
  }

  /**
   * One task.
   *
   * @param w the matrices stacked: row {@code b·dim + i} is row i of Wᵦ ((batch·dim)×dim)
   * @param y the targets, row b is yᵦ (batch×dim)
   * @param x0 the start (batch×dim)
   */
  public record Instance(Tensor w, Tensor y, Tensor x0) implements Task {

    /** {"x": x₀}. */
    @Override
    public Tree init() {
      return Tree.of("x", x0);
    }

    /** mean_b ‖Wᵦxᵦ − yᵦ‖² (the same at every step). */
    @Override
    public Tensor loss(Tree params, int step) {
      return value(params.tensor("x"));
    }

    /** The loss as a function of x (batch×dim), in three whole-batch ops. */
    public Tensor value(Tensor x) {
      return Tensor.batchedMatVec(w, x, false).sub(y).sumSquares().mul(1.0 / y.rows());
    }
  }
}
