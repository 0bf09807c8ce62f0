package l2l.problems;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * A diagonal quadratic seen through noise, like a minibatch loss: at step t,
 * f_t(x) = ½ Σᵢ hᵢ (xᵢ − cᵢ − σ·εₜᵢ)² with εₜ ~ N(0, 1) drawn from (seed, t). Per task, the
 * curvatures are hᵢ = κ^(−uᵢ), uᵢ ~ U[0, 1) (so they span [1/κ, 1]), the centre c ~ N(0, 1) and
 * x₀ ~ N(0, initStd²). One 1×dim variable "x".
 *
 * @param dim number of coordinates
 * @param noise σ, the standard deviation of the target's noise
 * @param conditioning κ ≥ 1, the ratio of the largest to the smallest curvature
 * @param initStd standard deviation of x₀
 */
public record NoisyQuadratic(int dim, double noise, double conditioning, double initStd) implements Problem {

  /** Checks the settings. */
  public NoisyQuadratic {
    if (dim < 1) throw new IllegalArgumentException("noisy-quadratic: dim must be at least 1, got " + dim);
    if (!(noise >= 0)) throw new IllegalArgumentException("noisy-quadratic: noise must be ≥ 0, got " + noise);
    if (!(conditioning >= 1)) {
      throw new IllegalArgumentException("noisy-quadratic: conditioning must be ≥ 1, got " + conditioning);
    }
    if (!(initStd >= 0)) throw new IllegalArgumentException("noisy-quadratic: init-std must be ≥ 0, got " + initStd);
  }

  /** 10 coordinates, σ = 0.1, κ = 100, x₀ ~ N(0, 1). */
  public static NoisyQuadratic defaults() {
    return new NoisyQuadratic(10, 0.1, 100, 1);
  }

  /** E.g. "noisy-quadratic(dim=10, noise=0.1, conditioning=100.0, init-std=1.0)". */
  @Override
  public String name() {
    return "noisy-quadratic(dim=" + dim + ", noise=" + noise + ", conditioning=" + conditioning + ", init-std="
        + initStd + ")";
  }

  /** The task of this seed. */
  @Override
  public Instance sample(long seed) {
    SplittableRandom data = Seeds.rng(seed, Seeds.DATA);
    double[] h = new double[dim];
    for (int i = 0; i < dim; i++) h[i] = Math.pow(conditioning, -data.nextDouble());
    Tensor centre = Tensor.normal(1, dim, 0, 1, data);
    Tensor x0 = Tensor.normal(1, dim, 0, initStd, Seeds.rng(seed, Seeds.INIT));
    return new Instance(seed, noise, Tensor.row(h), centre, x0);
  }

  /**
   * One task.
   *
   * @param seed the task's seed (fixes the noise of every step)
   * @param noise σ
   * @param curvature h, 1×dim
   * @param centre c, 1×dim
   * @param x0 the start, 1×dim
   */
  public record Instance(long seed, double noise, Tensor curvature, Tensor centre, Tensor x0) implements Task {

    /** {"x": x₀}. */
    @Override
    public Tree init() {
      return Tree.of("x", x0);
    }

    /** f_t(x) = ½ Σ h (x − c − σ·εₜ)². */
    @Override
    public Tensor loss(Tree params, int step) {
      return params.tensor("x").sub(target(step)).square().mul(curvature).sum().mul(0.5);
    }

    /** The noisy target c + σ·εₜ of step t (1×dim). */
    public Tensor target(int step) {
      if (noise == 0) return centre;
      return centre.add(Tensor.normal(1, centre.cols(), 0, noise, Seeds.rng(seed, Seeds.STEP, step)));
    }

    /** "noise_free_loss": ½ Σ h (x − c)². */
    @Override
    public Map<String, Double> evaluate(Tree params) {
      Tensor x = params.tensor("x").detach();
      return LinkedHashMap.of("noise_free_loss", x.sub(centre).square().mul(curvature).sum().mul(0.5).item());
    }
  }
}
