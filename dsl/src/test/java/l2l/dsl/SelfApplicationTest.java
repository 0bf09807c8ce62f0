package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import org.junit.jupiter.api.Test;

/**
 * Self-application runs through the same {@link MetaTraining} code path as training with Adam,
 * only the meta-optimizer differs; it is deterministic; the self-referential rule is g at the
 * parameters it updates; a learned optimizer that diverges as a meta-optimizer says so.
 */
class SelfApplicationTest {
  static final CoordinatewiseLstm G = Fixtures.SCALE_FREE;
  static final MetaTraining.Plan PLAN = Fixtures.plan(6, 3);
  /** φ* = g trained by Adam for 15 epochs on the tiny quadratic. */
  static final Tree PHI_STAR = MetaTraining.run(Fixtures.meta(G, 1), Optimizers.adam(0.03), Fixtures.plan(15, 5)).best();

  static double[] flat(Tree t) {
    return t.flatten().toArray();
  }

  @Test
  void selfTrainingIsMetaTrainingWithTheTrainedOptimizerAsMetaOptimizer() {
    Trained self = SelfApplication.selfTrain(Fixtures.meta(G, 2), G, PHI_STAR, PLAN);
    MetaTraining.Snapshot direct = MetaTraining.run(Fixtures.meta(G, 2), G.apply(PHI_STAR), PLAN);
    Trained expression = L2l.learn(G).on(Fixtures.TINY).horizon(20).unroll(5).plan(PLAN).seed(2)
        .metaOptimizer(G.apply(PHI_STAR)).train();
    assertArrayEquals(flat(direct.phi()), flat(self.last()), 0.0);
    assertArrayEquals(flat(direct.best()), flat(self.best()), 0.0);
    assertArrayEquals(flat(direct.phi()), flat(expression.last()), 0.0);
    assertEquals(direct.history().map(MetaTraining.EpochReport::metaLoss), self.history().map(
        MetaTraining.EpochReport::metaLoss));
    assertFalse(Arrays.equals(flat(Fixtures.meta(G, 2).init()), flat(self.last())), "g(φ*) moved φ");
    assertEquals(6, self.epochs());
  }

  @Test
  void selfTrainingFromAGivenPhiStartsThere() {
    MetaTraining.Plan none = Fixtures.plan(0, 1);
    Trained t = SelfApplication.selfTrain(Fixtures.meta(G, 2), G, PHI_STAR, PHI_STAR, none);
    assertArrayEquals(flat(PHI_STAR), flat(t.last()), 0.0);
    Trained more = SelfApplication.selfTrain(Fixtures.meta(G, 2), G, PHI_STAR, PHI_STAR, PLAN);
    Trained fromInit = SelfApplication.selfTrain(Fixtures.meta(G, 2), G, PHI_STAR, PLAN);
    assertFalse(Arrays.equals(flat(more.last()), flat(fromInit.last())));
  }

  @Test
  void selfApplicationIsDeterministic() {
    Trained a = SelfApplication.selfTrain(Fixtures.meta(G, 3), G, PHI_STAR, PLAN);
    Trained b = SelfApplication.selfTrain(Fixtures.meta(G, 3), G, PHI_STAR, PLAN);
    assertArrayEquals(flat(a.last()), flat(b.last()), 0.0);
    Trained c = SelfApplication.selfReferentialTrain(Fixtures.meta(G, 3), PHI_STAR, PLAN);
    Trained d = SelfApplication.selfReferentialTrain(Fixtures.meta(G, 3), PHI_STAR, PLAN);
    assertArrayEquals(flat(c.last()), flat(d.last()), 0.0);
    assertArrayEquals(flat(c.best()), flat(d.best()), 0.0);
  }

  @Test
  void theSelfReferentialRuleIsGAtTheParametersItUpdates() {
    Optimizer self = SelfApplication.selfReferential(G);
    SplittableRandom r = new SplittableRandom(4);
    Tree grads = PHI_STAR.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Tree other = G.init(9);
    for (Tree phi : new Tree[] {PHI_STAR, other}) {
      Optimizer.Update u = self.update(grads, self.init(phi), phi);
      Optimizer.Update expected = G.apply(phi).update(grads, G.apply(phi).init(phi), phi);
      assertArrayEquals(flat(expected.updates()), flat(u.updates()), 0.0);
      assertArrayEquals(flat(expected.state()), flat(u.state()), 0.0);
    }
    Optimizer.Update half = SelfApplication.selfReferential(G, 0.5).update(grads, self.init(other), other);
    assertArrayEquals(flat(self.update(grads, self.init(other), other).updates().times(0.5)), flat(half.updates()), 1e-15);
  }

  @Test
  void selfReferentialTrainingUpdatesPhiWithGAtTheCurrentPhiAtEveryMetaStep() {
    MetaTask meta = Fixtures.meta(G, 5);
    Optimizer self = SelfApplication.selfReferential(G);
    Optimizer guarded = Transforms.applyIfFinite(self);
    Minimize.State<MetaTask.State> s0 = Minimize.minimize(meta, guarded, PHI_STAR, guarded.init(PHI_STAR),
        meta.start(), 0).head();
    Minimize.State<MetaTask.State> s1 = Minimize.minimize(meta, guarded, PHI_STAR, guarded.init(PHI_STAR),
        meta.start(), 0).get(1);
    Tree grad = s0.result().grad();
    Tree phi1 = PHI_STAR.plus(G.apply(PHI_STAR).update(grad, G.apply(PHI_STAR).init(PHI_STAR), PHI_STAR).updates());
    assertArrayEquals(flat(phi1), flat(s1.params()), 0.0, "φ₁ = φ₀ + g(φ₀)'s update");
    Minimize.State<MetaTask.State> s2 = Minimize.minimize(meta, guarded, PHI_STAR, guarded.init(PHI_STAR),
        meta.start(), 0).get(2);
    Optimizer.Update second = G.apply(phi1).update(s1.result().grad(),
        G.apply(PHI_STAR).update(grad, G.apply(PHI_STAR).init(PHI_STAR), PHI_STAR).state(), phi1);
    assertArrayEquals(flat(phi1.plus(second.updates())), flat(s2.params()), 0.0, "φ₂ = φ₁ + g(φ₁)'s update");

    Trained t = SelfApplication.selfReferentialTrain(meta, PHI_STAR, PLAN);
    Trained viaL2l = L2l.learn(G).on(Fixtures.TINY).horizon(20).unroll(5).plan(PLAN).seed(5).selfReferential()
        .startingFrom(PHI_STAR).train();
    assertArrayEquals(flat(t.last()), flat(viaL2l.last()), 0.0);
    assertEquals(6, t.history().size());
  }

  @Test
  void aLearnedOptimizerThatDivergesAsMetaOptimizerStopsWithAnErrorThatSaysWhere() {
    CoordinatewiseLstm huge = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(4).withScale(1e200)
        .withPreprocess(Preprocess.logAndSign(5)));
    MetaTraining.DivergedException e = assertThrows(MetaTraining.DivergedException.class,
        () -> SelfApplication.selfTrain(Fixtures.meta(G, 6), huge, huge.init(1), Fixtures.plan(30, 10)));
    assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    assertTrue(e.lastGood().phi().allFinite());
  }
}
