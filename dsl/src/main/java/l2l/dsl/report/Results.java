package l2l.dsl.report;

import io.vavr.collection.List;
import java.util.Objects;

/**
 * The result of running several optimizers on the same held-out tasks: what a table, a CSV and
 * JSON file and a plot show.
 *
 * @param title a one-line title, e.g. "quadratic: learned vs tuned baselines"
 * @param problem the problem's name with its settings
 * @param curves one entry per optimizer, in the order to show them (the learned ones first)
 */
public record Results(String title, String problem, List<Curves> curves) {
  /** Checks that every optimizer ran the same number of steps on the same tasks. */
  public Results {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(problem, "problem");
    if (curves.isEmpty()) throw new IllegalArgumentException("Results: no optimizers");
    int steps = curves.head().steps();
    for (Curves c : curves) {
      if (c.steps() != steps) {
        throw new IllegalArgumentException("Results: " + c.name() + " ran " + c.steps() + " steps, "
            + curves.head().name() + " " + steps);
      }
      if (!java.util.Arrays.equals(c.seeds(), curves.head().seeds())) {
        throw new IllegalArgumentException("Results: " + c.name() + " ran on other tasks than " + curves.head().name());
      }
    }
  }

  /** The number of steps T. */
  public int steps() {
    return curves.head().steps();
  }

  /** The number of tasks. */
  public int tasks() {
    return curves.head().seeds().length;
  }
}
