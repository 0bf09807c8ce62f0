package l2l.dsl.cli;

import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleFunction;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import l2l.dsl.Comparison;
import l2l.dsl.Evaluation;
import l2l.dsl.Tuning;
import l2l.dsl.cluster.Cluster;
import l2l.dsl.cluster.ClusterCurves;
import l2l.dsl.cluster.Recipe;
import l2l.dsl.report.Curves;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Results;
import l2l.dsl.report.Tables;
import java.util.function.Function;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;
import l2l.problems.Task;
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
   * @param recipe the rule as data for cluster members (null: it runs in this process only)
   * @param perTask the rule made for each task (e.g. guarded on its loss), or null: {@code optimizer} on every task
   */
  record Entry(String name, String setting, Optimizer optimizer, boolean learned, Recipe recipe,
      Function<Task, Optimizer> perTask) {
    /** An entry with one rule for every task. */
    Entry(String name, String setting, Optimizer optimizer, boolean learned, Recipe recipe) {
      this(name, setting, optimizer, learned, recipe, null);
    }

    /** An entry that runs in this process only. */
    Entry(String name, String setting, Optimizer optimizer, boolean learned) {
      this(name, setting, optimizer, learned, null);
    }

    private static String plain(double v) {
      return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The rule on this task. */
    Optimizer on(Task task) {
      return perTask == null ? optimizer : perTask.apply(task);
    }

    /**
     * This learned entry guarded by {@code fallback} with the tolerance and smoothing ({@link Transforms#guard},
     * on each task's loss); it runs in this process only.
     */
    Entry guardedBy(Entry fallback, double tolerance, double smoothing) {
      return new Entry(name + "+guard", setting + ", guarded by " + fallback.name()
          + (fallback.setting().isEmpty() ? "" : " " + fallback.setting())
          + (tolerance > 0 ? " (tolerance " + plain(tolerance) + ")" : "")
          + (smoothing > 0 ? " (smoothing " + plain(smoothing) + ")" : ""), optimizer, true, null,
          task -> Transforms.guard(on(task), fallback.on(task), tolerance, smoothing, task::loss));
    }
  }

  /** Where curves run: each entry's on the tasks of these seeds, {@code [entry][task][step]}, telling {@code done}. */
  @FunctionalInterface
  interface Runner {
    double[][][] curves(Problem problem, int steps, List<Entry> entries, long[] seeds, IntConsumer done);

    /** In this process: every (entry, task) pair in parallel. */
    Runner HERE = (problem, steps, entries, seeds, done) -> {
      double[][][] out = new double[entries.size()][seeds.length][];
      IntStream.range(0, entries.size() * seeds.length).parallel().forEach(k -> {
        int e = k / seeds.length, t = k % seeds.length;
        Task task = problem.sample(seeds[t]);
        out[e][t] = Evaluation.curve(task, entries.get(e).on(task), steps);
        done.accept(1);
      });
      return out;
    };

    /** Spread over the members of a cluster ({@link ClusterCurves}); every entry needs its recipe. */
    static Runner on(Cluster cluster) {
      return (problem, steps, entries, seeds, done) -> ClusterCurves.curves(cluster, problem, steps, entries.map(e ->
          Objects.requireNonNull(e.recipe(), () -> e.name() + " (" + e.setting() + ") cannot run on a cluster"))
          .asJava(), seeds, done);
    }
  }

  /** The baselines by lower-case name. */
  static List<String> baselineNames() {
    return Comparison.baselines().map(b -> b._1.toLowerCase(Locale.ROOT));
  }

  /** The units of progress that tuning these baselines takes (one per run of one task). */
  static long tuningWork(int baselines, double[] grid, int tuningTasks) {
    return (long) baselines * grid.length * tuningTasks;
  }

  /**
   * Tunes the named baselines' learning rates on the tuning tasks, every (baseline, rate, task) run
   * by {@code runner}; returns them at their best learning rate (a baseline that diverged at every
   * rate is left out, with a note).
   */
  static List<Entry> tunedBaselines(List<String> names, Problem problem, int steps, long[] tuningSeeds, double[] grid,
      Runner runner, Progress progress, AtomicLong done) {
    List<Tuple2<String, DoubleFunction<Optimizer>>> chosen = Comparison.baselines()
        .filter(b -> names.contains(b._1.toLowerCase(Locale.ROOT)));
    List<Entry> points = chosen.flatMap(b -> List.ofAll(grid).map(lr -> baseline(b, lr)));
    String what = "tuning " + chosen.map(b -> b._1).mkString(", ");
    progress.update(done.get(), what);
    double[][][] curves = runner.curves(problem, steps, points, tuningSeeds, n -> progress.update(done.addAndGet(n),
        what));
    List<Entry> out = List.empty();
    java.util.List<List<String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      double[] meanFinals = new double[grid.length];
      for (int j = 0; j < grid.length; j++) {
        meanFinals[j] = Evaluation.Summary.of("", curves[i * grid.length + j]).meanFinal();
      }
      Tuning.Result r = Tuning.select(chosen.get(i)._1, grid, meanFinals);
      rows.add(List.of(r.name(), r.allDiverged() ? "every rate diverged: left out" : Fmt.g(r.bestLr()),
          Fmt.g(r.bestScore()), r.atEdge() ? "at the grid's edge" : ""));
      if (!r.allDiverged()) out = out.append(baseline(chosen.get(i), r.bestLr()));
    }
    progress.println("learning rates tuned on " + tuningSeeds.length + " tuning tasks (grid " + Fmt.g(grid[0]) + " … "
        + Fmt.g(grid[grid.length - 1]) + ", " + grid.length + " values):\n"
        + Tables.grid(List.of("baseline", "best lr", "tuning loss", "note"), List.ofAll(rows), 1).stripTrailing());
    return out;
  }

  private static Entry baseline(Tuple2<String, DoubleFunction<Optimizer>> b, double lr) {
    return new Entry(b._1, "lr=" + Fmt.g(lr), b._2.apply(lr), false, Recipe.baseline(b._1, lr));
  }

  /** Every entry on the tasks of these seeds, {@code steps} steps each, in this process (tasks run in parallel). */
  static Results run(String title, Problem problem, int steps, long[] seeds, List<Entry> entries, Progress progress,
      AtomicLong done) {
    return run(title, problem, steps, seeds, entries, Runner.HERE, progress, done);
  }

  /** Every entry on the tasks of these seeds, {@code steps} steps each, run by {@code runner}. */
  static Results run(String title, Problem problem, int steps, long[] seeds, List<Entry> entries, Runner runner,
      Progress progress, AtomicLong done) {
    progress.update(done.get(), "testing");
    double[][][] c = runner.curves(problem, steps, entries, seeds, n -> progress.update(done.addAndGet(n), "testing"));
    return new Results(title, problem.name(), List.range(0, entries.size())
        .map(i -> Curves.of(entries.get(i).name(), entries.get(i).setting(), seeds, c[i])));
  }
}
