package l2l.dsl.examples;

import java.util.Locale;
import l2l.dsl.L2l;
import l2l.dsl.MetaTraining;
import l2l.dsl.Trained;

/** What the examples print while they train, and their arguments. */
final class Console {
  private Console() {}

  /**
   * Runs the meta-training, reading its snapshots: prints the epoch's final optimizee loss every
   * {@code n} epochs and every held-out evaluation.
   */
  static Trained train(L2l learning, int n) {
    MetaTraining.Snapshot last = learning.snapshots().foldLeft(learning.first(), (previous, s) -> {
      MetaTraining.EpochReport r = s.last();
      if (r.evaluated() || (r.epoch() + 1) % n == 0) {
        System.out.printf(Locale.ROOT, "  epoch %5d  final loss %-11.5g %s%n", r.epoch() + 1, r.finalLoss(),
            r.evaluated() ? String.format(Locale.ROOT, "held-out %.5g%s", r.evaluation(), r.best() ? " (best)" : "") : "");
      }
      return s;
    });
    return new Trained(learning.task(), last);
  }

  /** The integer argument i, or a default. */
  static int arg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }
}
