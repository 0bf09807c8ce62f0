package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import l2l.optimizers.Optimizers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Learning-rate grid search: the grid, the choice of the minimum, and divergence scoring +∞. */
class TuningTest {
  static final long[] SEEDS = Evaluation.seeds(5, "tuning", 3);

  @Test
  void halfDecadesFromOneTenThousandthToTenAreElevenPowersOfTenHalfADecadeApart() {
    double[] g = Tuning.halfDecades(1e-4, 10);
    assertEquals(11, g.length);
    assertEquals(1e-4, g[0]);
    assertEquals(10, g[10]);
    for (int i = 0; i < g.length; i++) assertEquals(-4 + i / 2.0, Math.log10(g[i]), 1e-12);
    assertEquals(3.1622776601683795e-4, g[1], 1e-18);
  }

  @Property(tries = 4)
  void theChosenLearningRateHasTheLowestScoreOfItsGrid(@ForAll @IntRange(min = 0, max = 4) int from,
      @ForAll @IntRange(min = 2, max = 6) int count) {
    double[] grid = Arrays.copyOfRange(Tuning.halfDecades(1e-3, 10), from, from + count);
    Tuning.Result r = Tuning.learningRate("sgd", Optimizers::sgd, grid, Fixtures.TINY, 10, SEEDS);
    assertEquals(grid.length, r.points().size());
    assertArrayEquals(grid, r.points().map(Tuning.Point::lr).toJavaStream().mapToDouble(d -> d).toArray());
    double min = r.points().map(Tuning.Point::score).min().get();
    assertEquals(min, r.bestScore());
    assertEquals(r.points().find(p -> p.score() == min).get().lr(), r.bestLr());
    for (Tuning.Point p : r.points()) {
      double again = Evaluation.meanFinalLoss(Fixtures.TINY, Optimizers.sgd(p.lr()), 10, SEEDS);
      assertEquals(Double.isFinite(again) ? again : Double.POSITIVE_INFINITY, p.score(), "each score is the mean final loss");
    }
  }

  @Test
  void aDivergingLearningRateScoresInfinityAndIsNeverChosen() {
    Tuning.Result r = Tuning.learningRate("sgd", Optimizers::sgd, new double[] {0.01, 1000, 1e4}, Fixtures.TINY, 100, SEEDS);
    assertEquals(Double.POSITIVE_INFINITY, r.points().get(1).score(), "the loss overflowed");
    assertEquals(Double.POSITIVE_INFINITY, r.points().get(2).score());
    assertEquals(0.01, r.bestLr());
    assertTrue(r.atEdge());
    assertTrue(r.describe().contains("<- best"), r.describe());
  }

  @Test
  void whenEveryLearningRateDivergesThereIsNoBestLearningRate() {
    Tuning.Result r = Tuning.learningRate("sgd", Optimizers::sgd, new double[] {1000, 1e4}, Fixtures.TINY, 100, SEEDS);
    assertTrue(r.allDiverged());
    assertTrue(Double.isNaN(r.bestLr()));
    assertFalse(r.atEdge());
  }
}
