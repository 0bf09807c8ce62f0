package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import org.junit.jupiter.api.Test;

/**
 * Fixed-point iteration Y g: iteration 0 is meta-training with the first optimizer, iteration k
 * is meta-training with g(φₖ₋₁); the distances it reports are those of the φ's it returns; a
 * learned optimizer that diverges as a meta-optimizer ends the sequence with a diverged outcome.
 */
class FixedPointTest {
  static final CoordinatewiseLstm G = Fixtures.SCALE_FREE;
  static final MetaTraining.Plan PLAN = Fixtures.plan(8, 4);
  static final Optimizer FIRST = Optimizers.adam(0.03);
  static final SelfApplication.Settings WARM = SelfApplication.Settings.defaults().withMetaScale(0.1);
  static final ArrayList<SelfApplication.Iteration> SEEN = new ArrayList<>();
  static final SelfApplication.FixedPoint RUN = SelfApplication.fixedPoint(Fixtures.meta(G, 4), FIRST, PLAN, 3, WARM, snapshot -> {},
      SEEN::add);

  static double[] flat(Tree t) {
    return t.flatten().toArray();
  }

  @Test
  void theReportedDistancesAreTheNormsOfTheDifferencesOfTheReturnedPhis() {
    assertEquals(4, RUN.iterations().size(), RUN.describe());
    assertTrue(RUN.divergence().isEmpty(), RUN.describe());
    assertTrue(Double.isNaN(RUN.iterations().head().distance()));
    for (int k = 1; k < 4; k++) {
      SelfApplication.Iteration it = RUN.iterations().get(k), before = RUN.iterations().get(k - 1);
      double d = 0, n = 0;
      double[] a = flat(it.phi()), b = flat(before.phi());
      for (int i = 0; i < a.length; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        n += b[i] * b[i];
      }
      assertEquals(Math.sqrt(d), it.distance(), 1e-12 * Math.sqrt(d));
      assertEquals(Math.sqrt(d / n), it.relativeDistance(), 1e-12);
      assertEquals(it.relativeDistance() < WARM.tolerance(), it.settled());
      assertEquals(k, it.k());
    }
    assertEquals(RUN.iterations().toJavaList(), SEEN, "each iteration is handed out when done");
  }

  @Test
  void eachIterationReportsTheHeldOutLossOfItsPhi() {
    for (SelfApplication.Iteration it : RUN.iterations()) {
      assertEquals(it.trained().bestEvaluation(), it.validationLoss(), 0.0);
      assertEquals(MetaTraining.validationLoss(Fixtures.meta(G, 4), it.phi(), PLAN.evaluationTasks()), it.validationLoss(),
          0.0);
      assertTrue(it.validationLoss() < it.validationStart(), it.describe());
      assertEquals(it.trained().meanMetaLoss(2), it.meanMetaLoss(), 0.0, "the last quarter of 8 epochs");
    }
  }

  @Test
  void iterationZeroIsMetaTrainingWithTheFirstOptimizerAndIterationKIsMetaTrainingWithGOfPhiKMinus1() {
    MetaTask meta = Fixtures.meta(G, 4);
    Tree phi0 = MetaTraining.run(meta, FIRST, PLAN).best();
    assertArrayEquals(flat(phi0), flat(RUN.iterations().head().phi()), 0.0);
    for (int k = 1; k < 4; k++) {
      Tree previous = RUN.iterations().get(k - 1).phi();
      Optimizer gk = SelfApplication.scaled(G, previous, 0.1);
      Tree expected = MetaTraining.resume(meta, gk, PLAN, MetaTraining.start(previous, gk)).best();
      assertArrayEquals(flat(expected), flat(RUN.iterations().get(k).phi()), 0.0, "warm start: iteration " + k);
    }
  }

  @Test
  void withFreshStartsEveryIterationStartsFromTheSamePhi0AndTheRunIsDeterministic() {
    SelfApplication.Settings fresh = WARM.starting(SelfApplication.Start.FRESH);
    SelfApplication.FixedPoint a = SelfApplication.fixedPoint(Fixtures.meta(G, 4), FIRST, PLAN, 1, fresh, s -> {}, i -> {});
    SelfApplication.FixedPoint b = SelfApplication.fixedPoint(Fixtures.meta(G, 4), FIRST, PLAN, 1, fresh, s -> {}, i -> {});
    assertArrayEquals(flat(a.iterations().last().phi()), flat(b.iterations().last().phi()), 0.0);
    Optimizer g0 = SelfApplication.scaled(G, a.iterations().head().phi(), 0.1);
    Tree expected = MetaTraining.run(Fixtures.meta(G, 4), g0, PLAN).best();
    assertArrayEquals(flat(expected), flat(a.iterations().last().phi()), 0.0);
  }

  @Test
  void aToleranceAboveEveryRelativeDistanceSettlesEveryIterationAfterTheFirst() {
    SelfApplication.FixedPoint loose = SelfApplication.fixedPoint(Fixtures.meta(G, 4), FIRST, PLAN, 3,
        WARM.withTolerance(1e9), s -> {}, i -> {});
    assertFalse(loose.iterations().head().settled());
    assertTrue(loose.iterations().tail().forAll(SelfApplication.Iteration::settled));
    assertTrue(loose.settled());
    assertTrue(loose.describe().endsWith("fixed point: settled (relative change < 1.0E9)"), loose.describe());
  }

  @Test
  void aLearnedOptimizerThatDivergesAsMetaOptimizerEndsTheSequenceWithADivergedIteration() {
    SelfApplication.FixedPoint r = SelfApplication.fixedPoint(Fixtures.meta(G, 4), FIRST, PLAN, 5,
        WARM.withMetaScale(1e150), s -> {}, i -> {});
    assertEquals(2, r.iterations().size(), r.describe());
    SelfApplication.Iteration bad = r.iterations().last();
    assertTrue(bad.diverged() && !bad.settled());
    assertEquals(1, r.divergence().get().k());
    assertTrue(bad.divergence().get().startsWith("iteration 1"), bad.divergence().get());
    assertEquals(0, r.lastGood().get().k());
    assertFalse(r.settled());
    assertTrue(r.describe().contains("diverged at iteration 1"), r.describe());
  }
}
