package l2l.dsl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import l2l.autodiff.Tree;
import l2l.dsl.LearnedOptimizers;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.dsl.io.OptimizerFile;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.dsl.MetaBatch;
import l2l.dsl.cluster.Cluster;
import l2l.dsl.cluster.ClusterWorkers;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.RunLock;
import l2l.dsl.io.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l train}: meta-train a learned optimizer, with checkpoints, and save it. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Meta-train a learned optimizer on a problem (the paper's section 3) and save it.",
        "",
        "The run's folder (--out) gets checkpoint.json (every --checkpoint-every epochs and at the end),"
            + " optimizer.json (the φ selected by held-out validation), optimizer-last.json (the last φ),"
            + " training.csv and training.png. A stopped or killed run continues with --resume FOLDER and ends"
            + " exactly where an uninterrupted run ends.", ""},
    footer = {"", "Examples:", "  l2l train --problem quadratic --epochs 1000 --out runs/quad",
        "  l2l train --problem mnist --epochs 400 --evaluate-every 50 --out runs/mnist",
        "  l2l train --architecture rnnprop --problem mnist --epochs 400 --out runs/rnnprop",
        "  l2l train --resume runs/quad", "  l2l train --resume runs/quad --epochs 2000   (extend a finished run)"})
final class TrainCommand implements Callable<Integer> {
  /** The epochs of a run unless --epochs says otherwise. */
  static final int EPOCHS = 1000;
  /** The meta-optimizer unless --meta-optimizer says otherwise (the original code's). */
  static final String META_OPTIMIZER = "adam:lr=0.001";

  @Spec
  CommandSpec spec;

  @Mixin
  MetaTaskOptions task = new MetaTaskOptions();

  @Mixin
  PlanOptions plan = new PlanOptions();

  @Option(names = "--meta-optimizer", paramLabel = "SPEC",
      description = "The optimizer of φ (default: " + META_OPTIMIZER + ", the original): " + OptimizerSpecs.HELP
          + ". E.g. adam:lr=0.003,clip=1,schedule=cosine.")
  String metaOptimizer;

  @Option(names = "--start", paramLabel = "FILE",
      description = "Start φ from this trained optimizer file, or pretrained:NAME for one shipped in the jar (fine-tune"
          + " it; its architecture is the run's, so leave out the architecture options). Default: g's initialisation.")
  String start;

  @Option(names = "--imitate", paramLabel = "SPEC",
      description = "Warm start: before the first epoch, train φ to reproduce the steps of this tuned analytic optimizer"
          + " (" + OptimizerSpecs.HELP + ") along its own runs of the problem's tasks, with --imitation-optimizer"
          + " (Chen et al. 2020). E.g. adam:lr=0.0316. Default: none.")
  String imitate;

  @Option(names = "--imitation-tasks", paramLabel = "N", defaultValue = "20",
      description = "Tasks of the teacher's to imitate with --imitate (default: ${DEFAULT-VALUE}).")
  int imitationTasks;

  @Option(names = "--imitation-optimizer", paramLabel = "SPEC",
      description = "The optimizer of φ while imitating (default: the --meta-optimizer's spec, a fresh state).")
  String imitationOptimizer;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "25",
      description = "Save a checkpoint every N epochs, and at the end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/train",
      description = "The run's folder (default: ${DEFAULT-VALUE}); it must not hold another run.")
  Path out;

  @Option(names = "--resume", paramLabel = "FOLDER",
      description = "Continue the run in FOLDER from its checkpoint, with its settings (only --epochs, --threads,"
          + " --progress and the cluster's options may be given with it).")
  Path resume;

  @Option(names = "--stop-after", paramLabel = "N", hidden = true, defaultValue = "0",
      description = "Stop after N epochs of this session as if killed (for testing --resume).")
  int stopAfter;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Mixin
  RunOptions run = new RunOptions();

  /** A fully checked run, ready to start, with its folder locked. */
  record Prepared(TrainSettings settings, OptimizerSpecs.Parsed metaOptimizer, Path folder, MetaTraining.Snapshot from,
      Tree phi0, RunLock lock) {}

  @Override
  public Integer call() {
    Prepared p = prepare();
    try (RunLock lock = p.lock()) {
      run.apply();
      PrintWriter o = spec.commandLine().getOut();
      Trainer.removeTemporaries(p.folder(), o);
      o.println((p.from() == null ? "meta-training " : "resuming at epoch " + (p.from().nextEpoch() + 1) + ": ")
          + describe(p.settings()) + (p.from() == null && start != null ? ", starting from " + start : "") + "; folder "
          + p.folder());
      try (Cluster c = cluster.given() ? cluster.join(true, o) : null;
          ClusterWorkers w = c == null ? null : new ClusterWorkers(c)) {
        Trainer.Outcome r = Trainer.run(p.settings(), p.metaOptimizer().optimizer(), p.folder(), p.from(), p.phi0(), stopAfter,
            run.progress, o, w == null ? MetaBatch.Workers.LOCAL : w);
        if (r.complete()) {
          o.print(Trainer.summary(r.snapshot(), p.folder()));
          o.println("trained optimizer: " + p.folder().resolve(Trainer.BEST));
        }
      }
      o.flush();
      return 0;
    }
  }

  /** One line on a run's settings. */
  static String describe(TrainSettings s) {
    return s.task().describe() + ", meta-optimizer " + s.metaOptimizer() + ", " + s.plan().epochs() + " epochs"
        + (s.plan().metaBatch() > 1 ? " of " + s.plan().metaBatch() + " tasks per meta-step" : "")
        + s.plan().validation().map(v -> ", selecting φ on " + v.name()).getOrElse("")
        + s.imitation().map(i -> ", warm start imitating " + i.teacher() + " on " + i.tasks() + " tasks with "
            + i.optimizer()).getOrElse("");
  }

  /** Checks every option and input and locks the run's folder; throws a usage error before any work. */
  Prepared prepare() {
    run.validate(spec);
    cluster.validate(spec, false);
    Usage.require(spec, stopAfter >= 0, "--stop-after must be ≥ 0, got " + stopAfter);
    if (resume != null) return prepareResume();
    Inputs.positive(spec, "--checkpoint-every", checkpointEvery);
    OptimizerFile startFile = start == null ? null : start.startsWith("pretrained:")
        ? Usage.check(spec, "--start", () -> LearnedOptimizers.pretrained(start.substring("pretrained:".length())))
        : Inputs.optimizerFile(spec, Path.of(start));
    Usage.require(spec, startFile == null || !task.architecture.anyGiven(), "--start " + start + " gives the"
        + " architecture (" + (startFile == null ? "" : startFile.architecture().describe()) + "); leave out the"
        + " architecture options");
    var t = startFile == null ? task.task(spec) : task.task(spec, Usage.check(spec, "", () -> MetaTask.of(
        CoordinatewiseLstm.of(startFile.architecture()), Inputs.problem(spec, task.problemSpec(startFile.training().problem())))));
    MetaTraining.Plan p = plan.plan(spec, MetaTraining.Plan.of(EPOCHS));
    long metaSteps = (long) p.epochs() * t.truncationsPerEpoch();
    OptimizerSpecs.Parsed meta = Inputs.optimizer(spec, "--meta-optimizer",
        OptimizerSpecs.resolveSchedule(metaOptimizer != null ? metaOptimizer : META_OPTIMIZER, metaSteps));
    for (String o : new String[] {"--imitation-tasks", "--imitation-optimizer"}) {
      Usage.require(spec, imitate != null || !spec.commandLine().getParseResult().hasMatchedOption(o),
          o + " needs --imitate (the optimizer to imitate)");
    }
    Inputs.positive(spec, "--imitation-tasks", imitationTasks);
    String imitating = imitationOptimizer == null ? meta.spec()
        : Inputs.optimizer(spec, "--imitation-optimizer", OptimizerSpecs.resolveSchedule(imitationOptimizer,
            (long) imitationTasks * t.truncationsPerEpoch())).spec();
    io.vavr.control.Option<TrainSettings.Imitate> im = io.vavr.control.Option.of(imitate)
        .map(text -> new TrainSettings.Imitate(Inputs.optimizer(spec, "--imitate", text).spec(), imitationTasks,
            imitating));
    TrainSettings s = Usage.check(spec, "", () -> new TrainSettings(t, p, meta.spec(), checkpointEvery, im));
    Path folder = Inputs.outputFolder(spec, "--out", out);
    RunLock lock = Inputs.lock(spec, "--out", folder);
    if (Files.exists(folder.resolve(Checkpoint.FILE_NAME))) {
      lock.close();
      throw Usage.error(spec, "--out " + out + " already holds a run; continue it with --resume " + out
          + " or choose another --out");
    }
    return new Prepared(s, meta, folder, null, startFile == null ? null : startFile.phi(), lock);
  }

  private Prepared prepareResume() {
    var pr = spec.commandLine().getParseResult();
    java.util.List<String> fixed = new java.util.ArrayList<>(java.util.List.of(MetaTaskOptions.NAMES));
    fixed.addAll(java.util.List.of(PlanOptions.SELECTION));
    fixed.addAll(java.util.List.of("--meta-optimizer", "--checkpoint-every", "--out", "--imitate", "--imitation-tasks",
        "--imitation-optimizer", "--start"));
    for (String o : fixed) {
      Usage.require(spec, !pr.hasMatchedOption(o), o + " cannot be changed when resuming: a resumed run keeps the"
          + " settings in its checkpoint (only --epochs, --threads, --progress and the cluster's options may be"
          + " given)");
    }
    Usage.require(spec, Files.isDirectory(resume), "--resume " + resume + ": no such folder");
    Path folder = Inputs.outputFolder(spec, "--resume", resume);
    RunLock lock = Inputs.lock(spec, "--resume", folder);
    try {
      Checkpoint c = Usage.check(spec, "", () -> Checkpoint.load(resume));
      TrainSettings s = c.settings();
      if (plan.epochs != null) {
        Usage.require(spec, plan.epochs >= c.snapshot().nextEpoch(), "--epochs " + plan.epochs + " is fewer than the "
            + c.snapshot().nextEpoch() + " epochs the checkpoint has already run");
        s = s.withEpochs(plan.epochs);
      }
      OptimizerSpecs.Parsed meta = Inputs.optimizer(spec, "the checkpoint's meta-optimizer", s.metaOptimizer());
      Usage.check(spec, "--resume " + resume, () -> {
        Trainer.requireStateFits(meta.optimizer(), c.snapshot());
        return null;
      });
      return new Prepared(s, meta, folder, c.snapshot(), null, lock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }
}
