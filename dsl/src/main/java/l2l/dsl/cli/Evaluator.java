package l2l.dsl.cli;

import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleFunction;
import java.util.stream.IntStream;
import l2l.dsl.Comparison;
import l2l.dsl.Evaluation;
import l2l.dsl.Tuning;
import l2l.dsl.report.Curves;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Results;
import l2l.dsl.report.Tables;
import l2l.optimizers.Optimizer;
import l2l.problems.Problem;

/**
 * Runs optimizers on held-out tasks for {@code evaluate}, {@code compare}, {@code self-train} and
 * {@code demo}: tunes the baselines' learning rates on tuning tasks ({@link Tuning},
 * {@link Comparison}) and runs every optimizer on the same test tasks, keeping every curve.
 */
final class Evaluator {
  private Evaluator() {}

  /**
   * One optimizer to run.
   *
   * @param name its name ("LSTM", "Adam", …)
   * @param setting what distinguishes it ("lr=0.316", a file)
   * @param optimizer the rule
   * @param learned whether it is a learned optimizer (drawn thick)
   */
  record Entry(String name, String setting, Optimizer optimizer, boolean learned) {}

  /** The baselines by lower-case name. */
  static List<String> baselineNames() {
    return Comparison.baselines().map(b -> b._1.toLowerCase(Locale.ROOT));
  }

  /** The units of progress that tuning these baselines takes (one per run of one task). */
  static long tuningWork(int baselines, double[] grid, int tuningTasks) {
    return (long) baselines * grid.length * tuningTasks;
  }

  /**
   * Tunes the named baselines' learning rates on the tuning tasks; returns them at their best
   * learning rate (a baseline that diverged at every rate is left out, with a note).
   */
  static List<Entry> tunedBaselines(List<String> names, Problem problem, int steps, long[] tuningSeeds, double[] grid,
      Progress progress, AtomicLong done) {
    List<Entry> out = List.empty();
    java.util.List<List<String>> rows = new java.util.ArrayList<>();
    for (Tuple2<String, DoubleFunction<Optimizer>> b : Comparison.baselines()) {
      if (!names.contains(b._1.toLowerCase(Locale.ROOT))) continue;
      long base = done.get();
      int[] point = {0};
      DoubleFunction<Optimizer> make = lr -> {
        done.set(base + (long) point[0]++ * tuningSeeds.length);
        progress.update(done.get(), "tuning " + b._1 + " lr=" + Fmt.g(lr));
        return b._2.apply(lr);
      };
      Tuning.Result r = Tuning.learningRate(b._1, make, grid, problem, steps, tuningSeeds);
      done.set(base + (long) grid.length * tuningSeeds.length);
      progress.update(done.get(), "tuned " + b._1);
      List<Comparison.Entry> e = Comparison.entries(List.of(r));
      rows.add(List.of(b._1, r.allDiverged() ? "every rate diverged: left out" : Fmt.g(r.bestLr()),
          Fmt.g(r.bestScore()), r.atEdge() ? "at the grid's edge" : ""));
      if (!e.isEmpty()) {
        out = out.append(new Entry(b._1, "lr=" + Fmt.g(r.bestLr()), e.head().optimizer(), false));
      }
    }
    progress.println("learning rates tuned on " + tuningSeeds.length + " tuning tasks (grid " + Fmt.g(grid[0]) + " … "
        + Fmt.g(grid[grid.length - 1]) + ", " + grid.length + " values):\n"
        + Tables.grid(List.of("baseline", "best lr", "tuning loss", "note"), List.ofAll(rows), 1).stripTrailing());
    return out;
  }

  /** Every entry on the tasks of these seeds, {@code steps} steps each (tasks run in parallel). */
  static Results run(String title, Problem problem, int steps, long[] seeds, List<Entry> entries, Progress progress,
      AtomicLong done) {
    List<Curves> curves = List.empty();
    for (Entry e : entries) {
      progress.update(done.get(), "testing " + e.name());
      double[][] c = IntStream.range(0, seeds.length).parallel().mapToObj(i -> {
        double[] curve = Evaluation.curve(problem.sample(seeds[i]), e.optimizer(), steps);
        progress.update(done.incrementAndGet(), "testing " + e.name());
        return curve;
      }).toArray(double[][]::new);
      curves = curves.append(Curves.of(e.name(), e.setting(), seeds, c));
    }
    return new Results(title, problem.name(), curves);
  }
}
