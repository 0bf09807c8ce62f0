package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import org.junit.jupiter.api.Test;

/** The imitation warm start: an exact gradient of the relative error, deterministic, and it finds a teacher it can express. */
class ImitationTest {
  private static final MetaTask META = Fixtures.meta(Fixtures.SCALE_FREE, 3);

  @Test
  void theImitationLossGradientMatchesFiniteDifferences() {
    Imitation im = new Imitation(META, Optimizers.adam(0.1), 1);
    Tree phi = META.init();
    Imitation.State s = im.start();
    for (int k = 0; k < 2; k++) {  // the second truncation, with a carried learned state
      Tree p = phi;
      Imitation.State at = s;
      Tree numeric = GradCheck.numericGrad((Tree q) -> im.step(q, at, 0).loss(), p, 1e-6);
      Objective.Step<Imitation.State> r = im.step(p, at, 0);
      assertTrue(GradCheck.relativeError(r.grad(), numeric) < 1e-5, "truncation " + k + ": "
          + GradCheck.relativeError(r.grad(), numeric));
      s = r.next();
    }
  }

  @Test
  void theLinearOptimizerImitatingSgdLearnsItsLearningRate() {
    // Δ = scale·(w·g + b) expresses SGD exactly (w = −lr, b = 0): the relative error must vanish
    MetaTask linear = Fixtures.meta(CoordinatewiseLstm.of(LstmConfig.linear()), 1);
    Imitation im = new Imitation(linear, Optimizers.sgd(0.05), 60);
    List<Imitation.Report> reports = im.reports(linear.init(), Optimizers.adam(0.01)).toList();
    assertEquals(1.0, im.step(linear.init(), im.start(), 0).loss().item(), 1e-12,
        "zero weights propose no step: the error is the whole step");
    assertTrue(reports.last().error() < 1e-4, "last relative error " + reports.last().error());
    assertEquals(-0.05, reports.last().phi().tensor("out/w").item(), 1e-3);
  }

  @Test
  void theWarmStartIsTheSameBitsEveryTime() {
    Imitation im = new Imitation(META, Optimizers.adam(0.1), 2);
    double[] a = im.warmStart(META.init(), Optimizers.adam(0.01)).flatten().toArray();
    double[] b = im.warmStart(META.init(), Optimizers.adam(0.01)).flatten().toArray();
    assertArrayEquals(a, b, 0.0);
    assertTrue(!java.util.Arrays.equals(a, META.init().flatten().toArray()), "imitation moved φ");
  }

  @Test
  void aWarmStartBringsTheLearnedOptimizerNearerItsTeacher() {
    Imitation im = new Imitation(META, Optimizers.adam(0.1), 20);
    List<Imitation.Report> reports = im.reports(META.init(), Optimizers.adam(0.01)).toList();
    assertTrue(reports.last().error() < 0.5 * reports.head().error(),
        "relative error " + reports.head().error() + " → " + reports.last().error());
  }

  @Test
  void aTaskIsImitatedInTheMetaTasksTruncationsAndTheWholeHorizonIsOneForAWholeHorizonMetaGradient() {
    for (MetaTask t : new MetaTask[] {META, META.withMetaGradient(MetaGradient.FULL)}) {
      Imitation im = new Imitation(t, Optimizers.adam(0.1), 2);
      Imitation.State s = im.start();
      for (int k = 0; k < im.truncationsPerTask(); k++) {
        assertEquals(0, s.index(), t.metaGradient().label() + ": still the first task before truncation " + k);
        s = im.step(t.init(), s, k).next();
      }
      assertEquals(1, s.index(), t.metaGradient().label() + ": the second task after " + im.truncationsPerTask());
    }
  }
}
