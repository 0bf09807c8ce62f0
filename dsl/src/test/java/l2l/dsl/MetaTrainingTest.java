package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.problems.Quadratic;
import org.junit.jupiter.api.Test;

/** Meta-training: resumption, determinism, model selection, divergence. */
class MetaTrainingTest {
  static final Quadratic SMALL = new Quadratic(8, 5, 0.01, Quadratic.Distribution.UNIFORM);
  static final CoordinatewiseLstm LSTM = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(6, 6));

  private static MetaTask meta(long seed) {
    return Fixtures.task(LSTM, SMALL, 20, 5, MetaGradient.FIRST_ORDER, seed);
  }

  @Test
  void aResumedRunEndsExactlyWhereAnUninterruptedRunEnds() {
    MetaTraining.Plan plan = new MetaTraining.Plan(6, 2, 3, 10);
    MetaTraining.Snapshot whole = MetaTraining.run(meta(7), Optimizers.adam(0.01), plan);
    MetaTraining.Snapshot cut = MetaTraining.run(meta(7), Optimizers.adam(0.01), new MetaTraining.Plan(3, 2, 3, 10));
    assertEquals(3, cut.nextEpoch());
    MetaTraining.Snapshot resumed = MetaTraining.resume(meta(7), Optimizers.adam(0.01), plan, cut);
    assertArrayEquals(whole.phi().flatten().toArray(), resumed.phi().flatten().toArray());
    assertArrayEquals(whole.best().flatten().toArray(), resumed.best().flatten().toArray());
    assertEquals(whole.history().map(MetaTraining.EpochReport::finalLoss), resumed.history()
        .map(MetaTraining.EpochReport::finalLoss));
  }

  @Test
  void runsWithEvolutionStrategiesResumeToTheSameBits() {
    for (MetaGradient m : new MetaGradient[] {new MetaGradient.Es(0.01, 2), new MetaGradient.Pes(0.01, 2),
        MetaGradient.FULL}) {
      MetaTask t = meta(8).withMetaGradient(m);
      MetaTraining.Plan plan = new MetaTraining.Plan(4, 2, 2, 10);
      MetaTraining.Snapshot whole = MetaTraining.run(t, Optimizers.adam(0.01), plan);
      MetaTraining.Snapshot cut = MetaTraining.run(t, Optimizers.adam(0.01), plan.withEpochs(2));
      MetaTraining.Snapshot resumed = MetaTraining.resume(t, Optimizers.adam(0.01), plan, cut);
      assertArrayEquals(whole.phi().flatten().toArray(), resumed.phi().flatten().toArray(), 0.0, m.label());
      assertTrue(!java.util.Arrays.equals(whole.phi().flatten().toArray(), t.init().flatten().toArray()),
          m.label() + " moves φ");
    }
  }

  @Test
  void theMetaGradientNormIsTheMeanNormOfTheEpochsMetaGradients() {
    MetaTask t = meta(4);
    MetaTraining.Plan plan = new MetaTraining.Plan(2, 5, 2, 10);
    MetaTraining.Snapshot s = MetaTraining.run(t, Optimizers.sgd(0), plan);  // φ stays φ₀
    for (int e = 0; e < 2; e++) {
      MetaTask.State st = t.startOfEpoch(e);
      double sum = 0;
      for (int k = 0; k < t.truncationsPerEpoch(); k++) {
        Objective.Step<MetaTask.State> r = t.step(t.init(), st, k);
        sum += r.grad().norm().item();
        st = r.next();
      }
      assertEquals(sum / t.truncationsPerEpoch(), s.history().get(e).metaGradNorm(), 1e-12 * sum, "epoch " + e);
    }
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnotherRun() {
    MetaTraining.Plan plan = new MetaTraining.Plan(3, 3, 2, 10);
    Tree a = MetaTraining.run(meta(1), Optimizers.adam(0.01), plan).phi();
    Tree b = MetaTraining.run(meta(1), Optimizers.adam(0.01), plan).phi();
    Tree c = MetaTraining.run(meta(2), Optimizers.adam(0.01), plan).phi();
    assertArrayEquals(a.flatten().toArray(), b.flatten().toArray());
    assertTrue(!java.util.Arrays.equals(a.flatten().toArray(), c.flatten().toArray()));
  }

  @Test
  void theBestPhiIsTheOneWithTheLowestHeldOutLoss() {
    MetaTraining.Snapshot s = MetaTraining.run(meta(3), Optimizers.adam(0.03), new MetaTraining.Plan(8, 2, 4, 10));
    java.util.List<MetaTraining.EpochReport> reports = s.history().toJavaList();
    double min = reports.stream().filter(MetaTraining.EpochReport::evaluated)
        .mapToDouble(MetaTraining.EpochReport::evaluation).min().orElseThrow();
    assertEquals(min, s.bestEvaluation());
    assertEquals(4, reports.stream().filter(MetaTraining.EpochReport::evaluated).count());
    assertEquals(min, MetaTraining.validationLoss(meta(3), s.best(), 4), 0.0, "the kept φ reproduces its score");
  }

  @Test
  void aPlanValidatingOnAnotherProblemKeepsThePhiWithTheLowestLossOnThatProblemAndTrainsTheSamePhi() {
    Quadratic other = new Quadratic(8, 3, 0.01, Quadratic.Distribution.GAUSSIAN);
    MetaTraining.Plan own = new MetaTraining.Plan(8, 2, 4, 10);
    MetaTraining.Plan plan = own.validatingOn(other);
    MetaTraining.Snapshot s = MetaTraining.run(meta(3), Optimizers.adam(0.03), plan);
    MetaTraining.Snapshot t = MetaTraining.run(meta(3), Optimizers.adam(0.03), own);
    assertArrayEquals(t.phi().flatten().toArray(), s.phi().flatten().toArray(), 0.0, "validation does not touch φ");
    double min = s.history().filter(MetaTraining.EpochReport::evaluated).map(MetaTraining.EpochReport::evaluation)
        .min().get();
    assertEquals(min, s.bestEvaluation());
    assertEquals(min, MetaTraining.validationLoss(meta(3).withProblem(other), s.best(), 4), 0.0,
        "the kept φ reproduces its score on the validation problem");
    assertTrue(!s.history().map(MetaTraining.EpochReport::evaluation).equals(
        t.history().map(MetaTraining.EpochReport::evaluation)), "scores differ from the training problem's");
  }

  @Test
  void withAnAveragingMetaOptimizerTheAverageOfPhiIsWhatIsValidatedAndKeptAndARunResumesToItsBits() {
    Optimizer averaged = Transforms.averaged(Optimizers.adam(0.03), 0.9);
    MetaTraining.Plan plan = new MetaTraining.Plan(6, 6, 3, 10);
    MetaTraining.Snapshot s = MetaTraining.run(meta(3), averaged, plan);
    Tree average = Transforms.averageOf(s.metaOptState()).get();
    assertArrayEquals(average.flatten().toArray(), s.best().flatten().toArray(), 0.0, "the kept φ is the average");
    assertTrue(!java.util.Arrays.equals(average.flatten().toArray(), s.phi().flatten().toArray()));
    assertEquals(MetaTraining.validationLoss(meta(3), average, 3), s.bestEvaluation(), 0.0);
    MetaTraining.Snapshot plain = MetaTraining.run(meta(3), Optimizers.adam(0.03), plan);
    assertArrayEquals(plain.phi().flatten().toArray(), s.phi().flatten().toArray(), 0.0, "φ itself moves as without");
    MetaTraining.Snapshot resumed = MetaTraining.resume(meta(3), averaged, plan,
        MetaTraining.run(meta(3), averaged, plan.withEpochs(4)));
    assertArrayEquals(average.flatten().toArray(),
        Transforms.averageOf(resumed.metaOptState()).get().flatten().toArray(), 0.0, "the average resumes exactly");
  }

  @Test
  void aCurriculumTrainsItsEpochsWithTheStagesHorizonsAsRunningTheStagesOneAfterAnotherAndResumesMidStage() {
    MetaTraining.Plan plan = new MetaTraining.Plan(6, 3, 2, 10).withCurriculum(
        io.vavr.collection.List.of(new MetaTraining.Stage(5, 2), new MetaTraining.Stage(10, 4)));
    MetaTraining.Snapshot whole = MetaTraining.run(meta(5), Optimizers.adam(0.01), plan);
    MetaTraining.Snapshot s = MetaTraining.run(meta(5).withHorizon(5), Optimizers.adam(0.01), plan.withCurriculum(
        io.vavr.collection.List.empty()).withEpochs(2));
    s = MetaTraining.resume(meta(5).withHorizon(10), Optimizers.adam(0.01), plan.withCurriculum(
        io.vavr.collection.List.empty()).withEpochs(4), s);
    s = MetaTraining.resume(meta(5), Optimizers.adam(0.01), plan.withCurriculum(io.vavr.collection.List.empty()), s);
    assertArrayEquals(s.phi().flatten().toArray(), whole.phi().flatten().toArray(), 0.0, "the stages run by hand");
    MetaTraining.Snapshot cut = MetaTraining.run(meta(5), Optimizers.adam(0.01), plan.withEpochs(3));
    MetaTraining.Snapshot resumed = MetaTraining.resume(meta(5), Optimizers.adam(0.01), plan, cut);
    assertArrayEquals(whole.phi().flatten().toArray(), resumed.phi().flatten().toArray(), 0.0);
    assertEquals(MetaTraining.validationLoss(meta(5), whole.best(), 2), whole.bestEvaluation(), 0.0,
        "validation uses the task's own horizon");
    assertThrows(IllegalArgumentException.class, () -> MetaTraining.run(meta(5), Optimizers.adam(0.01),
        plan.withCurriculum(io.vavr.collection.List.of(new MetaTraining.Stage(3, 2)))), "a stage shorter than the unroll");
  }

  @Test
  void aDivergingRunStopsWithAClearErrorAndKeepsAFinitePhi() {
    // a huge output scale makes the optimizee overflow at once
    MetaTask m = Fixtures.task(CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(4).withScale(1e200)),
        SMALL, 20, 5, MetaGradient.FIRST_ORDER, 5);
    MetaTraining.DivergedException e = assertThrows(MetaTraining.DivergedException.class,
        () -> MetaTraining.run(m, Optimizers.adam(10), new MetaTraining.Plan(50, 10, 2, 3)));
    assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("epoch"), e.getMessage());
    assertTrue(e.lastGood().phi().allFinite());
  }

  @Test
  void anUnrollLongerThanTheHorizonIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Fixtures.task(LSTM, SMALL, 10, 20, MetaGradient.FIRST_ORDER, 0));
    assertTrue(e.getMessage().contains("unroll (20 steps)") && e.getMessage().contains("horizon (10 steps)"),
        e.getMessage());
  }
}
