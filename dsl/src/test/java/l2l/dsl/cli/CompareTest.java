package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l2l.dsl.Comparison;
import l2l.dsl.Evaluation;
import l2l.dsl.Tuning;
import l2l.problems.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l compare} and {@code l2l evaluate}: the table, every curve as CSV and JSON, and the plot. */
class CompareTest {
  @TempDir
  Path dir;

  static final String PROBLEM = "quadratic:batch=4,dim=3";

  @Test
  void compareTunesTheBaselinesAndWritesEveryCurve() throws Exception {
    Path out = dir.resolve("cmp");
    Cli r = Cli.run("compare", "--problem", PROBLEM, "--steps", "12", "--tasks", "3", "--tuning-tasks", "2",
        "--lr-grid", "0.01:1", "--out", out.toString(), "--progress", "lines");
    assertEquals(0, r.code(), r.toString());
    for (String name : new String[] {"SGD", "NAG", "RMSprop", "Adam", "best lr", "mean f(θ_12)"}) {
      assertTrue(r.out().contains(name), name + " in " + r.out());
    }
    String table = Files.readString(out.resolve("table.txt"));
    assertTrue(r.out().contains(table), "the terminal shows the table");
    List<String> csv = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals("optimizer,setting,task,seed,step,loss", csv.get(0));
    assertEquals(1 + 4 * (3 + 1) * 13, csv.size(), "per optimizer the mean and 3 tasks, 13 points each");
    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("curves.json"))).getAsJsonObject();
    assertEquals(12, json.get("steps").getAsInt());
    assertEquals(4, json.getAsJsonArray("optimizers").size());
    byte[] png = Files.readAllBytes(out.resolve("loss.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));

    // the CSV holds exactly what the library computes for the tuned SGD on the same test tasks
    double[] grid = Tuning.halfDecades(0.01, 1);
    Tuning.Result sgd = Tuning.learningRate("SGD", l2l.optimizers.Optimizers::sgd, grid, Problems.parse(PROBLEM), 12,
        Comparison.tuningSeeds(0, 2));
    double[][] curves = Evaluation.curves(Problems.parse(PROBLEM), l2l.optimizers.Optimizers.sgd(sgd.bestLr()), 12,
        Comparison.testSeeds(0, 3));
    for (int t = 0; t <= 12; t++) {
      String[] row = csv.stream().filter(l -> l.startsWith("SGD,")).toList().get(13 + t).split(",");
      assertEquals("0", row[2]);
      assertEquals(Long.toString(Comparison.testSeeds(0, 3)[0]), row[3]);
      assertEquals(curves[0][t], Double.parseDouble(row[5]), 0.0);
    }
  }

  @Test
  void whenEveryBaselineDivergesAtEveryRateTheComparisonSaysSoInOneLineAndWritesNoTable() {
    Path out = dir.resolve("blowup");
    Cli r = Cli.run("compare", "--problem", PROBLEM, "--steps", "30", "--tasks", "2", "--tuning-tasks", "2",
        "--lr-grid", "1e3,1e4", "--out", out.toString(), "--progress", "none");
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("every baseline diverged at every learning rate of the grid (1000 … 1.000e+04)")
        && r.err().contains("--lr-grid"), r.err());
    assertTrue(!Files.exists(out.resolve("table.txt")));
  }

  @Test
  void evaluateAndCompareRunATrainedOptimizerOnHeldOutTasks() throws Exception {
    Path run = dir.resolve("run");
    Cli t = Cli.run(Cli.with(Cli.train(), "--epochs", "2", "--evaluate-every", "1", "--out", run.toString()));
    assertEquals(0, t.code(), t.toString());
    Path file = run.resolve("optimizer.json");

    Path ev = dir.resolve("ev");
    Cli e = Cli.run("evaluate", file.toString(), "--tasks", "3", "--out", ev.toString(), "--progress", "none");
    assertEquals(0, e.code(), e.toString());
    assertTrue(e.out().contains("LSTM") && e.out().contains("mean f(θ_20)"), e.out());
    assertEquals(1 + (3 + 1) * 21, Files.readAllLines(ev.resolve("curves.csv")).size());

    Path cmp = dir.resolve("cmp");
    Cli c = Cli.run("compare", file.toString(), "--tasks", "3", "--tuning-tasks", "2", "--lr-grid", "0.1,1",
        "--baselines", "adam,sgd", "--out", cmp.toString(), "--progress", "none");
    assertEquals(0, c.code(), c.toString());
    JsonObject json = JsonParser.parseString(Files.readString(cmp.resolve("curves.json"))).getAsJsonObject();
    assertEquals(3, json.getAsJsonArray("optimizers").size());
    assertEquals("LSTM", json.getAsJsonArray("optimizers").get(0).getAsJsonObject().get("name").getAsString());
    assertTrue(json.get("problem").getAsString().startsWith("quadratic(batch=8, dim=5"), "the trained problem by default");
  }

  @Test
  void aLearnedOptimizerGuardedByTheTunedAdamIsNeverAboveTunedAdamAtAnyStepOfAnyTask() throws Exception {
    Path run = dir.resolve("run-g");
    assertEquals(0, Cli.run(Cli.with(Cli.train(), "--epochs", "1", "--out", run.toString())).code());
    Path cmp = dir.resolve("guarded");
    Cli c = Cli.run("compare", run.resolve("optimizer.json").toString(), "--tasks", "3", "--tuning-tasks", "2",
        "--lr-grid", "0.01,0.1,1", "--baselines", "adam", "--guard", "adam", "--out", cmp.toString(), "--progress",
        "none");
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().contains("LSTM+guard") && c.out().contains("guarded by Adam lr="), c.out());
    java.util.Map<String, Double> adam = new java.util.HashMap<>(), guarded = new java.util.HashMap<>();
    for (String line : Files.readAllLines(cmp.resolve("curves.csv"))) {
      String[] f = line.split(",");  // the setting may hold quoted commas: task, seed, step, loss are the last four
      int n = f.length;
      if (f[0].equals("Adam")) adam.put(f[n - 4] + "/" + f[n - 2], Double.parseDouble(f[n - 1]));
      if (f[0].equals("LSTM+guard")) guarded.put(f[n - 4] + "/" + f[n - 2], Double.parseDouble(f[n - 1]));
    }
    assertEquals((3 + 1) * 21, guarded.size(), "every step of every task and of their mean");
    guarded.forEach((at, f) -> assertTrue(f <= adam.get(at) * (1 + 1e-12), at + ": guarded " + f + ", Adam "
        + adam.get(at)));
  }

  @Test
  void evaluateGuardsByAGivenOptimizerAndTheGuardOptionsSayWhatTheyNeed() throws Exception {
    Path run = dir.resolve("run-e");
    assertEquals(0, Cli.run(Cli.with(Cli.train(), "--epochs", "1", "--out", run.toString())).code());
    String file = run.resolve("optimizer.json").toString();
    Cli e = Cli.run("evaluate", file, "--tasks", "2", "--guard", "sgd:lr=0.1", "--guard-tolerance", "0.01",
        "--guard-smoothing", "0.9", "--out", dir.resolve("ev").toString(), "--progress", "none");
    assertEquals(0, e.code(), e.toString());
    assertTrue(e.out().contains("guarded by sgd:lr=0.1 (tolerance 0.01) (smoothing 0.9)"), e.out());
    for (String option : new String[] {"--guard-tolerance", "--guard-smoothing"}) {
      Cli noGuard = Cli.run("evaluate", file, option, "0.1", "--progress", "none");
      assertEquals(Main.USAGE, noGuard.code());
      assertTrue(noGuard.err().contains(option + " needs --guard"), noGuard.err());
    }
    Cli one = Cli.run("evaluate", file, "--guard", "adam", "--guard-smoothing", "1", "--progress", "none");
    assertEquals(Main.USAGE, one.code());
    assertTrue(one.err().contains("--guard-smoothing must be in [0, 1), got 1.0"), one.err());
    Cli nothing = Cli.run("compare", "--problem", PROBLEM, "--guard", "adam", "--progress", "none");
    assertEquals(Main.USAGE, nothing.code());
    assertTrue(nothing.err().contains("--guard needs learned optimizers"), nothing.err());
    Cli negative = Cli.run("evaluate", file, "--guard", "adam", "--guard-tolerance", "-1", "--progress", "none");
    assertTrue(negative.err().contains("--guard-tolerance must be a finite loss ≥ 0, got -1.0"), negative.err());
  }

  @Test
  void guardBaseGuardsEachLearnedOptimizerByItsOwnBaseStepAndRefusesOneWithout() throws Exception {
    String[] common = {"evaluate", "--pretrained", "generalist-hd", "--problem", PROBLEM, "--steps", "8", "--tasks", "2",
        "--guard-smoothing", "0.5", "--progress", "none", "--guard"};
    Path byBase = dir.resolve("by-base"), bySpec = dir.resolve("by-spec");
    Cli base = Cli.run(Cli.with(common, "base", "--out", byBase.toString()));
    assertEquals(0, base.code(), base.toString());
    assertTrue(base.out().contains("guarded by adam:lr=0.0316,b1=0.9,b2=0.999,eps=1.0E-8,hyper=0.2"), base.out());
    Cli spelled = Cli.run(Cli.with(common, "adam:lr=0.0316,hyper=0.2", "--out", bySpec.toString()));
    assertEquals(0, spelled.code(), spelled.toString());
    assertEquals(Files.readString(bySpec.resolve("curves.csv")), Files.readString(byBase.resolve("curves.csv")));
    Path run = dir.resolve("run-nobase");
    assertEquals(0, Cli.run(Cli.with(Cli.train(), "--epochs", "1", "--out", run.toString())).code());
    Cli none = Cli.run("evaluate", run.resolve("optimizer.json").toString(), "--guard", "base", "--progress", "none");
    assertEquals(Main.USAGE, none.code());
    assertTrue(none.err().contains("has no base step"), none.err());
  }

  @Test
  void compareOnSeveralProblemsWritesEachIntoItsFolderAndAScorecardOfThePairedDifferenceToTheLowestBaseline()
      throws Exception {
    Path out = dir.resolve("several");
    String other = "quadratic:batch=4,dim=5";
    Cli c = Cli.run("compare", "--pretrained", "quadratic", "--problem", PROBLEM, "--problem", other, "--steps", "12",
        "--tasks", "3", "--tuning-tasks", "2", "--lr-grid", "0.01:1", "--out", out.toString(), "--progress", "none");
    assertEquals(0, c.code(), c.toString());
    String card = Files.readString(out.resolve("scorecard.txt"));
    assertTrue(c.out().contains(card), "the terminal shows the scorecard");
    int below = 0;
    for (String p : List.of(PROBLEM, other)) {
      Path folder = out.resolve(p.replace(':', '_').replace('=', '_').replace(',', '_'));
      JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("curves.json"))).getAsJsonObject();
      com.google.gson.JsonArray opts = json.getAsJsonArray("optimizers");
      JsonObject lstm = opts.get(0).getAsJsonObject(), best = null;
      for (int i = 1; i < opts.size(); i++) {
        JsonObject o = opts.get(i).getAsJsonObject();
        if (o.get("mean_final").isJsonNull()) continue;  // diverged
        if (best == null || o.get("mean_final").getAsDouble() < best.get("mean_final").getAsDouble()) best = o;
      }
      double[] d = new double[3];
      double mean = 0;
      for (int t = 0; t < 3; t++) {
        d[t] = last(lstm, t) - last(best, t);
        mean += d[t] / 3;
      }
      double se = Evaluation.standardError(d, mean);
      String row = card.lines().filter(l -> l.startsWith(p + " ")).findFirst().orElseThrow(() -> new AssertionError(
          p + " in " + card));
      assertTrue(row.contains(best.get("name").getAsString()) && row.contains(l2l.dsl.report.Fmt.g(mean) + " ± "
          + l2l.dsl.report.Fmt.g(se)), row + " against " + best.get("name") + " " + mean + " ± " + se);
      boolean isBelow = lstm.get("mean_final").getAsDouble() < best.get("mean_final").getAsDouble();
      assertEquals(isBelow, row.contains(" yes"), row);
      below += isBelow ? 1 : 0;
    }
    assertTrue(card.contains("below the best tuned baseline's mean on " + below + " of 2 problems"), card);
  }

  @Test
  void aComparisonOnSeveralProblemsRunAgainReusesEachProblemWhoseFolderHoldsTheSameComparisonAndNoOther()
      throws Exception {
    Path out = dir.resolve("again");
    String other = "quadratic:batch=4,dim=5";
    String[] args = {"compare", "--pretrained", "quadratic", "--problem", PROBLEM, "--problem", other, "--steps", "12",
        "--tasks", "3", "--tuning-tasks", "2", "--lr-grid", "0.01:1", "--out", out.toString(), "--progress", "none"};
    assertEquals(0, Cli.run(args).code());
    String card = Files.readString(out.resolve("scorecard.txt"));
    Path second = out.resolve(other.replace(':', '_').replace('=', '_').replace(',', '_'));
    String json = Files.readString(second.resolve("curves.json"));
    Files.delete(out.resolve(PROBLEM.replace(':', '_').replace('=', '_').replace(',', '_')).resolve("curves.json"));

    Cli again = Cli.run(args);  // as after a run stopped between its two problems
    assertEquals(0, again.code(), again.toString());
    assertEquals(1, again.out().split("not run again", -1).length - 1, again.out());
    assertEquals(json, Files.readString(second.resolve("curves.json")), "the finished problem is not rewritten");
    assertEquals(card, Files.readString(out.resolve("scorecard.txt")), "the same scorecard");

    String[] fewer = args.clone();
    fewer[10] = "2";  // --tasks 2: another comparison
    Cli changed = Cli.run(fewer);
    assertEquals(0, changed.code(), changed.toString());
    assertTrue(!changed.out().contains("not run again"), changed.out());
    assertTrue(Files.readString(out.resolve("scorecard.txt")).contains("; 2 held-out tasks, 12 steps;"));
  }

  private static double last(JsonObject optimizer, int task) {
    com.google.gson.JsonArray curve = optimizer.getAsJsonArray("tasks").get(task).getAsJsonObject()
        .getAsJsonArray("curve");
    return curve.get(curve.size() - 1).getAsDouble();
  }

  @Test
  void twoProblemsThatWouldShareAFolderAreRefusedInOneLine() {
    Cli c = Cli.run("compare", "--problem", "quadratic:dim=3", "--problem", "quadratic_dim=3", "--progress", "none",
        "--out", dir.resolve("clash").toString());
    assertEquals(Main.USAGE, c.code(), c.toString());
    assertEquals(1, c.err().lines().count(), c.err());
    assertTrue(c.err().contains("would share the folder quadratic_dim_3"), c.err());
  }
}
