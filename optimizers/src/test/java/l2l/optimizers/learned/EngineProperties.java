package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.LstmUnrollProperties.LeastSquares;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Truncation engines against reverse mode through the whole truncation recorded as one graph (the
 * definition of the meta-gradient), and against central finite differences of the meta-loss, for
 * every learned architecture: the registered engines (the LSTM's hand-written unroll), the general
 * engine (row blocks for coordinatewise optimizers) and, for the exact meta-gradient, the nested
 * reverse mode.
 */
class EngineProperties {

  /**
   * Small architectures: the paper's LSTM raw and with log-and-sign, RNNprop, the momentum-fed LSTM,
   * linear, RNNprop added to a NAG base, the LSTM scaling an Adam base, the momentum-fed LSTM moving
   * an Adam base's log learning rate, LSTM+GAC and that last one with a hypergradient on the base's rate
   * (the two not coordinatewise).
   */
  static LstmConfig architecture(int kind) {
    return switch (kind) {
      case 0 -> LstmConfig.quadratic().withHidden(3, 2).withScale(0.3);
      case 1 -> LstmConfig.mnist().withHidden(4).withScale(0.5);
      case 2 -> LstmConfig.rnnprop().withHidden(3, 2);
      case 3 -> LstmConfig.lstmFeatures().withHidden(3, 2).withScale(0.2);
      case 4 -> LstmConfig.linear().withInit(Init.normal(0.3));
      case 5 -> LstmConfig.rnnprop().withHidden(3, 2).withBase(LstmConfig.Base.nag(0.05, 0.9));
      case 6 -> LstmConfig.mnist().withHidden(3).withScale(0.5).withBase(
          new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.05, 0.5, LstmConfig.Base.Combine.SCALE));
      case 7 -> LstmConfig.lstmFeatures().withHidden(3).withScale(0.5).withBase(
          new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.05, 0.9, LstmConfig.Base.Combine.ACCUMULATE));
      case 8 -> LstmConfig.quadratic().withHidden(3, 3).withScale(0.3).withGlobalAveragingCells(1);
      default -> LstmConfig.lstmFeatures().withHidden(3).withScale(0.5).withBase(
          new LstmConfig.Base(LstmConfig.Base.Kind.ADAM, 0.05, 0.9, LstmConfig.Base.Combine.ACCUMULATE, 0.3));
    };
  }

  private static Engine.Truncation truncation(CoordinatewiseLstm g, Tree phi, LeastSquares p, Tree state, int first,
      int steps, StepLoss ell, boolean exact) {
    return new Engine.Truncation(phi, p::loss, p.theta0, state, first, steps, Option.none(), ell, exact);
  }

  private static void assertSameResult(Engine.Result want, Engine.Result got, String what) {
    double scale = Math.max(1, Math.abs(want.metaLoss().item()));
    assertEquals(want.metaLoss().item(), got.metaLoss().item(), 1e-10 * scale, what + ": meta-loss");
    double err = GradCheck.maxError(got.grad(), want.grad());
    assertTrue(err < 1e-9, () -> what + ": meta-gradient error " + err);
    assertTrue(GradCheck.maxError(got.theta(), want.theta()) < 1e-11, what + ": θ");
    assertTrue(GradCheck.maxError(got.state(), want.state()) < 1e-11, what + ": the optimizer's state");
    assertArrayEquals(want.losses(), got.losses(), 1e-11 * scale, what + ": losses");
    assertTrue(GradCheck.maxError(got.last().grad(), want.last().grad()) < 1e-11, what + ": the next gradient");
  }

  @Property(tries = 40)
  void everyEngineEqualsReverseModeThroughTheWholeTruncation(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 9) int kind, @ForAll @IntRange(min = 1, max = 4) int steps,
      @ForAll boolean exact, @ForAll StepLoss ell) {
    SplittableRandom r = new SplittableRandom(seed);
    CoordinatewiseLstm g = CoordinatewiseLstm.of(architecture(kind));
    Tree phi = g.init(r.nextLong()).map(t -> t.add(Tensor.uniform(t.rows(), t.cols(), -0.1, 0.1, r)));
    LeastSquares p = new LeastSquares(2 + r.nextInt(8), r);
    Tree state = g.apply(phi).init(p.theta0);
    Engine.Truncation t = truncation(g, phi, p, state, r.nextInt(3), steps, ell, exact);
    Engine.Result want = new WholeGraph(g).run(t);
    assertSameResult(want, Engine.reverseMode(g).run(t), "general engine");
    assertSameResult(want, g.engine(Precision.DOUBLE).run(t), "registered engine " + g.engine(Precision.DOUBLE).describe());
  }

  /** Σ_{t=0}^{steps} ℓ(f(θ_t)) through g(φ), feeding it frozen[t] if given, else ∇f(θ_t) (recorded). */
  private static Tensor metaLoss(CoordinatewiseLstm g, Tree phi, LeastSquares p, int steps, StepLoss ell,
      Tree[] frozen, Tree[] record) {
    Optimizer opt = g.apply(phi);
    Tree theta = p.theta0;
    Tree state = opt.init(theta);
    Tensor total = ell.apply(p.loss(theta, 0));
    for (int t = 0; t < steps; t++) {
      int step = t;
      Tree grad = frozen != null ? frozen[t]
          : l2l.autodiff.Autodiff.gradTree((Tree x) -> p.loss(x, step)).apply(theta);
      if (record != null) record[t] = grad.detach();
      Optimizer.Update u = opt.update(grad, state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
      total = total.add(ell.apply(p.loss(theta, t + 1)));
    }
    return total;
  }

  @Property(tries = 30)
  void metaGradientsMatchFiniteDifferencesOfTheMetaLoss(@ForAll long seed, @ForAll @IntRange(min = 0, max = 9) int kind,
      @ForAll @IntRange(min = 1, max = 3) int steps, @ForAll boolean exact) {
    SplittableRandom r = new SplittableRandom(seed);
    CoordinatewiseLstm g = CoordinatewiseLstm.of(architecture(kind));
    Tree phi = g.init(r.nextLong()).map(t -> t.add(Tensor.uniform(t.rows(), t.cols(), -0.1, 0.1, r)));
    LeastSquares p = new LeastSquares(2 + r.nextInt(5), r);
    Engine.Result got = g.engine(Precision.DOUBLE).run(truncation(g, phi, p, g.apply(phi).init(p.theta0), 0, steps,
        StepLoss.LINEAR, exact));
    // first order: the exact gradient of the meta-loss with the gradient inputs frozen at their values at φ
    Tree[] frozen = exact ? null : new Tree[steps];
    if (!exact) metaLoss(g, phi, p, steps, StepLoss.LINEAR, null, frozen);
    Function<Tree, Tensor> f = q -> metaLoss(g, q, p, steps, StepLoss.LINEAR, frozen, null);
    double err = GradCheck.maxError(got.grad(), GradCheck.numericGrad(f, phi, 1e-5));
    assertTrue(err < 1e-6, () -> (exact ? "second" : "first") + "-order meta-gradient error " + err);
  }

  @Property(tries = 12)
  void coordinatewiseRulesActOnEachCoordinateAlone(@ForAll long seed, @ForAll @IntRange(min = 0, max = 7) int kind,
      @ForAll @IntRange(min = 2, max = 30) int n) {
    SplittableRandom r = new SplittableRandom(seed);
    CoordinatewiseLstm g = CoordinatewiseLstm.of(architecture(kind));
    assertTrue(g.coordinatewise());
    Optimizer rule = g.apply(g.init(r.nextLong()));
    Tree theta = Tree.leaf(Tensor.uniform(1, n, -1, 1, r));
    Tree grads = theta.map(t -> Tensor.uniform(1, n, -1, 1, r));
    Tree state = rule.init(theta);
    for (int step = 0; step < 2; step++) {
      Optimizer.Update all = rule.update(grads, state, theta);
      int c0 = r.nextInt(n), c1 = c0 + 1 + r.nextInt(n - c0);
      Optimizer.Update part = rule.update(grads.map(t -> t.sliceCols(c0, c1)), state.map(t -> t.sliceCols(c0, c1)),
          theta.map(t -> t.sliceCols(c0, c1)));
      assertTrue(GradCheck.maxError(part.updates(), all.updates().map(t -> t.sliceCols(c0, c1))) < 1e-14, "updates");
      assertTrue(GradCheck.maxError(part.state(), all.state().map(t -> t.sliceCols(c0, c1))) < 1e-14, "state");
      state = all.state();
    }
    assertTrue(!CoordinatewiseLstm.of(architecture(8)).coordinatewise(), "averaged cells couple coordinates");
    assertTrue(!CoordinatewiseLstm.of(architecture(9)).coordinatewise(), "one adaptive rate couples coordinates");
  }

  @Example
  void theExactMetaGradientStaysFiniteWhereAGradientCoordinateIsAlwaysZero() {
    // RNNprop's second moment stays 0 on a coordinate the loss ignores (an MLP's unused input pixel): √0
    // has an infinite slope, and the exact meta-gradient differentiates through it
    SplittableRandom r = new SplittableRandom(7);
    for (LstmConfig c : List.of(LstmConfig.rnnprop().withHidden(3, 2), LstmConfig.lstmFeatures().withHidden(3))) {
      CoordinatewiseLstm g = CoordinatewiseLstm.of(c.withBase(LstmConfig.Base.nag(0.1, 0.9)));
      Tree phi = g.init(3).map(t -> t.add(Tensor.uniform(t.rows(), t.cols(), -0.1, 0.1, r)));
      Tree theta0 = Tree.leaf(Tensor.uniform(1, 5, -1, 1, r));
      Engine.Loss loss = (th, t) -> th.tensor().sliceCols(0, 4).sub(0.5).square().sum();
      Engine.Truncation t = new Engine.Truncation(phi, loss, theta0, g.apply(phi).init(theta0), 0, 3, Option.none(),
          StepLoss.LOG, true);
      Engine.Result got = g.engine(Precision.DOUBLE).run(t);
      assertTrue(got.grad().leaves().forAll(x -> x.finiteMask().sum().item() == x.rows() * x.cols()),
          () -> c.describe() + ": " + got.grad());
      assertSameResult(new WholeGraph(g).run(t), got, c.describe());
    }
  }

  @Example
  void blocksAndThreadsDoNotChangeASingleBitOfTheGeneralEngine() {
    SplittableRandom r = new SplittableRandom(11);
    CoordinatewiseLstm g = CoordinatewiseLstm.of(LstmConfig.rnnprop().withHidden(4, 3));
    Tree phi = g.init(3);
    LeastSquares p = new LeastSquares(2 * RowParallel.BLOCK_ROWS + 17, r);
    Engine.Truncation t = truncation(g, phi, p, g.apply(phi).init(p.theta0), 0, 3, StepLoss.LOG, false);
    int keep = RowParallel.threads();
    try {
      List<Engine.Result> results = List.of(1, 3).map(threads -> {
        RowParallel.setThreads(threads);
        return Engine.reverseMode(g).run(t);
      });
      Engine.Result one = results.get(0), three = results.get(1);
      assertEquals(one.metaLoss().item(), three.metaLoss().item(), 0.0);
      assertArrayEquals(one.grad().flatten().toArray(), three.grad().flatten().toArray());
      assertArrayEquals(one.theta().flatten().toArray(), three.theta().flatten().toArray());
    } finally {
      RowParallel.setThreads(keep);
    }
  }
}
