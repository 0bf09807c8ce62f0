package l2l.dsl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where and how optimizers are tested: problem, steps, tasks, seed, output folder. */
final class TestOptions {
  @Option(names = "--pretrained", paramLabel = "NAME", split = ",", completionCandidates = PretrainedNames.class,
      description = "Pretrained optimizers shipped in the jar (${COMPLETION-CANDIDATES}), instead of or besides FILE;"
          + " repeat or join with ','.")
  java.util.List<String> pretrained = new java.util.ArrayList<>();

  /** The names of the pretrained optimizers, for the help text. */
  static final class PretrainedNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return l2l.dsl.LearnedOptimizers.names().iterator();
    }
  }

  @Option(names = "--problem", paramLabel = "SPEC",
      description = "The problem (see 'l2l problems'); default: the problem the (first) optimizer was trained on,"
          + " else quadratic. Repeat it for several: each goes into its own folder FOLDER/NAME (NAME: the spec with"
          + " ':', '=', ',' and '+' as '_'), and 'compare' writes FOLDER/scorecard.txt: per learned optimizer, on how"
          + " many problems it is below the best tuned baseline. Run again, a problem whose folder holds the same"
          + " comparison's results is not run again.")
  java.util.List<String> problems = new java.util.ArrayList<>();

  @Option(names = "--steps", paramLabel = "N",
      description = "Optimizer steps per task; default: the (first) optimizer's training horizon, else 100.")
  Integer steps;

  @Option(names = "--tasks", paramLabel = "N", defaultValue = "100",
      description = "Held-out test tasks (default: ${DEFAULT-VALUE}, the original's).")
  int tasks;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the test (and tuning) tasks; they never coincide with training or validation tasks"
          + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--guard", paramLabel = "SPEC",
      description = "Also run each learned optimizer guarded (Transforms.guard): beside it runs SPEC alone, and each"
          + " step ends at the learned run's point unless its loss on the step's batch is above SPEC's by more"
          + " than --guard-tolerance (smoothed over steps by --guard-smoothing), else at SPEC's. SPEC is an optimizer"
          + " as in --meta-optimizer (e.g. adam:lr=0.0316), 'base' (each optimizer's own base step, --base of its"
          + " training), or the name of a baseline that 'compare' tunes (e.g. adam: at its tuned rate).")
  String guard;

  @Option(names = "--guard-tolerance", paramLabel = "T", defaultValue = "0",
      description = "The loss a guarded step may end above the fallback's run (default: ${DEFAULT-VALUE}).")
  double guardTolerance;

  @Option(names = "--guard-smoothing", paramLabel = "S", defaultValue = "0",
      description = "How the guard smooths the gap between the two runs' losses: g ← S·g + (1 − S)·gap, S in [0, 1);"
          + " 0 judges every step alone (default: ${DEFAULT-VALUE}).")
  double guardSmoothing;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/results",
      description = "Where table.txt, curves.csv, curves.json and loss.png go (default: ${DEFAULT-VALUE}).")
  Path out;
}
