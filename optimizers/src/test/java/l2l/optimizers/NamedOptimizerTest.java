package l2l.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.junit.jupiter.api.Test;

/**
 * Each named optimizer reproduces its update rule: on hand-computed steps of one coordinate, and
 * on a few steps of a trajectory on a quadratic, against a reference written coordinate by
 * coordinate from PyTorch's formulas.
 */
class NamedOptimizerTest {
  private static final double TIGHT = 1e-12;

  /** Two steps of one coordinate with gradients g1 and g2 (independent of θ); returns θ after each step. */
  private static double[] twoSteps(Optimizer opt, double theta0, double g1, double g2) {
    Runs.Trajectory r = Runs.run(opt, Runs.scalar(theta0), (th, t) -> Runs.scalar(t == 0 ? g1 : g2), 2);
    return new double[] {Runs.x(r.params().get(1)), Runs.x(r.params().get(2))};
  }

  @Test
  void sgdStepsByMinusLrTimesTheGradient() {
    double[] x = twoSteps(Optimizers.sgd(0.1), 1.0, 0.5, -2.0);
    assertEquals(1.0 - 0.05, x[0], TIGHT);
    assertEquals(1.0 - 0.05 + 0.2, x[1], TIGHT);
  }

  @Test
  void momentumAccumulatesTheTraceAsPyTorch() {
    // b1 = g1 = 0.5; b2 = 0.9·0.5 + 1 = 1.45
    double[] x = twoSteps(Optimizers.momentum(0.1, 0.9), 0.0, 0.5, 1.0);
    assertEquals(-0.05, x[0], TIGHT);
    assertEquals(-0.05 - 0.145, x[1], TIGHT);
  }

  @Test
  void nagStepsAlongGradientPlusBetaTimesTheNewTrace() {
    // b1 = 0.5, Δ1 = −0.1·(0.5 + 0.9·0.5) = −0.095; b2 = 1.45, Δ2 = −0.1·(1 + 0.9·1.45) = −0.2305
    double[] x = twoSteps(Optimizers.nag(0.1, 0.9), 0.0, 0.5, 1.0);
    assertEquals(-0.095, x[0], TIGHT);
    assertEquals(-0.095 - 0.2305, x[1], TIGHT);
  }

  @Test
  void rmspropDividesByTheRootOfTheRunningMeanSquarePlusEps() {
    // ν1 = 0.01·4 = 0.04, Δ1 = −0.01·2/(0.2 + 1e-8); ν2 = 0.99·0.04 + 0.01·1 = 0.0496
    double[] x = twoSteps(Optimizers.rmsprop(0.01), 0.0, 2.0, 1.0);
    double d1 = -0.01 * 2 / (0.2 + 1e-8);
    assertEquals(d1, x[0], TIGHT);
    assertEquals(d1 - 0.01 * 1 / (Math.sqrt(0.0496) + 1e-8), x[1], TIGHT);
  }

  @Test
  void adamsFirstStepsAreBiasCorrected() {
    // m1 = 0.05, v1 = 0.00025 → m̂ = 0.5, v̂ = 0.25; m2 = −0.005, v2 = 0.00049975 → m̂ = −0.005/0.19, v̂ = 0.25
    double[] x = twoSteps(Optimizers.adam(0.1), 1.0, 0.5, -0.5);
    double d1 = -0.1 * 0.5 / (0.5 + 1e-8);
    assertEquals(1 + d1, x[0], TIGHT);
    assertEquals(1 + d1 + 0.1 * (0.005 / 0.19) / (0.5 + 1e-8), x[1], TIGHT);
  }

  @Test
  void adamwAlsoDecaysTheWeightsByLrTimesWeightDecay() {
    double[] x = twoSteps(Optimizers.adamw(0.1, 0.5), 2.0, 0.5, 0.5);
    double x1 = 2.0 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.5 * 2.0);
    assertEquals(x1, x[0], TIGHT);
    assertEquals(x1 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.5 * x1), x[1], TIGHT);
  }

  @Test
  void adagradDividesByTheRootOfTheSumOfSquares() {
    // s1 = 9 → Δ1 = −0.1·3/(3 + 1e-10); s2 = 25 → Δ2 = −0.1·4/(5 + 1e-10)
    double[] x = twoSteps(Optimizers.adagrad(0.1), 0.0, 3.0, 4.0);
    assertEquals(-0.3 / (3 + 1e-10), x[0], TIGHT);
    assertEquals(-0.3 / (3 + 1e-10) - 0.4 / (5 + 1e-10), x[1], TIGHT);
  }

  @Test
  void rpropGrowsTheStepWhileTheSignHoldsAndSkipsAFlip() {
    Runs.Trajectory r = Runs.run(Optimizers.rprop(0.1), Runs.scalar(0),
        (th, t) -> Runs.scalar(new double[] {2, 3, -1, -1}[t]), 4);
    assertEquals(-0.1, Runs.x(r.params().get(1)), TIGHT); // step 0.1
    assertEquals(-0.1 - 0.12, Runs.x(r.params().get(2)), TIGHT); // same sign: step 0.12
    assertEquals(-0.22, Runs.x(r.params().get(3)), TIGHT); // flip: step 0.06, no move, g counts as 0
    assertEquals(-0.22 + 0.06, Runs.x(r.params().get(4)), TIGHT); // sign(g·0) = 0: step stays 0.06
  }

  // ------------------------------------------------------------------ trajectories

  /** A coordinatewise reference rule with its own mutable state. */
  private interface Reference {
    void step(double[] theta, double[] g);
  }

  private static void checkTrajectory(Optimizer opt, Supplier<Reference> reference, int steps) {
    Tree theta0 = Tree.of("w", Tensor.uniform(2, 3, -1, 1, new SplittableRandom(7)), "b",
        Tensor.uniform(1, 3, -1, 1, new SplittableRandom(8)));
    BiFunction<Tree, Integer, Tree> grad = Runs.quadraticGrads(theta0, 11);
    Runs.Trajectory r = Runs.run(opt, theta0, grad, steps);
    double[] theta = theta0.flatten().toArray();
    Reference ref = reference.get();
    for (int t = 0; t < steps; t++) {
      double[] g = grad.apply(theta0.unflatten(Tensor.column(theta)), t).flatten().toArray();
      ref.step(theta, g);
      Tree expected = theta0.unflatten(Tensor.column(theta));
      double err = Runs.error(expected, r.params().get(t + 1));
      assertTrue(err < 1e-12, opt + " differs from the reference at step " + (t + 1) + " by " + err);
    }
  }

  @Test
  void sgdFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.sgd(0.1), () -> (p, g) -> {
      for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
    }, 6);
  }

  private static Reference sgdMomentum(double lr, double mu, boolean nesterov) {
    double[][] buf = {null};
    return (p, g) -> {
      if (buf[0] == null) buf[0] = g.clone();
      else for (int i = 0; i < p.length; i++) buf[0][i] = mu * buf[0][i] + g[i];
      for (int i = 0; i < p.length; i++) p[i] -= lr * (nesterov ? g[i] + mu * buf[0][i] : buf[0][i]);
    };
  }

  @Test
  void momentumFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.momentum(0.05, 0.8), () -> sgdMomentum(0.05, 0.8, false), 6);
  }

  @Test
  void nagFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.nag(0.05, 0.8), () -> sgdMomentum(0.05, 0.8, true), 6);
  }

  private static Reference rmsprop(double lr, double alpha, double eps, double momentum, boolean centered) {
    double[][] s = new double[3][];
    return (p, g) -> {
      if (s[0] == null) {
        s[0] = new double[p.length];
        s[1] = new double[p.length];
        s[2] = new double[p.length];
      }
      for (int i = 0; i < p.length; i++) {
        s[0][i] = alpha * s[0][i] + (1 - alpha) * g[i] * g[i];
        double avg;
        if (centered) {
          s[1][i] = alpha * s[1][i] + (1 - alpha) * g[i];
          avg = Math.sqrt(s[0][i] - s[1][i] * s[1][i]) + eps;
        } else {
          avg = Math.sqrt(s[0][i]) + eps;
        }
        if (momentum > 0) {
          s[2][i] = momentum * s[2][i] + g[i] / avg;
          p[i] -= lr * s[2][i];
        } else {
          p[i] -= lr * g[i] / avg;
        }
      }
    };
  }

  @Test
  void rmspropFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.rmsprop(0.01), () -> rmsprop(0.01, 0.99, 1e-8, 0, false), 6);
  }

  @Test
  void centeredRmspropWithMomentumFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.rmsprop(0.01, 0.9, 1e-6, 0.5, true), () -> rmsprop(0.01, 0.9, 1e-6, 0.5, true), 6);
  }

  private static Reference adam(double lr, double b1, double b2, double eps, double wd) {
    double[][] s = new double[2][];
    int[] step = {0};
    return (p, g) -> {
      if (s[0] == null) {
        s[0] = new double[p.length];
        s[1] = new double[p.length];
      }
      step[0]++;
      double bc1 = 1 - Math.pow(b1, step[0]), bc2 = 1 - Math.pow(b2, step[0]);
      for (int i = 0; i < p.length; i++) {
        p[i] *= 1 - lr * wd;
        s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
        s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
        double denom = Math.sqrt(s[1][i]) / Math.sqrt(bc2) + eps;
        p[i] -= lr / bc1 * s[0][i] / denom;
      }
    };
  }

  @Test
  void adamFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.adam(0.05), () -> adam(0.05, 0.9, 0.999, 1e-8, 0), 8);
    checkTrajectory(Optimizers.adam(0.05, 0.5, 0.9, 1e-3), () -> adam(0.05, 0.5, 0.9, 1e-3, 0), 8);
  }

  @Test
  void adamwFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.adamw(0.05, 0.1), () -> adam(0.05, 0.9, 0.999, 1e-8, 0.1), 8);
  }

  @Test
  void adagradFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.adagrad(0.1, 0.1, 1e-10), () -> {
      double[][] sum = {null};
      return (p, g) -> {
        if (sum[0] == null) {
          sum[0] = new double[p.length];
          java.util.Arrays.fill(sum[0], 0.1); // the initial accumulator value
        }
        for (int i = 0; i < p.length; i++) {
          sum[0][i] += g[i] * g[i];
          p[i] -= 0.1 * g[i] / (Math.sqrt(sum[0][i]) + 1e-10);
        }
      };
    }, 6);
  }

  @Test
  void rpropFollowsTheReferenceTrajectory() {
    checkTrajectory(Optimizers.rprop(0.3), () -> {
      double[][] s = new double[2][];
      return (p, g) -> {
        if (s[0] == null) {
          s[0] = new double[p.length];
          s[1] = new double[p.length];
          java.util.Arrays.fill(s[1], 0.3);
        }
        for (int i = 0; i < p.length; i++) {
          double sign = Math.signum(g[i] * s[0][i]);
          double f = sign > 0 ? 1.2 : sign < 0 ? 0.5 : 1;
          s[1][i] = Math.min(Math.max(s[1][i] * f, 1e-6), 50);
          double gi = sign < 0 ? 0 : g[i];
          p[i] -= Math.signum(gi) * s[1][i];
          s[0][i] = gi;
        }
      };
    }, 8);
  }

  // ------------------------------------------------------------------ descriptions and defaults

  @Test
  void namedOptimizersDescribeThemselvesWithTheirHyperparameters() {
    assertEquals("adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-8)", Optimizers.adam().toString());
    assertEquals("sgd(lr=0.1)", Optimizers.sgd(0.1).toString());
    assertEquals("nag(lr=0.1, beta=0.9)", Optimizers.nag(0.1).toString());
    assertEquals("rmsprop(lr=0.01, alpha=0.99, eps=1e-8)", Optimizers.rmsprop().toString());
    assertEquals("adagrad(lr=0.01, initialAccumulator=0, eps=1e-10)", Optimizers.adagrad().toString());
    assertEquals("rprop(lr=0.01, etas=(0.5, 1.2), stepSizes=(1e-6, 50))", Optimizers.rprop().toString());
    assertEquals("adamw(lr=0.001, b1=0.9, b2=0.999, eps=1e-8, weightDecay=0.01)", Optimizers.adamw().toString());
    assertEquals("momentum(lr=0.5, beta=0.9)", Optimizers.momentum(0.5).toString());
  }

  @Test
  void namedOptimizersAreChainsWhoseStateIsTheTupleOfTheParts() {
    Tree theta = Runs.scalar(1);
    Tree s = Optimizers.adam(0.1).init(theta);
    assertEquals(io.vavr.collection.List.of("0", "1"), s.names());
    assertEquals(io.vavr.collection.List.of("count", "mu", "nu"), s.get("0").names());
    assertEquals(0.0, s.tensor("0/count").item());
  }
}
