package l2l.dsl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import l2l.autodiff.Gemm;
import l2l.dsl.Comparison;
import l2l.dsl.MetaTask;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.dsl.MetaTraining;
import l2l.dsl.Tuning;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.RunLock;
import l2l.dsl.io.TrainSettings;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Reports;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code l2l demo}: the README's main job. Meta-trains the paper's quadratic optimizer (by default with
 * log-and-sign preprocessing and the log meta-loss; {@code --recipe original} for the original code's settings),
 * then compares it with tuned baselines.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"The main job: meta-train the coordinatewise LSTM on the paper's quadratic (128 functions"
        + " ‖Wθ − y‖² in 10 dimensions, LSTM 20x20, horizon 100, unroll 20, first-order meta-gradient, Adam 1e-3,"
        + " held-out validation every 100 epochs on 20 tasks), then compare it on 100 held-out test tasks with SGD,"
        + " NAG, RMSprop and Adam, each at its best learning rate of 10^-4 … 10^1 (half decades) on 20 tuning tasks.",
        "",
        "The default --recipe improved differs from the original code in two measured ways: the gradient is"
            + " preprocessed with log-and-sign (k = 5) and the meta-loss of a truncation is Σ log f(θ_t) instead of"
            + " Σ f(θ_t); with them 1000 epochs reach what the original needs 10000 for. --recipe original runs the"
            + " original settings (no preprocessing, linear meta-loss).",
        "",
        "Leaves table.txt, curves.csv, curves.json and loss.png in --out (and the trained optimizer in --out/train);"
            + " running it again continues a stopped training.", ""},
    footer = {"", "Examples:", "  l2l demo", "  l2l demo --recipe original --epochs 10000 --out runs/demo-original"})
final class DemoCommand implements Callable<Integer> {
  /** The epochs of the demo: see the README for how this was chosen. */
  static final int EPOCHS = 1000;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/demo",
      description = "Where everything goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + EPOCHS,
      description = "Meta-training epochs (default: ${DEFAULT-VALUE}; the original: 10000).")
  int epochs;

  @Option(names = "--recipe", paramLabel = "NAME", defaultValue = "improved",
      description = "improved (log-and-sign k=5 preprocessing, log meta-loss) or original (the original code's"
          + " quadratic settings) (default: ${DEFAULT-VALUE}).")
  String recipe;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of φ₀ and of the training, validation, tuning and test tasks (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tasks", paramLabel = "N", defaultValue = "100", description = "Test tasks (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--tuning-tasks", paramLabel = "N", defaultValue = "20",
      description = "Tuning tasks per learning rate (default: ${DEFAULT-VALUE}).")
  int tuningTasks;

  @Mixin
  RunOptions run = new RunOptions();

  @Override
  public Integer call() {
    run.validate(spec);
    Usage.require(spec, epochs >= 1, "--epochs must be at least 1, got " + epochs);
    Inputs.positive(spec, "--tasks", tasks);
    Inputs.positive(spec, "--tuning-tasks", tuningTasks);
    Path folder = Inputs.outputFolder(spec, "--out", out);
    Path trainFolder = Inputs.outputFolder(spec, "--out", folder.resolve("train"));
    Usage.require(spec, recipe.equals("improved") || recipe.equals("original"),
        "--recipe must be improved or original, got '" + recipe + "'");
    boolean improved = recipe.equals("improved");
    String problemSpec = "quadratic";
    Problem problem = Inputs.problem(spec, problemSpec);
    OptimizerSpecs.Parsed adam = Inputs.optimizer(spec, "", TrainCommand.META_OPTIMIZER);
    LstmConfig architecture = improved ? LstmConfig.quadratic().withPreprocess(Preprocess.logAndSign(5))
        : LstmConfig.quadratic();
    MetaTask task = MetaTask.of(CoordinatewiseLstm.of(architecture), problem)
        .withStepLoss(improved ? StepLoss.LOG : StepLoss.LINEAR).withSeed(seed);
    TrainSettings settings = new TrainSettings(task, MetaTraining.Plan.of(epochs), adam.spec(), 50);
    try (RunLock lock = Inputs.lock(spec, "--out", trainFolder)) {
      MetaTraining.Snapshot from = null;
      if (Files.exists(trainFolder.resolve(Checkpoint.FILE_NAME))) {
        Checkpoint c = Usage.check(spec, "", () -> Checkpoint.load(trainFolder));
        Usage.require(spec, c.settings().withEpochs(epochs).equals(settings) && c.snapshot().nextEpoch() <= epochs,
            trainFolder + " holds another run; choose another --out");
        from = c.snapshot();
        MetaTraining.Snapshot snap = from;
        Usage.check(spec, trainFolder.toString(), () -> {
          Trainer.requireStateFits(adam.optimizer(), snap);
          return null;
        });
      }
      run.apply();
      PrintWriter o = spec.commandLine().getOut();
      long t0 = System.nanoTime();
      o.println("l2l demo: " + TrainCommand.describe(settings));
      o.println("matrix products: " + Gemm.backend() + "; threads: " + run.threads);
      Trainer.removeTemporaries(trainFolder, o);
      if (from != null) o.println("continuing the training in " + trainFolder + " from epoch " + (from.nextEpoch() + 1));
      Trainer.Outcome r = Trainer.run(settings, adam.optimizer(), trainFolder, from, 0, run.progress, o);
      o.print(Trainer.summary(r.snapshot(), trainFolder));
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      Path file = trainFolder.resolve(Trainer.BEST);
      OptimizerFile trained = OptimizerFile.load(file);
      double[] grid = Tuning.halfDecades(1e-4, 10);
      CompareCommand.Plan plan = new CompareCommand.Plan(problem, problemSpec, 100, Comparison.testSeeds(seed, tasks),
          Comparison.tuningSeeds(seed, tuningTasks), grid, Evaluator.baselineNames(),
          io.vavr.collection.List.of(new Evaluator.Entry("LSTM", epochs + " epochs" + (improved ? "" : ", original"), trained.optimizer(), true)), folder,
          io.vavr.collection.List.empty(), io.vavr.control.Option.none());
      o.println();
      o.println("comparing with tuned baselines on " + tasks + " held-out test tasks …");
      CompareCommand.execute(plan, "quadratic: LSTM optimizer (" + epochs + " meta-training epochs) vs tuned baselines",
          run.progress, o);
      double total = (System.nanoTime() - t0) / 1e9;
      o.println(String.format(Locale.ROOT, "demo done in %s (meta-training %s, comparison %s); results in %s: %s, %s, %s,"
          + " %s", Fmt.duration(total), Fmt.duration(trainSeconds), Fmt.duration(total - trainSeconds),
          folder.toAbsolutePath().normalize(), Reports.TABLE, Reports.CSV, Reports.JSON, Reports.PLOT));
      o.flush();
      return 0;
    }
  }
}
