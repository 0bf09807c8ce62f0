package l2l.optimizers;

import static l2l.optimizers.Transforms.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.junit.jupiter.api.Test;

/** What each building block and combinator does, on hand-computed examples. */
class TransformTest {
  private static final double TIGHT = 1e-12;
  private static final Tree THETA = Tree.of("w", Tensor.row(1, -2), "b", Tensor.scalar(3));

  private static Tree grads(double w0, double w1, double b) {
    return Tree.of("w", Tensor.row(w0, w1), "b", Tensor.scalar(b));
  }

  private static Optimizer.Update step(Optimizer opt, Tree g) {
    return opt.update(g, opt.init(THETA), THETA);
  }

  private static void assertTree(Tree expected, Tree actual) {
    assertTrue(Runs.error(expected, actual) < TIGHT, "expected " + expected.toMap() + ", got " + actual.toMap());
  }

  @Test
  void identityReturnsTheGradients() {
    Tree g = grads(1, 2, 3);
    assertTrue(Runs.identical(g, step(Transforms.identity(), g).updates()));
  }

  @Test
  void scaleMultipliesEveryCoordinate() {
    assertTree(grads(-0.5, -1, -1.5), step(Transforms.scale(-0.5), grads(1, 2, 3)).updates());
  }

  @Test
  void scaleBySignKeepsOnlySigns() {
    assertTree(grads(1, -1, 0), step(Transforms.scaleBySign(), grads(0.3, -7, 0)).updates());
  }

  @Test
  void clipClampsEachCoordinate() {
    assertTree(grads(0.5, -0.5, 0.2), step(Transforms.clip(0.5), grads(3, -7, 0.2)).updates());
  }

  @Test
  void clipByGlobalNormRescalesAllLeavesTogether() {
    // ‖(3, 4, 0)‖ = 5 → scaled by 1/5 to norm 1; below the bound nothing changes
    assertTree(grads(0.6, 0.8, 0), step(Transforms.clipByGlobalNorm(1), grads(3, 4, 0)).updates());
    assertTree(grads(3, 4, 0), step(Transforms.clipByGlobalNorm(10), grads(3, 4, 0)).updates());
  }

  @Test
  void addDecayedWeightsAddsDecayTimesParams() {
    assertTree(grads(1 + 0.1, 1 - 0.2, 1 + 0.3), step(Transforms.addDecayedWeights(0.1), grads(1, 1, 1)).updates());
  }

  @Test
  void traceKeepsARunningSumDecayedByBeta() {
    Runs.Trajectory r = Runs.run(Transforms.trace(0.5, false), Runs.scalar(0), (th, t) -> Runs.scalar(1), 3);
    assertEquals(1, Runs.x(r.updates().get(0)), TIGHT);
    assertEquals(1.5, Runs.x(r.updates().get(1)), TIGHT);
    assertEquals(1.75, Runs.x(r.updates().get(2)), TIGHT);
    assertEquals(1.75, r.states().last().tensor("trace/x").item(), TIGHT);
    Runs.Trajectory n = Runs.run(Transforms.trace(0.5, true), Runs.scalar(0), (th, t) -> Runs.scalar(1), 2);
    assertEquals(1.5, Runs.x(n.updates().get(0)), TIGHT);
    assertEquals(1.75, Runs.x(n.updates().get(1)), TIGHT);
  }

  @Test
  void scaleByScheduleUsesTheScheduleAtTheStepCountFromZero() {
    Schedule s = Schedules.piecewiseConstant(-1, LinkedHashMap.of(1L, 0.5, 2L, 0.5));
    Runs.Trajectory r = Runs.run(Transforms.scaleBySchedule(s), Runs.scalar(0), (th, t) -> Runs.scalar(2), 3);
    assertEquals(List.of(-2.0, -1.0, -0.5), r.updates().map(Runs::x));
    assertEquals(3.0, r.states().last().tensor("count").item());
  }

  @Test
  void scaleByRssStartsFromTheInitialAccumulator() {
    Optimizer.Update u = Transforms.scaleByRss(1, 0).update(Runs.scalar(2), Transforms.scaleByRss(1, 0)
        .init(Runs.scalar(0)), Runs.scalar(0));
    assertEquals(2 / Math.sqrt(5), Runs.x(u.updates()), TIGHT);
  }

  @Test
  void partitionAppliesEachLabelsRuleToItsLeaves() {
    Optimizer p = Transforms.partition(path -> path.equals("b") ? "bias" : "weights",
        LinkedHashMap.of("weights", Optimizers.sgd(0.1), "bias", Transforms.scale(0)));
    Optimizer.Update u = step(p, grads(1, 2, 3));
    assertTree(grads(-0.1, -0.2, 0), u.updates());
    assertEquals(List.of("weights", "bias"), u.state().names());
  }

  @Test
  void partitionByNestedPathsKeepsTheNesting() {
    Tree theta = Tree.empty().with("conv", Tree.of("w", Tensor.row(1, 2), "b", Tensor.scalar(1)))
        .with("fc", Tree.of("w", Tensor.row(1, 2, 3)));
    Optimizer p = Transforms.partition(path -> path.startsWith("conv/") ? "conv" : "rest",
        LinkedHashMap.of("conv", Optimizers.adam(0.1), "rest", Optimizers.sgd(1)));
    Tree state = p.init(theta);
    assertTrue(state.get("conv").get("0").get("mu").sameStructure(theta.without("fc")));
    Tree g = theta.map(x -> x.mul(2));
    Optimizer.Update u = p.update(g, state, theta);
    assertTree(g.get("fc").times(-1), u.updates().get("fc"));
    assertTree(Optimizers.adam(0.1).update(g.without("fc"), Optimizers.adam(0.1).init(theta.without("fc")),
        theta.without("fc")).updates(), u.updates().without("fc"));
  }

  @Test
  void partitionTakesAMapOfLabelsByPath() {
    Optimizer p = Transforms.partition(LinkedHashMap.of("w", "slow", "b", "fast"),
        LinkedHashMap.of("slow", Optimizers.sgd(0.1), "fast", Optimizers.sgd(1)));
    assertTree(grads(-0.1, -0.2, -3), step(p, grads(1, 2, 3)).updates());
  }

  @Test
  void maskedLeavesTheOtherLeavesUnchanged() {
    Optimizer m = Transforms.masked(path -> path.equals("w"), Transforms.scale(10));
    assertTree(grads(10, 20, 3), step(m, grads(1, 2, 3)).updates());
  }

  @Test
  void injectHyperparamsKeepsTheValuesInTheStateAndFollowsSchedules() {
    Optimizer opt = Transforms.injectHyperparams(h -> Optimizers.momentum(h.get("lr"), h.get("beta")),
        LinkedHashMap.of("lr", Schedules.linear(0.3, 0.1, 2), "beta", Schedules.constant(0.5)));
    Tree state = opt.init(Runs.scalar(0));
    assertEquals(0.3, state.tensor("hyperparams/lr").item(), TIGHT);
    assertEquals(0.5, state.tensor("hyperparams/beta").item(), TIGHT);
    Runs.Trajectory r = Runs.run(opt, Runs.scalar(0), (th, t) -> Runs.scalar(1), 3);
    // lr 0.3, 0.2, 0.1; traces 1, 1.5, 1.75
    assertEquals(List.of(-0.3, -0.3, -0.175), r.updates().map(u -> Math.round(Runs.x(u) * 1e12) / 1e12));
    assertEquals(0.1, r.states().last().tensor("hyperparams/lr").item(), TIGHT);
    // a constant hyperparameter is read from the state, so it can be changed there
    Tree changed = state.with("hyperparams", state.get("hyperparams").with("beta", Tensor.scalar(0)));
    Optimizer.Update u1 = opt.update(Runs.scalar(1), changed, Runs.scalar(0));
    Optimizer.Update u2 = opt.update(Runs.scalar(1), u1.state(), Runs.scalar(0));
    assertEquals(-0.2, Runs.x(u2.updates()), TIGHT); // trace 1 (beta 0), lr 0.2
  }

  @Test
  void applyIfFiniteCountsSkippedStepsAndResetsTheConsecutiveCount() {
    Optimizer opt = Transforms.applyIfFinite(Optimizers.sgd(1));
    double[] gs = {1, Double.NaN, Double.POSITIVE_INFINITY, 2};
    Runs.Trajectory r = Runs.run(opt, Runs.scalar(0), (th, t) -> Runs.scalar(gs[t]), 4);
    assertEquals(List.of(-1.0, 0.0, 0.0, -2.0), r.updates().map(Runs::x));
    assertEquals(List.of(0.0, 0.0, 1.0, 2.0, 0.0), r.states().map(s -> s.tensor("notFinite").item()));
    assertEquals(2.0, r.states().last().tensor("totalNotFinite").item());
  }

  @Test
  void multiStepsAccumulatesAndAppliesTheMeanEveryKSteps() {
    Runs.Trajectory r = Runs.run(Transforms.multiSteps(Optimizers.sgd(1), 3), Runs.scalar(0),
        (th, t) -> Runs.scalar(t + 1), 6);
    assertEquals(List.of(0.0, 0.0, -2.0, 0.0, 0.0, -5.0), r.updates().map(Runs::x));
  }

  @Test
  void hypergradientRaisesTheRateWhileStepsAgreeAndLowersItWhileTheyAlternate() {
    // f = θ²/2 from θ = 1: SGD at 0.5 undershoots (every gradient points along the last step, cos = −1),
    // at 1.8 it overshoots (every gradient points back, cos = +1); the first step has no last step
    Runs.Trajectory short_ = Runs.run(Transforms.hypergradient(Optimizers.sgd(0.5), 0.1), Runs.scalar(1), (th, t) -> th, 4);
    assertEquals(List.of(0.0, 0.1, 0.2, 0.3), short_.states().tail().map(s -> s.tensor("loglr").item()).map(TransformTest::r6));
    assertEquals(-0.5 * Math.exp(0.1) * 0.5, Runs.x(short_.updates().get(1)), TIGHT);
    Runs.Trajectory long_ = Runs.run(Transforms.hypergradient(Optimizers.sgd(1.8), 0.1), Runs.scalar(1), (th, t) -> th, 4);
    assertEquals(List.of(0.0, -0.1, -0.2, -0.3), long_.states().tail().map(s -> s.tensor("loglr").item()).map(TransformTest::r6));
    Runs.Trajectory fixed = Runs.run(Transforms.hypergradient(Optimizers.adam(0.1), 0), Runs.scalar(1), (th, t) -> th, 4);
    assertEquals(Runs.run(Optimizers.adam(0.1), Runs.scalar(1), (th, t) -> th, 4).updates().map(Runs::x),
        fixed.updates().map(Runs::x), "β = 0 is the rule itself");
  }

  private static double r6(double x) {
    return Math.round(x * 1e6) / 1e6;
  }

  @Test
  void lookaheadPullsTheSlowWeightsTowardsTheFastOnesEverySyncPeriod() {
    Runs.Trajectory r = Runs.run(Transforms.lookahead(Optimizers.sgd(1), 2, 0.5), Runs.scalar(0),
        (th, t) -> Runs.scalar(-1), 4);
    // fast: 0 → 1 → 2, sync: slow = 0 + 0.5·(2 − 0) = 1, θ = 1 → 2 → 3, sync: slow = 1 + 0.5·(3 − 1) = 2
    assertEquals(List.of(0.0, 1.0, 1.0, 2.0, 2.0), r.params().map(Runs::x));
    assertEquals(2.0, r.states().last().tensor("slow/x").item(), TIGHT);
  }

  @Test
  void chainAppliesItsPartsInOrder() {
    Optimizer c = chain(Transforms.clip(1), Transforms.scale(-0.5));
    assertTree(grads(-0.5, 0.5, -0.1), step(c, grads(3, -3, 0.2)).updates());
    Optimizer d = chain(Transforms.scale(-0.5), Transforms.clip(1));
    assertTree(grads(-1, 1, -0.1), step(d, grads(3, -3, 0.2)).updates());
  }

  @Test
  void everyRuleDescribesItsHyperparameters() {
    assertEquals("chain(clipByGlobalNorm(1), scaleByAdam(b1=0.9, b2=0.999, eps=1e-8), scale(-0.001))",
        chain(Transforms.clipByGlobalNorm(1), Transforms.scaleByAdam(), Transforms.scale(-1e-3)).toString());
    assertEquals("trace(decay=0.9, nesterov)", Transforms.trace(0.9, true).toString());
    assertEquals("scaleByRprop(initialStep=0.01, etas=(0.5, 1.2), stepSizes=(1e-6, 50))",
        Transforms.scaleByRprop(0.01).toString());
    assertEquals("scaleBySchedule(cosineDecay(init=-0.1, decaySteps=100, alpha=0))",
        Transforms.scaleBySchedule(Schedules.cosineDecay(-0.1, 100)).toString());
    assertEquals("partition(conv: adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-8), rest: sgd(lr=0.1))",
        Transforms.partition(p -> "rest", LinkedHashMap.of("conv", Optimizers.adam(), "rest", Optimizers.sgd(0.1)))
            .toString());
    assertEquals("injectHyperparams(lr=linear(init=0.1, end=0, steps=10); sgd(lr=0.1))",
        Transforms.injectHyperparams(h -> Optimizers.sgd(h.get("lr")), LinkedHashMap.of("lr",
            Schedules.linear(0.1, 0, 10))).toString());
    assertEquals("applyIfFinite(multiSteps(every=4, lookahead(syncPeriod=5, alpha=0.5, sgd(lr=0.1))))",
        Transforms.applyIfFinite(Transforms.multiSteps(Transforms.lookahead(Optimizers.sgd(0.1), 5, 0.5), 4))
            .toString());
    String[] traced = new String[1];
    l2l.autodiff.Autodiff.grad((Tensor x) -> {
      traced[0] = Transforms.scale(x).toString();
      return x;
    }).apply(Tensor.scalar(2));
    assertEquals("scale(2 (traced))", traced[0]);
  }

  @Test
  void applyIfFiniteSkipsAClippedStepWhoseGradientHeldANaN() {
    Optimizer safe = Transforms.applyIfFinite(chain(Transforms.clip(1), Optimizers.sgd(0.1)));
    Tree theta = Tree.of("w", Tensor.row(1, 2));
    Optimizer.Update u = safe.update(Tree.of("w", Tensor.row(Double.NaN, 0.5)), safe.init(theta), theta);
    assertTrue(u.updates().tensor("w").allClose(Tensor.row(0, 0), 0, 0), u.updates()::toString);
    assertEquals(1.0, u.state().tensor("notFinite").item());
  }
}
