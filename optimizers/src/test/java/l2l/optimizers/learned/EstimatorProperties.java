package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import java.util.SplittableRandom;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.LstmUnrollProperties.LeastSquares;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The laws of the meta-gradient estimators on a problem small enough to compute what they
 * estimate: a 2-d least-squares optimizee, the linear learned optimizer Δ = w·g + b (φ = (w, b)),
 * horizon 20 in truncations of 5. Monte-Carlo comparisons allow four standard errors of the
 * difference.
 */
class EstimatorProperties {
  static final int HORIZON = 20, UNROLL = 5;
  static final CoordinatewiseLstm LINEAR = CoordinatewiseLstm.of(LstmConfig.linear());

  static Tree phi(SplittableRandom r) {
    return Tree.of("out", Tree.of("w", Tensor.scalar(-0.1 - 0.1 * r.nextDouble()), "b",
        Tensor.scalar(0.02 * r.nextDouble() - 0.01)));
  }

  static Engine.Truncation first(LeastSquares p, Tree phi, int steps, boolean exact) {
    return new Engine.Truncation(phi, p::loss, p.theta0, LINEAR.apply(phi).init(p.theta0), 0, steps, Option.none(),
        StepLoss.LINEAR, exact);
  }

  /** The mean and standard error of each coordinate of n samples (rows). */
  static double[][] meanAndError(double[][] samples) {
    int n = samples.length, d = samples[0].length;
    double[] mean = new double[d], se = new double[d];
    for (double[] s : samples) for (int k = 0; k < d; k++) mean[k] += s[k] / n;
    for (double[] s : samples) for (int k = 0; k < d; k++) se[k] += (s[k] - mean[k]) * (s[k] - mean[k]);
    for (int k = 0; k < d; k++) se[k] = Math.sqrt(se[k] / (n - 1) / n);
    return new double[][] {mean, se};
  }

  static void assertAgree(double[][] a, double[][] b, String what) {
    for (int k = 0; k < a[0].length; k++) {
      double diff = Math.abs(a[0][k] - b[0][k]), bound = 4 * Math.hypot(a[1][k], b[1][k]);
      int at = k;
      assertTrue(diff <= bound, () -> what + ", coordinate " + at + ": " + a[0][at] + " ± " + a[1][at] + " against "
          + b[0][at] + " ± " + b[1][at]);
    }
  }

  /**
   * The meta-loss of the whole horizon when truncation k runs with φ + ε[k], the gradient inputs
   * differentiated too: its exact gradient in φ is a sample of the smoothed gradient. With
   * {@code eps} the loss is the sum of the truncations' meta-losses (each counts its first step, so
   * the steps between truncations count twice), which is what PES estimates; without, Σ_t f(θ_t).
   */
  static Tensor wholeHorizon(Tree phi, Tree[] eps, LeastSquares p) {
    Tree theta = p.theta0;
    Tree state = LINEAR.apply(phi).init(theta);
    Tensor total = p.loss(theta, 0);
    for (int t = 0; t < HORIZON; t++) {
      int step = t;
      if (eps != null && t > 0 && t % UNROLL == 0) total = total.add(p.loss(theta, t));
      Optimizer opt = LINEAR.apply(eps == null ? phi : phi.plus(eps[t / UNROLL]));
      Tree g = Autodiff.gradTree((Tree x) -> p.loss(x, step)).apply(theta);
      Optimizer.Update u = opt.update(g, state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
      total = total.add(p.loss(theta, t + 1));
    }
    return total;
  }

  @Property(tries = 2)
  void esMatchesTheGradientOfTheGaussianSmoothedTruncationLoss(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LeastSquares p = new LeastSquares(2, r);
    Tree phi = phi(r);
    Engine.Truncation t = first(p, phi, UNROLL, true);
    double sigma = 0.05;
    int n = 2000;
    double[][] es = new double[n][], reparam = new double[n][];
    for (int i = 0; i < n; i++) {
      es[i] = Perturbations.es(LINEAR, t, new MetaGradient.Es(sigma, 1), r.nextLong()).grad().flatten().toArray();
      Tree eps = Perturbations.noise(phi, sigma, 1, r.nextLong())[0];
      reparam[i] = new WholeGraph(LINEAR).run(t.withPhi(phi.plus(eps))).grad().flatten().toArray();
    }
    assertAgree(meanAndError(es), meanAndError(reparam), "ES against E[∇L(φ + ε)]");
  }

  @Property(tries = 2)
  void pesMatchesTheGradientOfTheGaussianSmoothedLossOfTheWholeHorizon(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LeastSquares p = new LeastSquares(2, r);
    Tree phi = phi(r);
    double sigma = 0.05;
    int n = 2000, k = HORIZON / UNROLL;
    double[][] pes = new double[n][], reparam = new double[n][];
    for (int i = 0; i < n; i++) {
      // one task: its truncations in turn, the particles carried, the unperturbed run advancing θ
      Engine.Truncation t = first(p, phi, UNROLL, false);
      Perturbations.Persistent carried = null;
      Tree sum = phi.zerosLike();
      for (int j = 0; j < k; j++) {
        Perturbations.PesStep s = Perturbations.pes(LINEAR, t, new MetaGradient.Pes(sigma, 1), carried, r.nextLong());
        sum = sum.plus(s.result().grad());
        carried = s.carried();
        Engine.Result e = s.result();
        t = new Engine.Truncation(phi, p::loss, e.theta(), e.state(), (j + 1) * UNROLL, UNROLL, Option.of(e.last()),
            StepLoss.LINEAR, false);
      }
      pes[i] = sum.flatten().toArray();
      Tree[] eps = new Tree[k];
      for (int j = 0; j < k; j++) eps[j] = Perturbations.noise(phi, sigma, 1, r.nextLong())[0];
      reparam[i] = Autodiff.gradTree((Tree q) -> wholeHorizon(q, eps, p)).apply(phi).flatten().toArray();
    }
    assertAgree(meanAndError(pes), meanAndError(reparam), "PES over the horizon against E[∇ΣL(φ + ε₁, …, φ + ε₄)]");
  }

  @Property(tries = 5)
  void esApproachesTheDirectionalDerivativesOfTheExactGradientAsSigmaShrinks(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LeastSquares p = new LeastSquares(2, r);
    Tree phi = phi(r);
    Engine.Truncation t = first(p, phi, UNROLL, true);
    Tree exact = new WholeGraph(LINEAR).run(t).grad();
    long noise = r.nextLong();
    int pairs = 4;
    // ε = σ·z with the same z at every σ: ES → Σ z·(z·∇L) / pairs, whose mean is ∇L
    Tree[] z = Perturbations.noise(phi, 1, pairs, noise);
    Tree directional = phi.zerosLike();
    for (Tree zi : z) directional = directional.plus(zi.times(zi.dot(exact).item() / pairs));
    double previous = Double.POSITIVE_INFINITY;
    for (double sigma : new double[] {1e-2, 1e-3, 1e-4}) {
      Tree es = Perturbations.es(LINEAR, t, new MetaGradient.Es(sigma, pairs), noise).grad();
      double err = es.minus(directional).norm().item() / directional.norm().item();
      assertTrue(err < Math.max(previous / 10, 1e-7), "σ = " + sigma + ": relative error " + err + " (before " + previous
          + ")");
      previous = err;
    }
  }

  @Property(tries = 5)
  void truncatedFirstOrderBackpropIsBiasedAgainstTheFullGradient(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LeastSquares p = new LeastSquares(2, r);
    Tree phi = phi(r);
    Tree full = Autodiff.gradTree((Tree q) -> wholeHorizon(q, null, p)).apply(phi);
    assertTrue(full.minus(new WholeGraph(LINEAR).run(first(p, phi, HORIZON, true)).grad()).norm().item()
        < 1e-10 * full.norm().item(), "the full engine run is the gradient of the whole horizon");
    Engine.Truncation t = first(p, phi, UNROLL, false);
    Tree truncated = phi.zerosLike();
    for (int j = 0; j < HORIZON / UNROLL; j++) {
      Engine.Result e = Engine.reverseMode(LINEAR).run(t);
      truncated = truncated.plus(e.grad());
      t = new Engine.Truncation(phi, p::loss, e.theta(), e.state(), (j + 1) * UNROLL, UNROLL, Option.of(e.last()),
          StepLoss.LINEAR, false);
    }
    // truncations drop how a step's update changes the losses of later truncations, and first order
    // drops ∂∇f/∂φ: the sum of the truncated estimates is not the gradient of the horizon's meta-loss
    // (the bias is ≥ 0.0087 over 400 random problems, the engines agree to 1e-10: 1e-3 tells them apart)
    double bias = truncated.minus(full).norm().item() / full.norm().item();
    assertTrue(bias > 1e-3, "truncated first-order backprop's relative bias here is " + bias);
  }

  @Example
  void esAndPesGiveTheSameBitsAtAnyThreadCount() {
    SplittableRandom r = new SplittableRandom(4);
    LeastSquares p = new LeastSquares(2 * RowParallel.BLOCK_ROWS + 9, r);
    CoordinatewiseLstm g = CoordinatewiseLstm.of(LstmConfig.rnnprop().withHidden(3));
    Tree phi = g.init(2);
    Engine.Truncation t = new Engine.Truncation(phi, p::loss, p.theta0, g.apply(phi).init(p.theta0), 0, 2,
        Option.none(), StepLoss.LOG, false);
    int keep = RowParallel.threads();
    try {
      double[][] out = new double[2][];
      for (int threads = 1; threads <= 2; threads++) {
        RowParallel.setThreads(threads);
        Tree es = Perturbations.es(g, t, new MetaGradient.Es(0.01, 3), 7).grad();
        Tree pes = Perturbations.pes(g, t, new MetaGradient.Pes(0.01, 3), null, 7).result().grad();
        out[threads - 1] = es.plus(pes.times(2)).flatten().toArray();
      }
      assertArrayEquals(out[0], out[1]);
    } finally {
      RowParallel.setThreads(keep);
    }
  }
}
