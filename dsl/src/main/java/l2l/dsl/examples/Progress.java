package l2l.dsl.examples;

import java.util.Locale;
import l2l.dsl.MetaTraining;

/** Progress lines for the examples: every n-th epoch and every evaluation. */
final class Progress {
  private Progress() {}

  /** Prints the epoch's final optimizee loss every {@code n} epochs, and every held-out evaluation. */
  static MetaTraining.Listener every(int n) {
    return (r, s) -> {
      if (r.evaluated() || (r.epoch() + 1) % n == 0) {
        System.out.printf(Locale.ROOT, "  epoch %5d  final loss %-11.5g %s%n", r.epoch() + 1, r.finalLoss(),
            r.evaluated() ? String.format(Locale.ROOT, "held-out %.5g%s", r.evaluation(), r.best() ? " (best)" : "") : "");
      }
    };
  }

  /** The integer argument i, or a default. */
  static int arg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }
}
