package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.Tuple2;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The hand-written first-order truncation equals the general path: the same meta-loss built from
 * tensor ops (gradient inputs stopped) and differentiated by reverse mode.
 */
class LstmUnrollProperties {

  /** A small least-squares optimizee over a two-leaf tree: f_t(θ) = mean((Aθ − y_t)²) with y_t varying by step. */
  static final class LeastSquares {
    final Tensor a;
    final Tensor y;
    final Tree theta0;

    LeastSquares(int n, SplittableRandom r) {
      a = Tensor.uniform(n, n, -1, 1, r);
      y = Tensor.uniform(n, 1, -1, 1, r);
      int split = Math.max(1, n / 3);
      theta0 = Tree.of("w", Tensor.uniform(split, 1, -1, 1, r), "b", Tensor.uniform(n - split, 1, -1, 1, r));
    }

    Tensor loss(Tree theta, int step) {
      return a.matmul(theta.flatten()).sub(y.mul(1 + 0.1 * step)).square().mean();
    }

    Autodiff.ValueAndGrad<Tree> valueAndGrad(Tree theta, int step) {
      return Autodiff.valueAndGradTree((Tree t) -> loss(t, step)).apply(theta.detach());
    }
  }

  /** The general path: Σ_{t=0}^{T} f(θ_t) as tensor ops in φ, the optimizee's gradients stopped. */
  static Function<Tree, Tuple2<Tensor, Tree>> generalMetaLoss(CoordinatewiseLstm lstm, LeastSquares p, Tree state0,
      int first, int steps) {
    return phi -> {
      Optimizer opt = lstm.apply(phi);
      Tree theta = p.theta0;
      Tree state = state0;
      Tensor total = p.loss(theta, first);
      for (int t = 0; t < steps; t++) {
        Tree g = p.valueAndGrad(theta, first + t).grad();
        Optimizer.Update u = opt.update(g, state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
        total = total.add(p.loss(theta, first + t + 1));
      }
      return new Tuple2<>(total, theta);
    };
  }

  private static LstmConfig config(int variant, SplittableRandom r) {
    LstmConfig base = switch (variant) {
      case 0 -> LstmConfig.quadratic().withHidden(3, 4);
      case 1 -> LstmConfig.mnist().withHidden(5).withScale(0.5);
      case 2 -> LstmConfig.linear().withInit(Init.normal(0.3));
      default -> LstmConfig.quadratic().withHidden(2, 3, 2).withPreprocess(Preprocess.logAndSign(3));
    };
    return base;
  }

  @Property(tries = 40)
  void firstOrderTruncationEqualsReverseModeThroughTheGeneralPath(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int variant, @ForAll @IntRange(min = 1, max = 5) int steps) {
    SplittableRandom r = new SplittableRandom(seed);
    LstmConfig cfg = config(variant, r);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(r.nextLong());
    if (cfg.hidden().isEmpty()) phi = phi.map(t -> Tensor.uniform(t.rows(), t.cols(), -0.3, 0.3, r));
    LeastSquares p = new LeastSquares(2 + r.nextInt(8), r);
    Tree state0 = lstm.apply(phi).init(p.theta0).map(t -> Tensor.uniform(t.rows(), t.cols(), -0.5, 0.5, r));
    int first = r.nextInt(5);

    LstmUnroll.Result fast = new LstmUnroll(cfg, p.theta0.size(), steps).run(phi, p::valueAndGrad, p.theta0, state0,
        first, null);
    Autodiff.ValueGradAux<Tree, Tree> general = Autodiff.valueAndGradWithAux(generalMetaLoss(lstm, p, state0, first,
        steps)).apply(phi);

    assertEquals(general.value().item(), fast.metaLoss(), 1e-10 * Math.max(1, Math.abs(fast.metaLoss())));
    double err = GradCheck.maxError(fast.phiGrad(), general.grad());
    assertTrue(err < 1e-9, () -> "meta-gradient error " + err);
    assertTrue(GradCheck.maxError(fast.theta(), general.aux()) < 1e-10);
    assertEquals(steps + 1, fast.losses().length);
  }

  @Example
  void blocksAndThreadsDoNotChangeASingleBit() {
    SplittableRandom r = new SplittableRandom(11);
    LstmConfig cfg = LstmConfig.quadratic().withHidden(4, 3);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(3);
    LeastSquares p = new LeastSquares(2 * RowParallel.BLOCK_ROWS + 17, r);
    Tree state0 = lstm.apply(phi).init(p.theta0);
    int keep = RowParallel.threads();
    try {
      RowParallel.setThreads(1);
      LstmUnroll.Result one = new LstmUnroll(cfg, p.theta0.size(), 3).run(phi, p::valueAndGrad, p.theta0, state0, 0, null);
      RowParallel.setThreads(3);
      LstmUnroll.Result three = new LstmUnroll(cfg, p.theta0.size(), 3).run(phi, p::valueAndGrad, p.theta0, state0, 0,
          null);
      assertEquals(one.metaLoss(), three.metaLoss());
      assertArrayEquals(one.phiGrad().flatten().toArray(), three.phiGrad().flatten().toArray());
      assertArrayEquals(one.theta().flatten().toArray(), three.theta().flatten().toArray());
    } finally {
      RowParallel.setThreads(keep);
    }
  }

  @Example
  void manyBlocksGiveTheGeneralPathsMetaGradient() {
    SplittableRandom r = new SplittableRandom(5);
    LstmConfig cfg = LstmConfig.mnist().withHidden(3, 2);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(9);
    LeastSquares p = new LeastSquares(RowParallel.BLOCK_ROWS + 300, r);
    Tree state0 = lstm.apply(phi).init(p.theta0);
    LstmUnroll.Result fast = new LstmUnroll(cfg, p.theta0.size(), 2).run(phi, p::valueAndGrad, p.theta0, state0, 0, null);
    Autodiff.ValueGradAux<Tree, Tree> general = Autodiff.valueAndGradWithAux(generalMetaLoss(lstm, p, state0, 0, 2))
        .apply(phi);
    assertTrue(GradCheck.maxError(fast.phiGrad(), general.grad()) < 1e-9);
  }

  // ---------------------------------------------------------------------------------------------
  // Single precision.

  /**
   * Float32 keeps the double path's numbers to single precision's rounding: the meta-loss to 1e-5
   * and the meta-gradient to 1e-3 in norm-relative error, with and without log-and-sign
   * preprocessing, one or several layers, blocks of the fixed size and ragged ones.
   */
  @Property(tries = 30)
  void float32MetaLossAndGradientAgreeWithDoubleWithinSinglePrecisionRounding(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int variant, @ForAll @IntRange(min = 1, max = 6) int steps,
      @ForAll boolean ragged) {
    SplittableRandom r = new SplittableRandom(seed);
    LstmConfig cfg = config(variant, r);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(r.nextLong());
    if (cfg.hidden().isEmpty()) phi = phi.map(t -> Tensor.uniform(t.rows(), t.cols(), -0.3, 0.3, r));
    LeastSquares p = new LeastSquares(ragged ? 3 + r.nextInt(40) : RowParallel.BLOCK_ROWS + 1 + r.nextInt(100), r);
    Tree state0 = lstm.apply(phi).init(p.theta0).map(t -> Tensor.uniform(t.rows(), t.cols(), -0.5, 0.5, r));
    int first = r.nextInt(5);
    int n = p.theta0.size();
    LstmUnroll.Result d = new LstmUnroll(cfg, n, steps).run(phi, p::valueAndGrad, p.theta0, state0, first, null);
    LstmUnroll.Result f = new LstmUnroll(cfg, n, steps, Precision.FLOAT32).run(phi, p::valueAndGrad, p.theta0, state0,
        first, null);
    assertEquals(d.metaLoss(), f.metaLoss(), 1e-5 * Math.abs(d.metaLoss()));
    double gradErr = GradCheck.relativeError(f.phiGrad(), d.phiGrad());
    assertTrue(gradErr < 1e-3, () -> "meta-gradient relative error " + gradErr);
    assertTrue(GradCheck.relativeError(f.theta(), d.theta()) < 1e-5);
    if (!cfg.hidden().isEmpty()) assertTrue(GradCheck.relativeError(f.state(), d.state()) < 1e-5);
  }

  /** A cheap optimizee of many coordinates: f_t(θ) = mean(a ⊙ (θ − (1 + 0.1t)·y)²). */
  record Separable(Tensor a, Tensor y, Tree theta0) {
    static Separable of(int n, SplittableRandom r) {
      return new Separable(Tensor.uniform(n, 1, 0.5, 2, r), Tensor.uniform(n, 1, -1, 1, r),
          Tree.of("x", Tensor.uniform(n, 1, -0.01, 0.01, r)));
    }

    Autodiff.ValueAndGrad<Tree> valueAndGrad(Tree theta, int step) {
      return Autodiff.valueAndGradTree((Tree t) -> t.flatten().sub(y.mul(1 + 0.1 * step)).square().mul(a).mean())
          .apply(theta.detach());
    }
  }

  @Example
  void float32AgreesWithDoubleOverTheQuadraticSettingsTruncationWithLogAndSignAndLogStepLoss() {
    SplittableRandom r = new SplittableRandom(17);
    LstmConfig cfg = LstmConfig.quadratic().withPreprocess(Preprocess.logAndSign(5));
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(4);
    Separable p = Separable.of(300, r);
    Tree state0 = lstm.apply(phi).init(p.theta0());
    int n = p.theta0().size();
    LstmUnroll.Result d = new LstmUnroll(cfg, n, 20).run(phi, p::valueAndGrad, p.theta0(), state0, 0, null,
        StepLoss.LOG);
    LstmUnroll.Result f = new LstmUnroll(cfg, n, 20, Precision.FLOAT32).run(phi, p::valueAndGrad, p.theta0(), state0,
        0, null, StepLoss.LOG);
    double lossErr = Math.abs(f.metaLoss() - d.metaLoss()) / Math.abs(d.metaLoss());
    double gradErr = GradCheck.relativeError(f.phiGrad(), d.phiGrad());
    System.out.printf("float32 vs double, %d coordinates, log-and-sign, log step loss, 20 steps: meta-loss %.2e, "
        + "meta-gradient %.2e (norm-relative)%n", n, lossErr, gradErr);
    assertTrue(lossErr < 1e-5, () -> "meta-loss relative error " + lossErr);
    assertTrue(gradErr < 1e-3, () -> "meta-gradient relative error " + gradErr);
  }

  @Example
  void float32GivesTheSameBitsAtOneAndTwoThreadsAndOnEveryRun() {
    SplittableRandom r = new SplittableRandom(23);
    LstmConfig cfg = LstmConfig.mnist().withHidden(4, 3);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(3);
    LeastSquares p = new LeastSquares(2 * RowParallel.BLOCK_ROWS + 37, r);
    Tree state0 = lstm.apply(phi).init(p.theta0);
    int keep = RowParallel.threads();
    try {
      LstmUnroll shared = new LstmUnroll(cfg, p.theta0.size(), 4, Precision.FLOAT32);
      RowParallel.setThreads(1);
      LstmUnroll.Result one = shared.run(phi, p::valueAndGrad, p.theta0, state0, 0, null);
      RowParallel.setThreads(2);
      LstmUnroll.Result two = shared.run(phi, p::valueAndGrad, p.theta0, state0, 0, null);
      LstmUnroll.Result fresh = new LstmUnroll(cfg, p.theta0.size(), 4, Precision.FLOAT32).run(phi, p::valueAndGrad,
          p.theta0, state0, 0, null);
      for (LstmUnroll.Result other : new LstmUnroll.Result[] {two, fresh}) {
        assertEquals(one.metaLoss(), other.metaLoss());
        assertArrayEquals(one.phiGrad().flatten().toArray(), other.phiGrad().flatten().toArray());
        assertArrayEquals(one.theta().flatten().toArray(), other.theta().flatten().toArray());
        assertArrayEquals(one.state().flatten().toArray(), other.state().flatten().toArray());
        assertArrayEquals(one.losses(), other.losses());
      }
    } finally {
      RowParallel.setThreads(keep);
    }
  }
}
