package l2l.dsl;

import io.vavr.collection.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.problems.Problem;

/**
 * Several optimizers on the same held-out tasks: every entry runs on the tasks of the same seeds
 * (so the same θ₀ and minibatches), and {@link #table} prints the paper's numbers. Baselines are
 * tuned on tuning tasks ({@link #tuningSeeds}) that are disjoint from the test tasks
 * ({@link #testSeeds}), so the comparison is on tasks no learning rate was chosen on.
 */
public final class Comparison {
  private Comparison() {}

  /**
   * One optimizer to compare.
   *
   * @param name its name in the table
   * @param optimizer the rule
   * @param lr its (tuned) learning rate for the table, NaN if it has none (a learned optimizer)
   */
  public record Entry(String name, Optimizer optimizer, double lr) {
    /** Checks the name and rule. */
    public Entry {
      Objects.requireNonNull(name, "Comparison.Entry: name");
      Objects.requireNonNull(optimizer, "Comparison.Entry: optimizer");
    }

    /** An entry without a learning rate (e.g. a learned optimizer). */
    public static Entry of(String name, Optimizer optimizer) {
      return new Entry(name, optimizer, Double.NaN);
    }
  }

  /** The seeds of {@code n} tuning tasks: {@code Evaluation.seeds(base, "tuning", n)}. */
  public static long[] tuningSeeds(long base, int n) {
    return Evaluation.seeds(base, "tuning", n);
  }

  /** The seeds of {@code n} test tasks: {@code Evaluation.seeds(base, "test", n)}, disjoint from the tuning ones. */
  public static long[] testSeeds(long base, int n) {
    return Evaluation.seeds(base, "test", n);
  }

  /**
   * The paper's baselines as PyTorch's defaults with a learning rate to tune: SGD, NAG (Nesterov
   * momentum 0.9), RMSprop (α = 0.99, ε = 1e-8) and Adam (β = (0.9, 0.999), ε = 1e-8), by name.
   */
  public static List<io.vavr.Tuple2<String, DoubleFunction<Optimizer>>> baselines() {
    return List.of(baseline("SGD", Optimizers::sgd), baseline("NAG", Optimizers::nag),
        baseline("RMSprop", Optimizers::rmsprop), baseline("Adam", Optimizers::adam));
  }

  private static io.vavr.Tuple2<String, DoubleFunction<Optimizer>> baseline(String name, DoubleFunction<Optimizer> f) {
    return new io.vavr.Tuple2<>(name, f);
  }

  /** The grid search of each baseline of {@link #baselines()} on the tuning tasks. */
  public static List<Tuning.Result> tuneBaselines(Problem problem, int steps, long[] tuningSeeds, double[] grid) {
    return baselines().map(b -> Tuning.learningRate(b._1, b._2, grid, problem, steps, tuningSeeds));
  }

  /**
   * SGD, NAG, RMSprop and Adam, each at its best learning rate of the grid on the tuning tasks. A
   * baseline that diverged at every learning rate is left out (its {@link #tuneBaselines} result says so).
   */
  public static List<Entry> tunedBaselines(Problem problem, int steps, long[] tuningSeeds, double[] grid) {
    return entries(tuneBaselines(problem, steps, tuningSeeds, grid));
  }

  /** The entries of tuned baselines (those with a finite best score). */
  public static List<Entry> entries(List<Tuning.Result> tuned) {
    List<io.vavr.Tuple2<String, DoubleFunction<Optimizer>>> make = baselines();
    return tuned.filter(r -> !r.allDiverged()).map(r -> {
      DoubleFunction<Optimizer> f = make.find(b -> b._1.equals(r.name())).map(b -> b._2).getOrElseThrow(
          () -> new IllegalArgumentException("Comparison.entries: " + r.name() + " is not a known baseline"));
      return new Entry(r.name(), f.apply(r.bestLr()), r.bestLr());
    });
  }

  /**
   * Every entry on the tasks of the same seeds, {@code steps} steps each: one summary per entry,
   * in order, named as the entry.
   */
  public static List<Evaluation.Summary> run(Problem problem, int steps, long[] testSeeds, List<Entry> entries) {
    if (testSeeds.length == 0) throw new IllegalArgumentException("Comparison.run: no test tasks");
    return entries.map(e -> Evaluation.Summary.of(e.name(), Evaluation.curves(problem, e.optimizer(), steps, testSeeds)));
  }

  /**
   * A plain-text table: optimizer, learning rate, the mean loss at each of {@code atSteps} (those
   * within the curves), the mean final loss ± its standard error, its log₁₀ and the number of
   * diverged runs.
   */
  public static String table(List<Entry> entries, List<Evaluation.Summary> summaries, int... atSteps) {
    if (entries.size() != summaries.size()) {
      throw new IllegalArgumentException("Comparison.table: " + entries.size() + " entries but " + summaries.size()
          + " summaries");
    }
    int last = summaries.isEmpty() ? 0 : summaries.head().meanCurve().length - 1;
    List<Integer> steps = List.ofAll(atSteps).filter(t -> t >= 0 && t < last);
    int width = Math.max(9, entries.map(e -> e.name().length()).max().getOrElse(0));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-" + width + "s %10s", "optimizer", "lr"));
    for (int t : steps) sb.append(String.format(Locale.ROOT, " %12s", "f(θ_" + t + ")"));
    sb.append(String.format(Locale.ROOT, " %24s %8s %8s%n", "mean f(θ_" + last + ") ± se", "log10", "diverged"));
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Evaluation.Summary s = summaries.get(i);
      sb.append(String.format(Locale.ROOT, "%-" + width + "s %10s", e.name(),
          Double.isNaN(e.lr()) ? "–" : String.format(Locale.ROOT, "%.3g", e.lr())));
      for (int t : steps) sb.append(String.format(Locale.ROOT, " %12.5g", s.at(t)));
      String fin = Double.isFinite(s.meanFinal()) ? String.format(Locale.ROOT, "%.5g ± %.2g", s.meanFinal(),
          s.stderrFinal()) : "∞ (diverged)";
      double lg = s.meanFinal() > 0 && Double.isFinite(s.meanFinal()) ? Math.log10(s.meanFinal()) : Double.NaN;
      sb.append(String.format(Locale.ROOT, " %24s %8.3f %8d%n", fin, lg, s.diverged()));
    }
    return sb.toString();
  }
}
