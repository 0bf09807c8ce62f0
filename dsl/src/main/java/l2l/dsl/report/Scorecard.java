package l2l.dsl.report;

import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where each learned optimizer stands against the best tuned baseline on several problems: per
 * problem its mean f(θ_T), the baseline with the lowest mean, and their difference paired over the
 * same tasks; then on how many problems it is below that baseline's mean, and on how many by at least
 * {@value #SIGNIFICANT} standard errors of the paired difference.
 */
public final class Scorecard {
  private Scorecard() {}

  /** The paired difference, in its standard errors, below which a win counts as significant: −2. */
  public static final double SIGNIFICANT = 2;

  /**
   * One learned optimizer on one problem.
   *
   * @param problem the problem as given
   * @param learned the learned optimizer's curves
   * @param best the baseline with the lowest finite mean f(θ_T), null if none is finite
   * @param paired {mean, standard error} of learned − best over the tasks, null if not defined (see {@link Tables})
   */
  public record Row(String problem, Curves learned, Curves best, double[] paired) {
    /** Whether the learned optimizer's mean f(θ_T) is below the best baseline's. */
    public boolean below() {
      return best != null && learned.summary().meanFinal() < best.summary().meanFinal();
    }

    /** Whether it is below by at least {@link #SIGNIFICANT} standard errors of the paired difference. */
    public boolean significantlyBelow() {
      return paired != null && paired[0] < 0 && paired[0] <= -SIGNIFICANT * paired[1];
    }
  }

  /**
   * Per learned optimizer (by {@link Curves#label()}, in the order of the first results), its row on
   * each problem.
   *
   * @param results each problem as given with its results
   * @param learned the names of the learned optimizers; every other curve is a baseline
   */
  public static List<Tuple2<String, List<Row>>> rows(List<Tuple2<String, Results>> results, Set<String> learned) {
    List<String> labels = results.flatMap(r -> r._2.curves()).filter(c -> learned.contains(c.name()))
        .map(Curves::label).distinct();
    return labels.map(label -> new Tuple2<>(label, results.flatMap(r -> {
      List<Curves> base = r._2.curves().filter(c -> !learned.contains(c.name()) && Double.isFinite(c.summary().meanFinal()));
      Curves best = base.minBy(c -> c.summary().meanFinal()).getOrNull();
      return r._2.curves().find(c -> c.label().equals(label))
          .map(c -> new Row(r._1, c, best, best == null ? null : Tables.paired(c, best)));
    })));
  }

  /** The scorecard as text: a table per learned optimizer and its counts. */
  public static String text(List<Tuple2<String, Results>> results, Set<String> learned) {
    Results first = results.head()._2;
    StringBuilder sb = new StringBuilder("scorecard: each learned optimizer against the tuned baseline with the lowest"
        + " mean on each problem; " + first.tasks() + " held-out tasks, " + first.steps() + " steps; difference paired"
        + " over the same tasks\n");
    for (Tuple2<String, List<Row>> o : rows(results, learned)) {
      List<List<String>> rows = o._2.map(r -> {
        String diff = r.paired() == null ? "–" : Fmt.g(r.paired()[0]) + " ± " + Fmt.g(r.paired()[1]);
        String z = r.paired() == null ? "–" : Fmt.sigmas(r.paired()[0], r.paired()[1]);
        return List.of(r.problem(), r.best() == null ? "–" : r.best().label(),
            r.best() == null ? "–" : Fmt.g(r.best().summary().meanFinal()), Fmt.g(r.learned().summary().meanFinal()),
            diff, z, r.significantlyBelow() ? "yes, ≥ " + (int) SIGNIFICANT + " s.e." : r.below() ? "yes" : "no");
      });
      sb.append('\n').append(o._1).append('\n');
      sb.append(Tables.grid(List.of("problem", "best tuned baseline", "its mean f(θ_" + first.steps() + ")", "learned",
          "learned − best", "in s.e.", "below"), rows, 2).replaceAll(" +\n", "\n"));
      sb.append(String.format(Locale.ROOT, "below the best tuned baseline's mean on %d of %d problems, by at least %d"
          + " standard errors of the paired difference on %d%n", o._2.count(Row::below), o._2.size(), (int) SIGNIFICANT,
          o._2.count(Row::significantlyBelow)));
    }
    return sb.toString();
  }
}
