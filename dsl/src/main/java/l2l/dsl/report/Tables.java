package l2l.dsl.report;

import io.vavr.collection.List;
import java.util.ArrayList;
import java.util.Locale;

/** Plain-text tables: columns padded to their widest cell, numbers right-aligned. */
public final class Tables {
  private Tables() {}

  /**
   * The comparison table of results: per optimizer its setting, the mean final loss f(θ_T) with
   * its standard error over the tasks, log₁₀ of it, the mean loss at two earlier steps and how
   * many runs diverged; the lowest final loss is marked with '*'. A mean over runs of which one
   * diverged is ∞ (at a step after the divergence: –). Below, when the two lowest ran the same
   * tasks without diverging, their difference paired over the tasks ({@link #pairedLine}).
   */
  public static String results(Results r) {
    int steps = r.steps();
    List<Integer> marks = steps >= 10 ? List.of(steps / 5, steps / 2) : List.empty();
    List<String> header = List.of("optimizer", "setting", "mean f(θ_" + steps + ")", "± s.e.", "log10")
        .appendAll(marks.map(t -> "f(θ_" + t + ")")).append("diverged");
    double best = r.curves().map(c -> c.summary().meanFinal()).filter(Double::isFinite).min().getOrElse(Double.NaN);
    java.util.List<List<String>> rows = new ArrayList<>();
    for (Curves c : r.curves()) {
      double m = c.summary().meanFinal();
      List<String> row = List.of((m == best ? "* " : "  ") + c.name(), c.setting().isEmpty() ? "–" : c.setting(), Fmt.g(m),
          cell(c.summary().stderrFinal()), Double.isFinite(m) && m > 0 ? String.format(Locale.ROOT, "%.3f", Math.log10(m)) : "–");
      for (int t : marks) row = row.append(cell(c.summary().at(t)));
      rows.add(row.append(c.summary().diverged() + "/" + c.seeds().length));
    }
    String title = r.title() + "\n" + r.problem() + "; " + r.tasks() + " held-out tasks, " + steps
        + " steps; mean over tasks (* = lowest final loss)\n";
    List<Curves> finite = r.curves().filter(c -> Double.isFinite(c.summary().meanFinal()))
        .sortBy(c -> c.summary().meanFinal());
    String paired = finite.size() < 2 ? "" : pairedLine(finite.get(0), finite.get(1));
    return title + grid(header, List.ofAll(rows), 2) + paired;
  }

  /**
   * The mean of f(θ_T) of {@code a} minus that of {@code b} over the same tasks, with the standard
   * error of the per-task differences — the test of whether a beats b, far tighter than the two
   * standard errors of the table when the tasks' difficulty varies more than the optimizers do.
   * Empty when the tasks differ or a run diverged.
   */
  static String pairedLine(Curves a, Curves b) {
    double[] p = paired(a, b);
    if (p == null) return "";
    String ratio = p[1] > 0 ? " (" + Fmt.sigmas(p[0], p[1]) + " s.e.)" : "";
    return "paired over the same " + a.seeds().length + " tasks: " + a.label() + " − " + b.label() + " = " + Fmt.g(p[0])
        + " ± " + Fmt.g(p[1]) + ratio + "\n";
  }

  /**
   * {mean, standard error} of f(θ_T) of {@code a} minus f(θ_T) of {@code b} over their tasks, or null
   * when they ran other tasks or steps, on fewer than two tasks, or a run diverged.
   */
  static double[] paired(Curves a, Curves b) {
    int n = a.seeds().length, t = a.steps();
    if (!java.util.Arrays.equals(a.seeds(), b.seeds()) || b.steps() != t || n < 2) return null;
    double[] d = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      d[i] = a.perTask()[i][t] - b.perTask()[i][t];
      if (!Double.isFinite(d[i])) return null;
      mean += d[i] / n;
    }
    return new double[] {mean, l2l.dsl.Evaluation.standardError(d, mean)};
  }

  private static String cell(double v) {
    return Double.isNaN(v) ? "–" : Fmt.g(v);
  }

  /**
   * A table with a header row; the first {@code leftColumns} columns are left-aligned, the others
   * right-aligned.
   */
  public static String grid(List<String> header, List<List<String>> rows, int leftColumns) {
    int n = header.size();
    int[] w = new int[n];
    for (List<String> row : rows.prepend(header)) {
      for (int i = 0; i < n && i < row.size(); i++) w[i] = Math.max(w[i], row.get(i).codePointCount(0, row.get(i).length()));
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, w, leftColumns);
    for (int i = 0; i < n; i++) {
      sb.append("-".repeat(w[i]));
      if (i + 1 < n) sb.append("  ");
    }
    sb.append('\n');
    for (List<String> row : rows) line(sb, row, w, leftColumns);
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> row, int[] w, int left) {
    for (int i = 0; i < w.length; i++) {
      String c = i < row.size() ? row.get(i) : "";
      int pad = w[i] - c.codePointCount(0, c.length());
      if (i < left) {
        sb.append(c);
        if (i + 1 < w.length) sb.append(" ".repeat(pad));
      } else {
        sb.append(" ".repeat(pad)).append(c);
      }
      if (i + 1 < w.length) sb.append("  ");
    }
    sb.append('\n');
  }
}
