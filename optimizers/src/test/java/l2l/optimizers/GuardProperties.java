package l2l.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Transforms#guard}'s laws. Proof of the first: with smoothing 0, step t ends at the learned
 * run's point only if f_t(θᴸ_{t+1}) ≤ f_t(θᶠ_{t+1}) + tol, and otherwise at θᶠ_{t+1}, the fallback-alone
 * run's (the same rule, the same gradients, from the same θ₀). So f_t(θ_{t+1}) ≤ f_t(θᶠ_{t+1}) + tol
 * at every step, whatever the learned rule, up to the rounding of a move between the runs, which the
 * checks allow as 10⁻¹⁰·(1 + |f|). Checked on random convex quadratics ½θᵀAθ − b_tᵀθ,
 * b_t = b + σ·ε_t fresh each step (σ = 0: deterministic), with fallback gradient descent at
 * lr = c/‖A‖_F, c ∈ [0.2, 1.9] (stable: λ_max ≤ ‖A‖_F).
 */
class GuardProperties {
  private static final int STEPS = 25;

  /** A convex quadratic in a 1×dim row: A = MᵀM/dim + μI, b ~ N(0, 1), θ₀ ~ N(0, 4). */
  record Quadratic(Tensor a, Tensor b, Tree theta0, double noise, long seed) {
    static Quadratic random(int dim, long seed) {
      return random(dim, seed, 0);
    }

    static Quadratic random(int dim, long seed, double noise) {
      SplittableRandom r = new SplittableRandom(seed);
      Tensor m = Tensor.normal(dim, dim, 0, 1, r);
      Tensor a = Tensor.matmul(m, m, true, false).mul(1.0 / dim).add(Tensor.eye(dim).mul(0.01 + r.nextDouble()));
      return new Quadratic(a, Tensor.normal(1, dim, 0, 1, r), Tree.of("x", Tensor.normal(1, dim, 0, 2, r)), noise, seed);
    }

    Tensor loss(Tree theta, int step) {
      Tensor x = theta.tensor("x");
      Tensor bt = noise == 0 ? b : b.add(Tensor.normal(1, b.cols(), 0, noise, new SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L))));
      return x.matmul(a).mul(x).sum().mul(0.5).sub(x.mul(bt).sum());
    }

    double frobenius() {
      return Math.sqrt(a.sumSquares().item());
    }

    /** f_t(θ_{t+1}) for t = 0 … STEPS − 1: each step's new point on that step's loss. */
    double[] after(Optimizer rule) {
      double[] f = new double[STEPS];
      Tree theta = theta0, state = rule.init(theta0);
      for (int t = 0; t < STEPS; t++) {
        int step = t;
        Optimizer.Update u = rule.update(Autodiff.gradTree((Tree p) -> loss(p, step)).apply(theta), state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
        f[t] = loss(theta, t).item();
      }
      return f;
    }

    Optimizer guarded(Optimizer learned, Optimizer fallback, double tolerance) {
      return guarded(learned, fallback, tolerance, 0);
    }

    Optimizer guarded(Optimizer learned, Optimizer fallback, double tolerance, double smoothing) {
      return Transforms.guard(learned, fallback, tolerance, smoothing, this::loss);
    }
  }

  /** Learned rules, good and bad: a random-φ LSTM (scale 1 and 10), ascent, noisy descent, too-large steps. */
  static Optimizer learned(int kind, long seed, double lambdaBound) {
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(LstmConfig.quadratic());
    return switch (kind) {
      case 0 -> lstm.apply(lstm.init(seed));
      case 1 -> CoordinatewiseLstm.of(LstmConfig.quadratic().withScale(10)).apply(lstm.init(seed));
      case 2 -> Transforms.scale(1);
      case 3 -> Optimizers.sgd(3 / lambdaBound * 2);
      default -> new Optimizer() {
        public Tree init(Tree params) {
          return Tree.of("count", Tensor.scalar(0));
        }

        public Update update(Tree grads, Tree state, Tree params) {
          double t = state.tensor("count").item();
          SplittableRandom r = new SplittableRandom(seed + (long) t);
          return new Update(grads.map(g -> g.mul(-0.5 / lambdaBound).add(Tensor.normal(g.rows(), g.cols(), 0, 0.3, r))),
              Tree.of("count", Tensor.scalar(t + 1)));
        }
      };
    };
  }

  @Property(tries = 40)
  void theGuardedRunNeverEndsAStepAboveTheFallbackAloneByMoreThanTheToleranceOnThatStepsLoss(
      @ForAll @IntRange(min = 1, max = 8) int dim, @ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll("tolerances") double tolerance, @ForAll @DoubleRange(min = 0.2, max = 1.9) double c,
      @ForAll("noises") double noise) {
    Quadratic q = Quadratic.random(dim, seed, noise);
    Optimizer fallback = Optimizers.sgd(c / q.frobenius());
    double[] alone = q.after(fallback), guarded = q.after(q.guarded(learned(kind, seed, q.frobenius()), fallback, tolerance));
    for (int t = 0; t < STEPS; t++) {
      assertTrue(guarded[t] <= alone[t] + tolerance + 1e-10 * (1 + Math.abs(alone[t])),
          "step " + t + ": guarded " + guarded[t] + " > fallback alone " + alone[t] + " + " + tolerance);
    }
  }

  @Property(tries = 40)
  void theGuardedRunIsAtEveryStepTheLearnedOrTheFallbackRunAloneAsTheSmoothedGapOfTheirLossesSays(
      @ForAll @IntRange(min = 1, max = 8) int dim, @ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll("tolerances") double tolerance, @ForAll @DoubleRange(min = 0.2, max = 1.9) double c,
      @ForAll("noises") double noise, @ForAll("smoothings") double smoothing) {
    Quadratic q = Quadratic.random(dim, seed, noise);
    Optimizer fallback = Optimizers.sgd(c / q.frobenius()), learned = learned(kind, seed, q.frobenius());
    double[] mine = q.after(learned), theirs = q.after(fallback);
    double[] guarded = q.after(q.guarded(learned, fallback, tolerance, smoothing));
    double gap = 0;
    for (int t = 0; t < STEPS; t++) {
      double d = Double.isNaN(mine[t]) || mine[t] == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : mine[t] - theirs[t];
      gap = t == 0 || smoothing == 0 ? d : smoothing * gap + (1 - smoothing) * d;
      double expected = gap > tolerance ? theirs[t] : mine[t];
      assertEquals(expected, guarded[t], 1e-9 * (1 + Math.abs(expected)), "step " + t + ", gap " + gap);
    }
  }

  @Provide
  Arbitrary<Double> smoothings() {
    return Arbitraries.of(0.0, 0.5, 0.9);
  }

  @Provide
  Arbitrary<Double> tolerances() {
    return Arbitraries.of(0.0, 1e-3, 0.1, 1.0);
  }

  @Provide
  Arbitrary<Double> noises() {
    return Arbitraries.of(0.0, 0.5);
  }

  @Property(tries = 20)
  void aLearnedRuleBetterAtEveryStepIsNeverOverruledAndGuardingARuleByItselfChangesNothing(
      @ForAll @IntRange(min = 1, max = 8) int dim, @ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 0.9) double c) {
    Quadratic q = Quadratic.random(dim, seed);
    // With η ≤ 1/λ_max ≤ 1/‖A‖_F, GD at η shrinks every eigen-component of θ − θ* at least as much as GD at c·η:
    // its f is lower at every step (the tolerance 10⁻⁹ only absorbs rounding once both have converged).
    Optimizer fast = Optimizers.sgd(1 / q.frobenius()), slow = Optimizers.sgd(c / q.frobenius());
    Runs.Trajectory guarded = Runs.run(q.guarded(fast, slow, 1e-9), q.theta0(), grads(q), STEPS);
    assertEquals(0.0, guarded.states().last().tensor("overruled").item());
    assertTrue(Runs.identical(guarded.last(), Runs.run(fast, q.theta0(), grads(q), STEPS).last()));
    assertTrue(Runs.identical(Runs.run(q.guarded(slow, slow, 0), q.theta0(), grads(q), STEPS).last(),
        Runs.run(slow, q.theta0(), grads(q), STEPS).last()));
  }

  private static BiFunction<Tree, Integer, Tree> grads(Quadratic q) {
    return (theta, t) -> Autodiff.gradTree((Tree p) -> q.loss(p, t)).apply(theta);
  }
}
