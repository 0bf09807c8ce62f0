package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import l2l.dsl.report.Curves;
import l2l.dsl.report.Results;
import l2l.dsl.report.Tables;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import org.junit.jupiter.api.Test;

/**
 * One divergence rule everywhere: a run whose loss is not finite or above 1000 × its initial loss
 * has diverged — in curves, summaries, tables, tuning, held-out validation and the epochs of
 * meta-training.
 */
class DivergenceTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void aLossAboveAThousandTimesItsStartOrNotFiniteIsDivergedAndNothingElse() {
    assertFalse(Divergence.diverged(3, 2999));
    assertTrue(Divergence.diverged(3, 3001));
    assertTrue(Divergence.diverged(3, Double.NaN) && Divergence.diverged(3, INF) && Divergence.diverged(INF, 1));
    assertTrue(Divergence.diverged(-2, 2001) && !Divergence.diverged(-2, 1999));
    assertFalse(Divergence.diverged(0, 1e300), "from a zero loss only a non-finite one counts");
  }

  @Test
  void aFiniteBlowUpCountsAsDivergedInTheSummaryAndTheTable() {
    double[][] curves = {{3, 1, 0.5}, {3, 40, 2.2e6}};
    Evaluation.Summary s = Evaluation.Summary.of("SGD", curves);
    assertEquals(1, s.diverged());
    assertEquals(INF, s.meanFinal());
    String table = Tables.results(new Results("t", "p", List.of(Curves.of("SGD", "lr=3.162", new long[] {1, 2}, curves))));
    assertTrue(table.contains("∞") && table.contains("1/2"), table);
  }

  @Test
  void aRunStopsWhereItClimbsPastTheLimitAndTuningScoresItInfinite() {
    double[] c = Evaluation.curve(Fixtures.TINY.sample(1), Optimizers.sgd(1), 20);
    int cut = 0;
    while (c[cut] <= 1000 * c[0]) cut++;
    assertTrue(Double.isFinite(c[cut]) && cut < 20, "a finite blow-up at step " + cut);
    for (int t = cut + 1; t <= 20; t++) assertTrue(Double.isNaN(c[t]), "step " + t);
    Tuning.Result r = Tuning.learningRate("SGD", Optimizers::sgd, new double[] {0.3, 1}, Fixtures.TINY, 20,
        Evaluation.seeds(1, "tuning", 3));
    assertEquals(INF, r.points().last().score());
    assertEquals(0.3, r.bestLr());
  }

  @Test
  void metaTrainingNeverSelectsADivergedEvaluation() {
    MetaTraining.Snapshot s = MetaTraining.run(Fixtures.meta(Fixtures.RAW, 3), Optimizers.adam(1e3),
        new MetaTraining.Plan(3, 1, 2, 10));
    assertTrue(s.history().forAll(r -> r.evaluation() == INF), s.history().toString());
    assertEquals(-1, s.bestEpoch());
    assertTrue(s.everyEvaluationDiverged());
  }

  @Test
  void anEpochWhoseOptimizeeBlowsUpTakesNoMetaStepAndHasNoMetaLoss() {
    MetaTask m = Fixtures.meta(CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(6, 6).withScale(1e9)), 3);
    MetaTraining.Snapshot s = MetaTraining.run(m, Optimizers.adam(1e-3), new MetaTraining.Plan(2, 2, 2, 10));
    assertTrue(s.history().forAll(r -> r.nonFinite() == 1 && Double.isNaN(r.metaLoss())), s.history().toString());
    assertArrayEquals(m.init().flatten().toArray(), s.phi().flatten().toArray(), "no meta-step was taken");
  }
}
