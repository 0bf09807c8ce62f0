package l2l.dsl.cli;

import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import l2l.dsl.Comparison;
import l2l.dsl.Divergence;
import l2l.dsl.L2l;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.dsl.SelfApplication;
import l2l.dsl.Trained;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.TrainSettings;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Plots;
import l2l.dsl.report.Reports;
import l2l.dsl.report.Results;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l self-train}: a learned optimizer as its own meta-optimizer (g optimizes g), and fixed-point iteration. */
@Command(name = "self-train", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Apply a learned optimizer to itself (g optimizes g), or iterate that towards a fixed point.", "",
        "Modes:",
        "  self              g(φ) with φ from --optimizer, fixed, meta-trains a fresh φ' of the same architecture"
            + " (g' = g(d, g));",
        "  self-referential  φ is updated by g at the current φ itself, starting from --optimizer's φ;",
        "  fixed-point       g₀ meta-trained by --first, then gₖ₊₁ meta-trained by gₖ, for --iterations iterations,"
            + " reporting whether φₖ settles.",
        "",
        "Then every optimizer obtained (and --optimizer's) runs on held-out test tasks: table.txt, curves.csv,"
            + " curves.json, loss.png in --out, beside the new optimizer files and (fixed-point) fixed-point.txt.", ""},
    footer = {"", "Examples:", "  l2l self-train --optimizer runs/quad/optimizer.json --epochs 100",
        "  l2l self-train --mode fixed-point --iterations 3 --epochs 100 --meta-scale 0.1",
        "  l2l self-train --mode self-referential --optimizer runs/quad/optimizer.json"})
final class SelfTrainCommand implements Callable<Integer> {
  /** The epochs of meta-training (per iteration for fixed-point) unless --epochs says otherwise. */
  static final int EPOCHS = 100;

  @Spec
  CommandSpec spec;

  /** What to do. */
  enum Mode {
    SELF, SELF_REFERENTIAL, FIXED_POINT
  }

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "self",
      description = "self, self-referential or fixed-point (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--optimizer", paramLabel = "FILE",
      description = "A trained optimizer (from 'l2l train'); needed by self and self-referential; for fixed-point it is"
          + " the default --first and gives the architecture.")
  Path optimizer;

  @Mixin
  MetaTaskOptions task = new MetaTaskOptions();

  @Mixin
  PlanOptions plan = new PlanOptions();

  @Option(names = "--iterations", paramLabel = "K", defaultValue = "2",
      description = "fixed-point: iterations after the first (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--first", paramLabel = "SPEC",
      description = "fixed-point: the meta-optimizer of iteration 0: " + OptimizerSpecs.HELP
          + "; default: file:--optimizer if given, else adam:lr=0.001.")
  String first;

  @Option(names = "--meta-scale", paramLabel = "X", defaultValue = "1",
      description = "fixed-point: gₖ's updates of φ times X (an optimizer trained on one problem may step too far on φ);"
          + " default: ${DEFAULT-VALUE}.")
  double metaScale;

  @Option(names = "--start", paramLabel = "S", defaultValue = "fresh",
      description = "fixed-point: each iteration starts from φ₀ (fresh) or from φₖ (warm); default: ${DEFAULT-VALUE}.")
  String start;

  @Option(names = "--tolerance", paramLabel = "X", defaultValue = "0.01",
      description = "fixed-point: settled when ‖φₖ − φₖ₋₁‖ / ‖φₖ₋₁‖ < X (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--tasks", paramLabel = "N", defaultValue = "100",
      description = "Held-out test tasks for the final comparison (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/self-train",
      description = "Where the results go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin
  RunOptions run = new RunOptions();

  @Override
  public Integer call() {
    run.validate(spec);
    Mode m = switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "self" -> Mode.SELF;
      case "self-referential" -> Mode.SELF_REFERENTIAL;
      case "fixed-point" -> Mode.FIXED_POINT;
      default -> throw Usage.error(spec, "unknown --mode '" + mode + "'; known: self, self-referential, fixed-point");
    };
    Usage.require(spec, optimizer != null || m == Mode.FIXED_POINT, "--mode " + mode + " needs --optimizer FILE");
    OptimizerFile file = optimizer == null ? null : Inputs.optimizerFile(spec, optimizer);
    Usage.require(spec, file == null || !task.architecture.anyGiven(), "the architecture comes from --optimizer (g"
        + " optimizes g, so φ' has g's architecture): drop the architecture options");
    MetaTask base = file == null ? task.task(spec) : task.task(spec, Usage.check(spec, "", () -> new MetaTask(
        file.learned(), Problems.parse(file.training().problem()), file.training().horizon(), file.training().unroll(),
        MetaGradient.FIRST_ORDER, StepLoss.LINEAR, Precision.DOUBLE, 0)));
    MetaTraining.Plan p = plan.plan(spec, MetaTraining.Plan.of(EPOCHS).evaluatingEvery(50));
    Inputs.positive(spec, "--tasks", tasks);
    Usage.require(spec, iterations >= 0, "--iterations must be ≥ 0, got " + iterations);
    Usage.require(spec, Double.isFinite(metaScale) && metaScale > 0, "--meta-scale must be a positive number, got " + metaScale);
    Usage.require(spec, tolerance > 0, "--tolerance must be positive, got " + tolerance);
    SelfApplication.Start st = switch (start.trim().toLowerCase(Locale.ROOT)) {
      case "fresh" -> SelfApplication.Start.FRESH;
      case "warm" -> SelfApplication.Start.WARM;
      default -> throw Usage.error(spec, "unknown --start '" + start + "'; known: fresh, warm");
    };
    String given = optimizer == null ? null : "file:" + optimizer.toAbsolutePath().normalize();
    String firstSpec = first != null ? first : given != null ? given : "adam:lr=0.001";
    OptimizerSpecs.Parsed firstOpt = m == Mode.FIXED_POINT ? Inputs.optimizer(spec, "--first", firstSpec) : null;
    Path folder = Inputs.outputFolder(spec, "--out", out);
    run.apply();

    PrintWriter o = spec.commandLine().getOut();
    MetaTask meta = base;
    TrainSettings settings = Usage.check(spec, "", () -> new TrainSettings(meta, p, "-", 1));
    List<Evaluator.Entry> entries = List.empty();
    if (file != null) entries = entries.append(new Evaluator.Entry("g", optimizer.toString(), file.optimizer(), true));
    int runs = m == Mode.FIXED_POINT ? iterations + 1 : 1;
    o.println("self-application (" + mode + ") of " + meta.describe() + ", " + p.epochs() + " epochs"
        + (m == Mode.FIXED_POINT ? " per iteration, " + runs + " iterations" : "") + "; folder " + folder);
    long[] done = {0};
    try (Progress progress = Progress.create(run.progress, "self-train", (long) runs * p.epochs(), 0, o)) {
      java.util.function.Consumer<MetaTraining.Snapshot> onEpoch = snap -> progress.update(++done[0], "meta-loss "
          + Fmt.g(snap.last().metaLoss()) + ", best validation "
          + (snap.bestEpoch() < 0 ? "–" : Fmt.g(snap.bestEvaluation())));
      switch (m) {
        case SELF -> {
          Trained t = train(SelfApplication.learning(meta, file.optimizer(), meta.init(), p), onEpoch);
          entries = entries.append(save(t, settings, given, folder, "optimizer.json", "g'", progress));
        }
        case SELF_REFERENTIAL -> {
          Trained t = train(SelfApplication.learning(meta, SelfApplication.selfReferential(meta.learned()), file.phi(),
              p), onEpoch);
          entries = entries.append(save(t, settings, "self-referential from " + given, folder,
              "optimizer.json", "g'", progress));
        }
        default -> {
          SelfApplication.FixedPoint fp = SelfApplication.fixedPoint(meta, firstOpt.optimizer(), p, iterations,
              new SelfApplication.Settings(st, metaScale, tolerance), onEpoch,
              it -> progress.println(it.describe()));
          StringBuilder csv = new StringBuilder(
              "k,validation_loss,validation_start,mean_meta_loss,distance,relative_distance,settled,skipped_meta_steps,divergence\n");
          for (SelfApplication.Iteration it : fp.iterations()) {
            csv.append(it.k()).append(',').append(it.validationLoss()).append(',').append(it.validationStart()).append(',')
                .append(it.meanMetaLoss()).append(',').append(it.distance()).append(',').append(it.relativeDistance())
                .append(',').append(it.settled()).append(',').append(it.skippedMetaSteps()).append(',')
                .append(it.divergence().map(d -> '"' + d.replace("\"", "\"\"") + '"').getOrElse("")).append('\n');
            if (!it.diverged()) {
              String by = it.k() == 0 ? firstOpt.spec() : "g_" + (it.k() - 1) + " (fixed-point iteration " + it.k()
                  + ", meta-scale " + metaScale + ")";
              entries = entries.append(save(it.trained(), settings, by, folder, "optimizer-" + it.k() + ".json",
                  "g_" + it.k(), progress));
            }
          }
          AtomicFiles.writeString(folder.resolve("fixed-point.txt"), fp.describe() + "\n");
          AtomicFiles.writeString(folder.resolve("fixed-point.csv"), csv.toString());
          String verdict = fp.describe().lines().reduce((a, b) -> b).orElse("");
          progress.println(verdict + " (details in " + folder.resolve("fixed-point.txt") + ")");
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("every fixed-point iteration diverged, so there is no optimizer to test; see "
          + folder.resolve("fixed-point.txt"));
    }
    long[] testSeeds = Comparison.testSeeds(meta.seed(), tasks);
    Results r;
    try (Progress progress = Progress.create(run.progress, "test", (long) entries.size() * tasks, 0, o)) {
      r = Evaluator.run(settings.problem() + ": self-application (" + mode + ")", meta.problem(), meta.horizon(),
          testSeeds, entries, progress, new AtomicLong());
    }
    o.println();
    o.print(Reports.write(r, HashSet.ofAll(entries.map(Evaluator.Entry::name)).toJavaSet(), folder));
    o.println("wrote the optimizers, table.txt, curves.csv, curves.json and loss.png in " + folder.toAbsolutePath().normalize());
    return 0;
  }

  /** Meta-training that reports every epoch. */
  private static Trained train(L2l learning, java.util.function.Consumer<MetaTraining.Snapshot> onEpoch) {
    return new Trained(learning.task(), learning.snapshots().foldLeft(learning.first(), (a, b) -> {
      onEpoch.accept(b);
      return b;
    }));
  }

  private static Evaluator.Entry save(Trained t, TrainSettings s, String by, Path folder, String name,
      String label, Progress progress) {
    MetaTraining.Snapshot snap = t.snapshot();
    if (snap.everyEvaluationDiverged()) {
      throw new IllegalStateException(label + " (meta-trained by " + by + ") diverged: every held-out evaluation"
          + " diverged (on a validation task " + Divergence.rule() + "), so it was not saved");
    }
    boolean selected = snap.bestEpoch() >= 0;
    OptimizerFile f = new OptimizerFile(s.architecture(), selected ? snap.best() : snap.phi(),
        OptimizerFile.Training.of(s, by, snap.nextEpoch(), selected ? snap.bestEpoch() + 1 : snap.nextEpoch(),
            selected ? snap.bestEvaluation() : Double.NaN));
    f.save(folder.resolve(name));
    String stem = name.replace(".json", "");
    AtomicFiles.writeString(folder.resolve(stem + "-training.csv"), Trainer.historyCsv(snap.history()));
    Plots.savePng(Plots.trainingChart(label + ": meta-training by " + by, snap.history()),
        folder.resolve(stem + "-training.png"));
    progress.println("saved " + label + " (meta-trained by " + by + ") to " + folder.resolve(name));
    return new Evaluator.Entry(label, folder.resolve(name).toString(), f.optimizer(), true);
  }
}
