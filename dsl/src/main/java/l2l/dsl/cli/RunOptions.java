package l2l.dsl.cli;

import l2l.optimizers.learned.RowParallel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every working command has: threads and how progress is shown. */
final class RunOptions {
  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads for the coordinates of the learned optimizer (default: the number of cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "How to show progress: auto (a bar on a terminal, else a line every 5%%), bar, lines, none"
          + " (default: ${DEFAULT-VALUE}).")
  Progress.Mode progress;

  /** Checks the values. */
  void validate(CommandSpec spec) {
    Usage.require(spec, threads >= 1, "--threads must be at least 1, got " + threads);
  }

  /** Applies the thread count. */
  void apply() {
    RowParallel.setThreads(threads);
  }
}
