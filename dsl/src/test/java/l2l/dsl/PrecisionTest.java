package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.GradCheck;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.RowParallel;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Quadratic;
import org.junit.jupiter.api.Test;

/** Meta-training with the fast path in single precision: close to double, and deterministic. */
class PrecisionTest {
  /** 70 functions of 10 dimensions: 700 coordinates, two row blocks. */
  static final Quadratic TWO_BLOCKS = new Quadratic(70, 10, 0.01, Quadratic.Distribution.UNIFORM);

  @Test
  void float32TruncationsAgreeWithDoubleWithLogAndSignAndTheLogStepLoss() {
    MetaTask d = Fixtures.task(Fixtures.SCALE_FREE, TWO_BLOCKS, 20, 5, MetaGradient.FIRST_ORDER, 3, StepLoss.LOG);
    MetaTask f = d.withPrecision(Precision.FLOAT32);
    Tree phi = d.init();
    MetaTask.State sd = d.start(), sf = f.start();
    for (int t = 0; t < 8; t++) { // two epochs of four truncations, θ and the LSTM state carried over
      Objective.Step<MetaTask.State> a = d.step(phi, sd, t), b = f.step(phi, sf, t);
      double lossErr = Math.abs(b.loss().item() - a.loss().item()) / Math.abs(a.loss().item());
      double gradErr = GradCheck.relativeError(b.grad(), a.grad());
      int at = t;
      assertTrue(lossErr < 1e-5, () -> "truncation " + at + ": meta-loss relative error " + lossErr);
      assertTrue(gradErr < 1e-3, () -> "truncation " + at + ": meta-gradient relative error " + gradErr);
      sd = a.next();
      sf = b.next();
    }
  }

  @Test
  void float32MetaTrainingGivesTheSameBitsAtOneAndTwoThreadsAndOnARepeat() {
    L2l expr = L2l.learn(Fixtures.SCALE_FREE).on(TWO_BLOCKS).horizon(20).unroll(5).metaOptimizer(Optimizers.adam(0.01))
        .epochs(2).evaluateEvery(2).evaluationTasks(1).seed(5).precision(Precision.FLOAT32);
    int keep = RowParallel.threads();
    try {
      RowParallel.setThreads(1);
      Trained one = expr.train();
      RowParallel.setThreads(2);
      Trained two = expr.train();
      Trained again = expr.train();
      assertArrayEquals(one.last().flatten().toArray(), two.last().flatten().toArray(), 0.0);
      assertArrayEquals(one.last().flatten().toArray(), again.last().flatten().toArray(), 0.0);
      assertEquals(one.bestEvaluation(), two.bestEvaluation());
    } finally {
      RowParallel.setThreads(keep);
    }
  }

  @Test
  void thePrecisionIsDoubleUnlessChosenAndCarriesThroughTheBuilderAndTheMetaTask() {
    L2l expr = L2l.learn(Fixtures.RAW).on(Fixtures.TINY);
    assertEquals(Precision.DOUBLE, expr.task().precision());
    MetaTask f = expr.precision(Precision.FLOAT32).task();
    assertEquals(Precision.FLOAT32, f.precision());
    assertEquals(Precision.DOUBLE, f.withPrecision(Precision.DOUBLE).precision());
    assertEquals(Precision.FLOAT32, Precision.parse("float32"));
    assertEquals(Precision.DOUBLE, Precision.parse(" Double "));
    assertEquals(null, Precision.parse("half"));
  }
}
