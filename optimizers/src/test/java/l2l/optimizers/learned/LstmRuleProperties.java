package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws of the coordinatewise LSTM optimizer. */
class LstmRuleProperties {

  private static Tree params(SplittableRandom r, int n) {
    int k = 1 + r.nextInt(n);
    Tree t = Tree.of("a", Tensor.uniform(k, 1, -1, 1, r));
    return n - k > 0 ? t.with("b", Tensor.uniform(1, n - k, -1, 1, r)) : t;
  }

  @Property(tries = 60)
  void evaluatingInBlocksOfCoordinatesEqualsTracingAllAtOnce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int n,
      @ForAll boolean logAndSign) {
    SplittableRandom r = new SplittableRandom(seed);
    // zero, one or two layers (zero: the linear optimizer Δ = w·features + b)
    int[] widths = new int[r.nextInt(3)];
    for (int l = 0; l < widths.length; l++) widths[l] = 1 + r.nextInt(5);
    LstmConfig cfg = LstmConfig.quadratic().withHidden(widths)
        .withPreprocess(logAndSign ? Preprocess.logAndSign(5) : Preprocess.none());
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree phi = lstm.init(r.nextLong()).map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Tree theta = params(r, n);
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -2, 2, r));
    Optimizer opt = lstm.apply(phi);
    Tree state = opt.init(theta).map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Optimizer.Update fast = opt.update(grads, state, theta);
    // the same step with φ traced goes through tensor ops
    Optimizer.Update[] traced = new Optimizer.Update[1];
    Autodiff.gradTree((Tree p) -> {
      traced[0] = lstm.apply(p).update(grads, state, theta);
      return traced[0].updates().sumSquares();
    }).apply(phi);
    assertTrue(GradCheck.maxError(fast.updates(), traced[0].updates().detach()) < 1e-13);
    assertTrue(GradCheck.maxError(fast.state(), traced[0].state().detach()) < 1e-13);
  }

  @Property(tries = 30)
  void withABaseTheUntrainedOptimizerStepsExactlyAsItsBase(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll boolean rnnprop, @ForAll LstmConfig.Base.Kind kind, @ForAll LstmConfig.Base.Combine combine) {
    SplittableRandom r = new SplittableRandom(seed);
    double lr = Math.exp(r.nextDouble(-5, 1)), momentum = r.nextDouble(0, 0.99);
    LstmConfig cfg = (rnnprop ? LstmConfig.rnnprop() : LstmConfig.mnist()).withHidden(3, 2)
        .withBase(new LstmConfig.Base(kind, lr, momentum, combine));
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Optimizer g = lstm.apply(lstm.init(r.nextLong()));
    Optimizer base = kind == LstmConfig.Base.Kind.NAG ? l2l.optimizers.Optimizers.nag(lr, momentum)
        : l2l.optimizers.Optimizers.adam(lr, momentum, 0.999, 1e-8);
    Tree theta = params(r, n);
    Tree gs = g.init(theta), ns = base.init(theta);
    for (int step = 0; step < 4; step++) {
      Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -2, 2, r));
      Optimizer.Update a = g.update(grads, gs, theta), b = base.update(grads, ns, theta);
      assertEquals(0.0, GradCheck.maxError(a.updates(), b.updates()), "step " + step + " is the base's to the bit");
      theta = Optimizer.apply(theta, a.updates());
      gs = a.state();
      ns = b.state();
    }
    // and φ changes it: the output layer is where training starts
    Tree phi = lstm.init(1).map(t -> t.add(0.1));
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -2, 2, r));
    assertTrue(GradCheck.maxError(lstm.apply(phi).update(grads, gs, theta).updates(), base.update(grads, ns, theta).updates())
        > 1e-6, "a nonzero output layer adds its own step");
  }

  @Property(tries = 20)
  void accumulatingScalesTheBasesStepByTheExponentialOfTheSummedOutputs(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 100) int n, @ForAll LstmConfig.Base.Kind kind) {
    SplittableRandom r = new SplittableRandom(seed);
    double lr = Math.exp(r.nextDouble(-5, 0)), c = r.nextDouble(-2, 2);
    LstmConfig cfg = LstmConfig.rnnprop().withHidden(3)
        .withBase(new LstmConfig.Base(kind, lr, 0.5, LstmConfig.Base.Combine.ACCUMULATE));
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    // a zero output weight and bias c: every step's output is u = scale·tanh(c), so ℓ after t steps is t·u
    Tree phi = lstm.init(r.nextLong());
    phi = phi.with("out", Tree.of("w", Tensor.zeros(phi.tensor("out/w").rows(), 1), "b", Tensor.scalar(c)));
    double u = cfg.scale() * Math.tanh(c);
    Optimizer g = lstm.apply(phi), base = cfg.base().optimizer();
    Tree theta = params(r, n);
    Tree gs = g.init(theta), ns = base.init(Tree.leaf(Tensor.zeros(1, n)));
    for (int step = 1; step <= 5; step++) {
      Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -2, 2, r));
      Optimizer.Update a = g.update(grads, gs, theta);
      Optimizer.Update b = base.update(Tree.leaf(grads.flatten().reshape(1, n)), ns,
          Tree.leaf(theta.flatten().reshape(1, n)));
      double[] got = a.updates().flatten().toArray(), want = b.updates().tensor().toArray();
      for (int i = 0; i < n; i++) {
        assertEquals(want[i] * Math.exp(step * u), got[i], 1e-12 * Math.abs(want[i]) * Math.exp(Math.abs(step * u)) + 1e-300,
            "step " + step + ", coordinate " + i);
      }
      theta = Optimizer.apply(theta, a.updates());
      gs = a.state();
      ns = b.state();
    }
  }

  @Property(tries = 30)
  void stateAfterInitHoldsOneColumnPerCoordinateAndIsZero(@ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int n) {
    SplittableRandom r = new SplittableRandom(seed);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(3, 2));
    Tree s = lstm.apply(lstm.init(1)).init(params(r, n));
    assertEquals(io.vavr.collection.List.of("lstm0", "lstm1"), s.paths());
    assertEquals(6, s.tensor("lstm0").rows());
    assertTrue(s.leaves().forAll(t -> t.cols() == n && t.maxAbs() == 0));
  }

  @Property(tries = 20)
  void globallyAveragedCellsAreEqualAcrossCoordinates(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LstmConfig cfg = LstmConfig.quadratic().withHidden(4, 3).withGlobalAveragingCells(2);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(cfg);
    Tree theta = params(r, 9);
    Optimizer opt = lstm.apply(lstm.init(r.nextLong()));
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Optimizer.Update u = opt.update(grads, opt.init(theta), theta);
    Tensor c0 = u.state().tensor("lstm0").sliceRows(4, 8);
    for (int unit = 2; unit < 4; unit++) {
      for (int k = 1; k < 9; k++) assertEquals(c0.get(unit, 0), c0.get(unit, k), 1e-15);
    }
    assertTrue(c0.get(0, 0) != c0.get(0, 1), "non-averaged cells stay per coordinate");
  }

  @Property(tries = 20)
  void theLearnedUpdateIsDifferentiableInPhi(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(LstmConfig.mnist().withHidden(3, 2).withGlobalAveragingCells(1));
    Tree phi = lstm.init(r.nextLong());
    Tree theta = params(r, 6);
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Tree state = lstm.apply(phi).init(theta).map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    java.util.function.Function<Tree, Tensor> f = p -> {
      Optimizer.Update u = lstm.apply(p).update(grads, state, theta);
      return u.updates().sumSquares().add(u.state().sumSquares().mul(0.1));
    };
    assertTrue(GradCheck.maxError(Autodiff.gradTree(f).apply(phi), GradCheck.numericGrad(f, phi, 1e-5)) < 1e-7);
  }

  @Example
  void theLinearOptimizerWithZeroWeightsProposesNoUpdate() {
    CoordinatewiseLstm lin = CoordinatewiseLstm.of(LstmConfig.linear());
    Tree phi = lin.init(0);
    assertEquals(io.vavr.collection.List.of("out/w", "out/b"), phi.paths());
    Tree theta = Tree.of("x", Tensor.scalar(1));
    Optimizer.Update u = lin.apply(phi).update(theta.map(t -> t.mul(2)), lin.apply(phi).init(theta), theta);
    assertEquals(0.0, u.updates().tensor("x").item());
  }

  @Example
  void aZeroWidthIsRefusedWithTheLayerAndTheWidth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LstmConfig.quadratic().withHidden(20, 0));
    assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("width 0"), e.getMessage());
  }

  @Example
  void parametersOfTheWrongShapeAreRefusedWithTheEntry() {
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(LstmConfig.quadratic());
    Tree phi = lstm.init(0);
    Tree bad = phi.with("lstm1", phi.at("lstm1").with("b", Tensor.zeros(1, 79)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.apply(bad));
    assertTrue(e.getMessage().contains("lstm1/b") && e.getMessage().contains("1×79"), e.getMessage());
  }

  @Example
  void initialParametersFollowTheOriginalsShapesAndScales() {
    CoordinatewiseLstm lstm = CoordinatewiseLstm.of(LstmConfig.quadratic());
    Tree phi = lstm.init(42);
    assertEquals("21×80", phi.tensor("lstm0/w").shape());
    assertEquals("40×80", phi.tensor("lstm1/w").shape());
    assertEquals("20×1", phi.tensor("out/w").shape());
    assertEquals(0.0, phi.tensor("out/b").item());
    assertTrue(phi.tensor("lstm0/w").maxAbs() <= 2 / Math.sqrt(21), "truncated at two standard deviations");
    assertEquals(5061, phi.size());
    assertTrue(GradCheck.maxError(phi, lstm.init(42)) == 0, "the same seed gives the same φ");
  }
}
