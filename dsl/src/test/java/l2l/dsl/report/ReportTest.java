package l2l.dsl.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vavr.collection.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables, CSV, JSON and plots of results. */
class ReportTest {
  @TempDir
  Path dir;

  static Results results() {
    long[] seeds = {11, -22, 33};
    double[][] lstm = {{1, 0.5, 0.25, 0.125}, {2, 1, 0.5, 0.25}, {3, 1.5, 0.75, 0.375}};
    double[][] sgd = {{1, 0.9, 0.8, 0.7}, {2, Double.NaN, Double.NaN, Double.NaN}, {3, 2.9, 0.0, 1e-320}};
    return new Results("test results", "toy", List.of(Curves.of("LSTM", "", seeds, lstm), Curves.of("SGD", "lr=0.1",
        seeds, sgd)));
  }

  @Test
  void theTableShowsFinalLossesErrorsAndDivergence() {
    String t = Tables.results(results());
    assertTrue(t.contains("* LSTM"), t);
    assertTrue(t.contains("0.2500"), t);
    assertTrue(t.contains("1/3"), "one SGD run diverged: " + t);
    assertTrue(t.contains("lr=0.1"), t);
  }

  @Test
  void theLowestTwoAreComparedPairedOverTheSameTasksUnlessARunDiverged() {
    long[] seeds = {1, 2, 3, 4};
    // the tasks' difficulty varies far more than the difference: B − A = 0.1, 0.2, 0.1, 0.2 per task
    double[][] a = {{9, 1.0}, {9, 2.0}, {9, 3.0}, {9, 4.0}};
    double[][] b = {{9, 1.1}, {9, 2.2}, {9, 3.1}, {9, 4.2}};
    double[][] c = {{9, 5.0}, {9, 6.0}, {9, 7.0}, {9, 8.0}};
    String t = Tables.results(new Results("r", "toy", List.of(Curves.of("C", "", seeds, c), Curves.of("B", "", seeds, b),
        Curves.of("A", "lr=1", seeds, a))));
    // mean −0.15, per-task deviations ±0.05: s.e. = √(4·0.0025 / 3 / 4) = 0.02887
    assertTrue(t.endsWith("paired over the same 4 tasks: A (lr=1) − B = -0.1500 ± 0.02887 (-5.2 s.e.)\n"), t);
    assertTrue(Tables.pairedLine(Curves.of("A", "", seeds, a), Curves.of("B", "", new long[] {1, 2, 3, 5}, b)).isEmpty(),
        "tasks differ");
    assertTrue(!Tables.results(results()).contains("paired"), "an SGD run diverged: " + Tables.results(results()));
  }

  @Test
  void csvAndJsonHoldEveryPointExactly() {
    Results r = results();
    List<String> lines = List.of(CurveFiles.csv(r).split("\n"));
    assertEquals(1 + 2 * 4 * 4, lines.size());
    assertEquals("LSTM,,mean,,3,0.25", lines.get(4));
    assertEquals("SGD,lr=0.1,1,-22,1,NaN", lines.get(1 + 16 + 4 + 4 + 1));
    assertEquals("SGD,lr=0.1,2,33,3,1.0E-320", lines.last());
    JsonObject j = JsonParser.parseString(l2l.dsl.io.Json.pretty(CurveFiles.json(r))).getAsJsonObject();
    var sgd = j.getAsJsonArray("optimizers").get(1).getAsJsonObject();
    assertTrue(sgd.get("mean_final").isJsonNull(), "a diverged mean is null");
    assertTrue(sgd.getAsJsonArray("tasks").get(1).getAsJsonObject().getAsJsonArray("curve").get(1).isJsonNull());
    assertEquals(-22, sgd.getAsJsonArray("tasks").get(1).getAsJsonObject().get("seed").getAsLong());
  }

  @Test
  void plotsAreWrittenEvenWithPointsALogScaleCannotShow() throws Exception {
    String table = Reports.write(results(), Set.of("LSTM"), dir);
    assertEquals(table, Files.readString(dir.resolve(Reports.TABLE)));
    byte[] png = Files.readAllBytes(dir.resolve(Reports.PLOT));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    assertTrue(png.length > 5000);
  }

  @Test
  void aCurveThatExplodesEndsAtTheCeilingAndItsLegendSaysWhen() {
    long[] seeds = {1};
    Results r = new Results("t", "toy", List.of(Curves.of("LSTM", "", seeds, new double[][] {{2, 1, 0.5, 0.25}}),
        Curves.of("SGD", "lr=3", seeds, new double[][] {{2, 30, 150, 3000}})));
    var chart = Plots.lossChart(r, Set.of("LSTM"));
    var sgd = chart.getSeriesMap().get("SGD (lr=3) (off the chart after step 2)");
    assertTrue(sgd != null, "series: " + chart.getSeriesMap().keySet());
    assertArrayEquals(new double[] {2, 30, 150}, sgd.getYData(), "3000 > 100 × 2 is cut");
    assertEquals(4, chart.getSeriesMap().get("LSTM").getYData().length);
  }

  @Test
  void resultsOfDifferentTasksOrLengthsAreRefused() {
    long[] a = {1}, b = {2};
    double[][] c = {{1, 2}};
    assertThrows(IllegalArgumentException.class, () -> new Results("x", "y", List.of(Curves.of("a", "", a, c),
        Curves.of("b", "", b, c))));
    assertThrows(IllegalArgumentException.class, () -> new Results("x", "y", List.of(Curves.of("a", "", a, c),
        Curves.of("b", "", a, new double[][] {{1, 2, 3}}))));
  }

  @Test
  void numbersAndDurationsReadWell() {
    assertEquals("0.04968", Fmt.g(0.049681));
    assertEquals("1.235e-05", Fmt.g(1.2345e-5));
    assertEquals("∞", Fmt.g(Double.POSITIVE_INFINITY));
    assertEquals("3 min 05 s", Fmt.duration(185));
    assertEquals("4.2 s", Fmt.duration(4.2));
  }

  @Test
  void theScorecardPairsEachLearnedOptimizerWithTheLowestBaselineAndCountsTwoStandardErrorsAsSignificant() {
    long[] seeds = {1, 2, 3, 4};
    double[][] nag = {{1, 0.5}, {1, 0.6}, {1, 0.7}, {1, 0.6}};      // mean 0.6: the lowest baseline
    double[][] adam = {{1, 0.7}, {1, 0.7}, {1, 0.7}, {1, 0.7}};     // mean 0.7
    double[][] far = {{1, 0.4}, {1, 0.5}, {1, 0.6}, {1, 0.5}};      // 0.1 below NAG on every task: se 0
    double[][] near = {{1, 0.45}, {1, 0.65}, {1, 0.65}, {1, 0.6}};  // mean 0.5875: below NAG, within the errors
    double[][] diverged = {{1, 0.1}, {1, 0.1}, {1, Double.NaN}, {1, 0.1}};
    java.util.function.Function<double[][], Results> on = lstm -> new Results("t", "toy", List.of(
        Curves.of("LSTM", "a.json", seeds, lstm), Curves.of("Adam", "lr=0.01", seeds, adam),
        Curves.of("NAG", "lr=1", seeds, nag)));
    List<io.vavr.Tuple2<String, Results>> results = List.of(new io.vavr.Tuple2<>("far", on.apply(far)),
        new io.vavr.Tuple2<>("near", on.apply(near)), new io.vavr.Tuple2<>("diverged", on.apply(diverged)));
    List<Scorecard.Row> rows = Scorecard.rows(results, Set.of("LSTM")).single()._2;
    assertEquals(List.of("NAG", "NAG", "NAG"), rows.map(r -> r.best().name()));
    assertEquals(List.of(true, true, false), rows.map(Scorecard.Row::below));
    assertEquals(List.of(true, false, false), rows.map(Scorecard.Row::significantlyBelow));
    assertEquals(-0.1, rows.get(0).paired()[0], 1e-12);
    assertEquals(-0.0125, rows.get(1).paired()[0], 1e-12);
    assertEquals(null, rows.get(2).paired(), "a diverged run has no paired difference");
    String text = Scorecard.text(results, Set.of("LSTM"));
    assertTrue(text.contains("LSTM (a.json)") && text.contains("below the best tuned baseline's mean on 2 of 3 problems,"
        + " by at least 2 standard errors of the paired difference on 1"), text);
  }

  @Test
  void aDifferenceInStandardErrorsIsSignedAndCappedAtAThousandWhereTheErrorIsRounding() {
    assertEquals("-2.0", Fmt.sigmas(-0.01163, 0.005812));
    assertEquals("+0.8", Fmt.sigmas(0.005173, 0.006119));
    assertEquals("> +1000", Fmt.sigmas(3.413, 5.8e-16));
    assertEquals("< -1000", Fmt.sigmas(-0.1511, 0));
    assertEquals("–", Fmt.sigmas(0, 0));
  }
}
