package l2l.dsl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import l2l.dsl.MetaGradient;
import l2l.dsl.MetaTraining;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.TrainSettings;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l train}: meta-train a learned optimizer, with checkpoints, and save it. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = L2l.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Meta-train the coordinatewise LSTM optimizer on a problem (the paper's section 3) and save it.",
        "",
        "The run's folder (--out) gets checkpoint.json (every --checkpoint-every epochs and at the end),"
            + " optimizer.json (the φ selected by held-out validation), optimizer-last.json (the last φ),"
            + " training.csv and training.png. A stopped or killed run continues with --resume FOLDER and ends"
            + " exactly where an uninterrupted run ends.", ""},
    footer = {"", "Examples:", "  l2l train --problem quadratic --epochs 1000 --out runs/quad",
        "  l2l train --problem mnist --epochs 400 --evaluate-every 50 --out runs/mnist",
        "  l2l train --resume runs/quad", "  l2l train --resume runs/quad --epochs 2000   (extend a finished run)"})
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--problem", paramLabel = "SPEC", defaultValue = "quadratic",
      description = "The problem: NAME or NAME:key=value,... (see 'l2l problems'); default: ${DEFAULT-VALUE}.")
  String problem;

  @Mixin
  ArchitectureOptions architecture = new ArchitectureOptions();

  @Option(names = "--horizon", paramLabel = "STEPS", defaultValue = "100",
      description = "Optimizee steps per epoch (default: ${DEFAULT-VALUE}, the original).")
  int horizon;

  @Option(names = "--unroll", paramLabel = "STEPS", defaultValue = "20",
      description = "Optimizee steps per truncation, one meta-step each; at most the horizon (default: ${DEFAULT-VALUE}).")
  int unroll;

  @Option(names = "--meta-gradient", paramLabel = "MODE", defaultValue = "first-order",
      description = "first-order (the paper's: drop ∂∇f/∂φ) or second-order (exact); default: ${DEFAULT-VALUE}.")
  String metaGradient;

  @Option(names = "--step-loss", paramLabel = "KIND", defaultValue = "linear",
      description = "How each optimizee step's loss f enters the meta-loss: linear (Σ f, the paper's) or log"
          + " (Σ log f, which weighs every step's relative progress alike); default: ${DEFAULT-VALUE}.")
  String stepLoss;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "double",
      description = "The LSTM's arithmetic in first-order meta-training: double, or float32 (single precision, about"
          + " twice as fast; θ, gradients and the meta-gradient's sums stay double); default: ${DEFAULT-VALUE}.")
  String precision;

  @Option(names = "--meta-optimizer", paramLabel = "SPEC", defaultValue = "adam:lr=0.001",
      description = "The optimizer of φ (default: ${DEFAULT-VALUE}, the original): " + OptimizerSpecs.HELP
          + ". E.g. adam:lr=0.003,clip=1,schedule=cosine.")
  String metaOptimizer;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "1000",
      description = "Epochs in all, one fresh task each (default: ${DEFAULT-VALUE}; the original ran 10000).")
  int epochs;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of φ₀, the training tasks and the validation tasks (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--evaluate-every", paramLabel = "N", defaultValue = "100",
      description = "Evaluate φ on held-out tasks every N epochs and after the last, keeping the best (default: ${DEFAULT-VALUE}).")
  int evaluateEvery;

  @Option(names = "--evaluation-tasks", paramLabel = "N", defaultValue = "20",
      description = "Held-out tasks per evaluation (default: ${DEFAULT-VALUE}).")
  int evaluationTasks;

  @Option(names = "--max-non-finite", paramLabel = "N", defaultValue = "10",
      description = "Stop after N truncations in a row with a non-finite meta-loss (default: ${DEFAULT-VALUE}).")
  int maxNonFinite;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "25",
      description = "Save a checkpoint every N epochs, and at the end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/train",
      description = "The run's folder (default: ${DEFAULT-VALUE}); it must not hold another run.")
  Path out;

  @Option(names = "--resume", paramLabel = "FOLDER",
      description = "Continue the run in FOLDER from its checkpoint, with its settings (only --epochs, --threads and"
          + " --progress may be given with it).")
  Path resume;

  @Option(names = "--stop-after", paramLabel = "N", hidden = true, defaultValue = "0",
      description = "Stop after N epochs of this session as if killed (for testing --resume).")
  int stopAfter;

  @Mixin
  RunOptions run = new RunOptions();

  /** A fully checked run, ready to start. */
  record Prepared(TrainSettings settings, Problem problem, OptimizerSpecs.Parsed metaOptimizer, Path folder,
      MetaTraining.Snapshot from) {}

  @Override
  public Integer call() {
    Prepared p = prepare();
    run.apply();
    PrintWriter o = spec.commandLine().getOut();
    o.println((p.from() == null ? "meta-training " : "resuming at epoch " + (p.from().nextEpoch() + 1) + ": ")
        + describe(p.settings(), p.problem()) + "; folder " + p.folder());
    Trainer.Outcome r = Trainer.run(p.settings(), p.problem(), p.metaOptimizer().optimizer(), p.folder(), p.from(),
        stopAfter, run.progress, o);
    if (r.complete()) {
      o.print(Trainer.summary(r.snapshot(), p.folder()));
      o.println("trained optimizer: " + p.folder().resolve(Trainer.BEST));
    }
    o.flush();
    return 0;
  }

  static String describe(TrainSettings s, Problem problem) {
    return s.architecture().describe() + " on " + problem.name() + ", horizon " + s.horizon() + ", unroll " + s.unroll()
        + ", " + TrainSettings.label(s.metaGradient()) + " meta-gradient, " + TrainSettings.label(s.stepLoss())
        + " step loss, " + s.precision().label() + " precision, meta-optimizer " + s.metaOptimizer() + ", "
        + s.epochs() + " epochs, seed " + s.seed();
  }

  /** Checks every option and input; throws a usage error before any work. */
  Prepared prepare() {
    run.validate(spec);
    Usage.require(spec, stopAfter >= 0, "--stop-after must be ≥ 0, got " + stopAfter);
    if (resume != null) return prepareResume();
    Inputs.positive(spec, "--horizon", horizon);
    Inputs.positive(spec, "--unroll", unroll);
    Usage.require(spec, unroll <= horizon, "--unroll " + unroll + " is longer than --horizon " + horizon
        + "; a truncation cannot be longer than an epoch");
    Usage.require(spec, epochs >= 0, "--epochs must be ≥ 0, got " + epochs);
    Inputs.positive(spec, "--evaluate-every", evaluateEvery);
    Inputs.positive(spec, "--evaluation-tasks", evaluationTasks);
    Inputs.positive(spec, "--max-non-finite", maxNonFinite);
    Inputs.positive(spec, "--checkpoint-every", checkpointEvery);
    MetaGradient mode = Inputs.metaGradient(spec, metaGradient);
    StepLoss ell = TrainSettings.stepLoss(stepLoss);
    Usage.require(spec, ell != null, "--step-loss must be linear or log, got '" + stepLoss + "'");
    Precision prec = Precision.parse(precision);
    Usage.require(spec, prec != null, "--precision must be double or float32, got '" + precision + "'");
    var config = architecture.config(spec, problem);
    long metaSteps = (long) epochs * ((horizon + unroll - 1) / unroll);
    OptimizerSpecs.Parsed meta = Inputs.optimizer(spec, "--meta-optimizer",
        OptimizerSpecs.resolveSchedule(metaOptimizer, metaSteps));
    Problem prob = Inputs.problem(spec, problem);
    Usage.require(spec, !Files.exists(out.resolve(Checkpoint.FILE_NAME)), "--out " + out
        + " already holds a run; continue it with --resume " + out + " or choose another --out");
    Path folder = Inputs.outputFolder(spec, "--out", out);
    TrainSettings s = Usage.check(spec, "", () -> new TrainSettings(problem.trim(), config, horizon, unroll, mode,
        meta.spec(), epochs, evaluateEvery, evaluationTasks, maxNonFinite, seed, checkpointEvery, ell, prec));
    return new Prepared(s, prob, meta, folder, null);
  }

  private Prepared prepareResume() {
    var pr = spec.commandLine().getParseResult();
    for (String o : new String[] {"--problem", "--horizon", "--unroll", "--meta-gradient", "--step-loss", "--precision",
        "--meta-optimizer", "--seed",
        "--evaluate-every", "--evaluation-tasks", "--max-non-finite", "--checkpoint-every", "--out", "--preset",
        "--hidden", "--preprocess", "--scale", "--forget-bias", "--init", "--gac"}) {
      Usage.require(spec, !pr.hasMatchedOption(o), o + " cannot be changed when resuming: a resumed run keeps the"
          + " settings in its checkpoint (only --epochs, --threads and --progress may be given)");
    }
    Usage.require(spec, Files.isDirectory(resume), "--resume " + resume + ": no such folder");
    Checkpoint c = Usage.check(spec, "", () -> Checkpoint.load(resume));
    TrainSettings s = c.settings();
    if (pr.hasMatchedOption("--epochs")) {
      Usage.require(spec, epochs >= c.snapshot().nextEpoch(), "--epochs " + epochs + " is fewer than the "
          + c.snapshot().nextEpoch() + " epochs the checkpoint has already run");
      s = s.withEpochs(epochs);
    }
    Problem prob = Inputs.problem(spec, s.problem());
    OptimizerSpecs.Parsed meta = Inputs.optimizer(spec, "the checkpoint's meta-optimizer", s.metaOptimizer());
    Usage.check(spec, "--resume " + resume, () -> {
      Trainer.requireStateFits(meta.optimizer(), c.snapshot());
      return null;
    });
    Path folder = Inputs.outputFolder(spec, "--resume", resume);
    return new Prepared(s, prob, meta, folder, c.snapshot());
  }
}
