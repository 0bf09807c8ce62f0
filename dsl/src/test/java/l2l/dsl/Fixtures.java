package l2l.dsl;

import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.Preprocess;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;
import l2l.problems.Quadratic;

/** Small problems, learned optimizers and data shared by the dsl tests (no files, no network). */
final class Fixtures {
  private Fixtures() {}

  /** 8 functions of 5 dimensions: 40 coordinates. */
  static final Quadratic TINY = new Quadratic(8, 5, 0.01, Quadratic.Distribution.UNIFORM);

  /** An LSTM of width 6 that sees log-and-sign gradients, output scale 0.1 (a usable meta-optimizer once trained). */
  static final CoordinatewiseLstm SCALE_FREE = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(6, 6)
      .withPreprocess(Preprocess.logAndSign(5)).withScale(0.1));

  /** The quadratic setting's LSTM at width 6 (raw gradients, output scale 1). */
  static final CoordinatewiseLstm RAW = CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(6, 6));

  /** A short plan: {@code epochs} epochs, evaluated every {@code every} on 4 held-out tasks. */
  static MetaTraining.Plan plan(int epochs, int every) {
    return new MetaTraining.Plan(epochs, every, 4, 10);
  }

  /** The tiny quadratic meta task: horizon 20, unroll 5, first order. */
  static MetaTask meta(LearnedOptimizer g, long seed) {
    return task(g, TINY, 20, 5, MetaGradient.FIRST_ORDER, seed);
  }

  /** A meta task with the linear step loss in double precision. */
  static MetaTask task(LearnedOptimizer g, Problem p, int horizon, int unroll, MetaGradient mode, long seed) {
    return task(g, p, horizon, unroll, mode, seed, StepLoss.LINEAR);
  }

  /** A meta task in double precision. */
  static MetaTask task(LearnedOptimizer g, Problem p, int horizon, int unroll, MetaGradient mode, long seed,
      StepLoss ell) {
    return new MetaTask(g, p, horizon, unroll, mode, ell, Precision.DOUBLE, seed);
  }
}
