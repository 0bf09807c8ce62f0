package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.Tree;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.MetaGradient;
import org.junit.jupiter.api.Test;

/** The meta-training expression: it is MetaTraining over a MetaTask, immutable, resumable. */
class L2lTest {
  static final L2l EXPR = L2l.learn(Fixtures.RAW).on(Fixtures.TINY).horizon(20).unroll(5)
      .metaGradient(MetaGradient.FIRST_ORDER).metaOptimizer(Optimizers.adam(0.01)).epochs(4).evaluateEvery(2)
      .evaluationTasks(3).seed(7);

  static double[] flat(Tree t) {
    return t.flatten().toArray();
  }

  @Test
  void theExpressionTrainsExactlyAsMetaTrainingOfTheSameMetaTask() {
    Trained t = EXPR.train();
    MetaTraining.Snapshot s = MetaTraining.run(Fixtures.task(Fixtures.RAW, Fixtures.TINY, 20, 5,
        MetaGradient.FIRST_ORDER, 7), Optimizers.adam(0.01), new MetaTraining.Plan(4, 2, 3, 10));
    assertArrayEquals(flat(s.phi()), flat(t.last()), 0.0);
    assertArrayEquals(flat(s.best()), flat(t.best()), 0.0);
    assertEquals(s.bestEvaluation(), t.bestEvaluation());
    assertEquals(t.bestEvaluation(), t.validationLoss(3), 0.0);
    assertArrayEquals(flat(Fixtures.RAW.apply(t.best()).update(t.best().zerosLike(), Fixtures.RAW.apply(t.best())
        .init(t.best()), t.best()).updates()), flat(t.optimizer().update(t.best().zerosLike(), t.optimizer()
        .init(t.best()), t.best()).updates()), 0.0, "optimizer() is g at the best φ");
  }

  @Test
  void validatingOnAnotherProblemTrainsTheSamePhiAndScoresTheKeptOneOnThatProblem() {
    l2l.problems.Problem other = l2l.problems.Problems.parse("quadratic-gaussian:batch=8,dim=3");
    L2l validated = EXPR.validateOn(other);
    Trained t = validated.train();
    assertArrayEquals(flat(EXPR.train().last()), flat(t.last()), 0.0);
    assertEquals(t.bestEvaluation(), MetaTraining.validationLoss(validated.plan().validationTask(t.task()), t.best(), 3),
        0.0);
    assertEquals(other, validated.plan().validation().get());
  }

  @Test
  void everyStepOfTheExpressionIsANewValueAndLeavesTheOldOneAsItWas() {
    L2l longer = EXPR.epochs(10);
    assertEquals(4, EXPR.plan().epochs());
    assertEquals(10, longer.plan().epochs());
    assertEquals(2, longer.plan().evaluateEvery());
    L2l other = EXPR.metaOptimizer(Optimizers.sgd(0.1));
    assertTrue(EXPR.metaOptimizer().describe().startsWith("adam"));
    assertTrue(other.metaOptimizer().describe().startsWith("sgd"));
    assertEquals(20, EXPR.task().horizon());
    assertEquals(7, EXPR.task().seed());
    assertTrue(EXPR.toString().contains("horizon 20") && EXPR.toString().contains("unroll 5"), EXPR.toString());
  }

  @Test
  void theSnapshotsAreOnePerEpochAndAResumedRunEndsWhereTheWholeRunEnds() {
    java.util.List<MetaTraining.Snapshot> snaps = EXPR.snapshots().toJavaList();
    assertEquals(4, snaps.size());
    Trained whole = EXPR.train();
    assertArrayEquals(flat(snaps.get(3).phi()), flat(whole.last()), 0.0, "the last snapshot is the trained run");
    Trained resumed = EXPR.resume(snaps.get(1));
    assertArrayEquals(flat(whole.last()), flat(resumed.last()), 0.0);
    assertEquals(whole.history().map(L2lTest::withoutTime), resumed.history().map(L2lTest::withoutTime),
        "the same reports, but for the time taken");
  }

  static String withoutTime(MetaTraining.EpochReport r) {
    return r.epoch() + " " + r.finalLoss() + " " + r.metaLoss() + " " + r.nonFinite() + " " + r.evaluation() + " "
        + r.best();
  }

  @Test
  void startingFromAPhiStartsThereAndZeroEpochsReturnIt() {
    Tree phi = Fixtures.RAW.init(99);
    Trained t = EXPR.epochs(0).startingFrom(phi).train();
    assertArrayEquals(flat(phi), flat(t.last()), 0.0);
    assertEquals(0, t.epochs());
    assertThrows(IllegalArgumentException.class, () -> EXPR.startingFrom(Fixtures.SCALE_FREE.init(1).without("out")));
  }

  @Test
  void impossibleSettingsAreRefusedNamingWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EXPR.horizon(0));
    assertTrue(e.getMessage().contains("horizon"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EXPR.unroll(21));
    assertTrue(e.getMessage().contains("unroll (21 steps)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> EXPR.precision(l2l.optimizers.learned.Precision.FLOAT32).metaGradient(MetaGradient.FIRST_ORDER)
            .task().withLearned(Fixtures.RAW.generalEngineOnly()));
    assertTrue(e.getMessage().contains("no float32 engine"), e.getMessage());
  }
}
