package l2l.dsl.cli;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import l2l.autodiff.Tree;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.TrainSettings;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Plots;
import l2l.dsl.report.Tables;
import l2l.optimizers.learned.MetaGradient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code l2l estimators}: the meta-gradient estimators side by side: each one's error against a
 * reference estimate of the whole horizon's meta-gradient (bias and spread, per second of compute),
 * and a meta-training run with each, their validation curves in one plot.
 */
@Command(name = "estimators", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Compare meta-gradient estimators (see 'l2l train --meta-gradient') on one meta task.", "",
        "1. At φ₀, on --samples training tasks: each estimator's estimate of the gradient of the whole horizon (the sum"
            + " of its truncations' estimates) against the --reference estimate of the same task: the relative bias"
            + " |mean(ĝ − g)| / mean|g|, the relative spread √mean|ĝ − g − bias|² / mean|g|, the seconds per estimate and"
            + " spread² × seconds (lower is better per unit of compute).",
        "2. A meta-training run with each estimator (--epochs, 0 to skip), in FOLDER/NAME/ like 'l2l train' (resumable:"
            + " running the command again continues them), and their held-out validation curves in one plot.", "",
        "Writes estimators.txt, estimators.csv and validation.png into --out.", ""},
    footer = {"", "Examples:", "  l2l estimators --samples 10 --epochs 300 --preprocess log-and-sign --step-loss log",
        "  l2l estimators --problem mnist --reference pes:sigma=0.01,pairs=32 --samples 5 --epochs 0"})
final class EstimatorsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  MetaTaskOptions task = new MetaTaskOptions();

  @Mixin
  PlanOptions plan = new PlanOptions();

  @Option(names = "--estimator", paramLabel = "ESTIMATOR",
      description = "An estimator to compare; repeat for several (default: first-order, second-order, full,"
          + " es:sigma=0.01,pairs=8, pes:sigma=0.01,pairs=8).")
  java.util.List<String> estimators;

  @Option(names = "--reference", paramLabel = "ESTIMATOR", defaultValue = "full",
      description = "What the errors are measured against (default: ${DEFAULT-VALUE}; on large problems a long"
          + " persistent-ES average, e.g. pes:sigma=0.01,pairs=32).")
  String reference;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "10",
      description = "Training tasks on which every estimator is compared (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--meta-optimizer", paramLabel = "SPEC", defaultValue = TrainCommand.META_OPTIMIZER,
      description = "The meta-optimizer of the training runs (default: ${DEFAULT-VALUE}).")
  String metaOptimizer;

  @Option(names = "--out", paramLabel = "FOLDER", defaultValue = "runs/estimators",
      description = "Where everything goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin
  RunOptions run = new RunOptions();

  /** One estimator's error against the reference. */
  record Error(String estimator, double bias, double spread, double seconds) {}

  @Override
  public Integer call() {
    run.validate(spec);
    Inputs.positive(spec, "--samples", samples);
    Usage.require(spec, task.metaGradient == null, "--meta-gradient: give the estimators with --estimator");
    MetaTask base = task.task(spec);
    MetaTraining.Plan p = plan.plan(spec, MetaTraining.Plan.of(300));
    java.util.List<String> names = estimators != null ? estimators : java.util.List.of("first-order", "second-order",
        "full", "es:sigma=0.01,pairs=8", "pes:sigma=0.01,pairs=8");
    Map<String, MetaGradient> all = LinkedHashMap.empty();
    for (String n : names) all = all.put(n.trim(), estimator(n, "--estimator"));
    MetaGradient ref = estimator(reference, "--reference");
    OptimizerSpecs.Parsed meta = Inputs.optimizer(spec, "--meta-optimizer", metaOptimizer);
    Path folder = Inputs.outputFolder(spec, "--out", out);
    run.apply();
    PrintWriter o = spec.commandLine().getOut();
    o.println("estimators on " + base.describe() + "; reference " + ref.label() + "; folder " + folder);

    Tree phi = base.init();
    java.util.List<Tree> references = new java.util.ArrayList<>();
    for (int i = 0; i < samples; i++) references.add(horizonGradient(base.withMetaGradient(ref), phi, i).grad);
    double scale = references.stream().mapToDouble(g -> g.norm().item()).average().orElse(Double.NaN);
    List<Error> errors = List.empty();
    try (Progress progress = Progress.create(run.progress, "estimates", (long) all.size() * samples, 0, o)) {
      long done = 0;
      for (var e : all) {
        Tree[] diff = new Tree[samples];
        double seconds = 0;
        horizonGradient(base.withMetaGradient(e._2), phi, samples); // untimed: the JIT compiles on a task not compared
        for (int i = 0; i < samples; i++) {
          Estimate est = horizonGradient(base.withMetaGradient(e._2), phi, i);
          diff[i] = est.grad.minus(references.get(i));
          seconds += est.seconds;
          progress.update(++done, e._1);
        }
        Tree mean = diff[0].zerosLike();
        for (Tree d : diff) mean = mean.plus(d.times(1.0 / samples));
        double var = 0;
        for (Tree d : diff) var += d.minus(mean).sumSquares().item() / samples;
        errors = errors.append(new Error(e._1, mean.norm().item() / scale, Math.sqrt(var) / scale, seconds / samples));
      }
    }
    StringBuilder csv = new StringBuilder("estimator,relative_bias,relative_spread,seconds_per_estimate,"
        + "spread2_times_seconds\n");
    List<List<String>> rows = errors.map(e -> {
      csv.append(e.estimator()).append(',').append(e.bias()).append(',').append(e.spread()).append(',')
          .append(e.seconds()).append(',').append(e.spread() * e.spread() * e.seconds()).append('\n');
      return List.of(e.estimator(), Fmt.g(e.bias()), Fmt.g(e.spread()), String.format(Locale.ROOT, "%.3f", e.seconds()),
          Fmt.g(e.spread() * e.spread() * e.seconds()));
    });
    String table = "meta-gradient of the whole horizon at φ₀ against " + ref.label() + ", " + samples + " tasks of "
        + base.problem().name() + " (|g| ≈ " + Fmt.g(scale) + ")\n" + Tables.grid(List.of("estimator", "bias",
        "spread", "s/estimate", "spread²·s"), rows, 1);

    if (p.epochs() > 0) {
      java.util.LinkedHashMap<String, List<MetaTraining.EpochReport>> histories = new java.util.LinkedHashMap<>();
      double untrained = MetaTraining.validationLoss(p.validationTask(base), phi, p.evaluationTasks());
      StringBuilder runs = new StringBuilder("\nmeta-training, " + p.epochs() + " epochs each, meta-optimizer "
          + meta.spec() + "; the untrained φ₀'s held-out loss: " + Fmt.g(untrained) + "\n");
      List<List<String>> trained = List.empty();
      for (var e : all) {
        Path dir = Inputs.outputFolder(spec, "--out", folder.resolve(e._1.replaceAll("[^A-Za-z0-9.=-]+", "_")));
        TrainSettings s = new TrainSettings(base.withMetaGradient(e._2), p, meta.spec(), 25);
        MetaTraining.Snapshot from = Files.exists(dir.resolve(Checkpoint.FILE_NAME))
            ? Checkpoint.load(dir).snapshot() : null;
        o.println((from == null ? "meta-training with " : "continuing the run with ") + e._1 + " in " + dir);
        MetaTraining.Snapshot end;
        String outcome = "";
        try {
          end = Trainer.run(s, meta.optimizer(), dir, from, 0, run.progress, o).snapshot();
        } catch (IllegalStateException failed) {
          // a run that diverges is a result of the comparison: its history up to there is kept
          boolean stopped = failed.getCause() instanceof MetaTraining.DivergedException;
          if (!stopped && !Files.exists(dir.resolve(Checkpoint.FILE_NAME))) throw failed;
          end = stopped ? ((MetaTraining.DivergedException) failed.getCause()).lastGood()
              : Checkpoint.load(dir).snapshot();
          outcome = stopped ? "diverged after epoch " + end.nextEpoch() : "every evaluation diverged";
          o.println(e._1 + ": " + failed.getMessage());
        }
        histories.put(e._1, end.history());
        double secondsPerEpoch = end.history().map(MetaTraining.EpochReport::seconds).sum().doubleValue()
            / Math.max(1, end.history().size());
        trained = trained.append(List.of(e._1, end.bestEpoch() < 0 ? "–" : Fmt.g(end.bestEvaluation()),
            end.bestEpoch() < 0 ? "–" : Integer.toString(end.bestEpoch() + 1), String.format(Locale.ROOT, "%.3f",
                secondsPerEpoch), outcome));
      }
      runs.append(Tables.grid(List.of("estimator", "best validation", "after epoch", "s/epoch", ""), trained, 1));
      table = table + runs;
      Plots.savePng(Plots.validationChart("held-out validation during meta-training on " + base.problem().name(),
          histories), folder.resolve("validation.png"));
    }
    AtomicFiles.writeString(folder.resolve("estimators.txt"), table);
    AtomicFiles.writeString(folder.resolve("estimators.csv"), csv.toString());
    o.println();
    o.print(table);
    o.println("wrote estimators.txt, estimators.csv" + (p.epochs() > 0 ? ", validation.png" : "") + " in " + folder);
    o.flush();
    return 0;
  }

  private MetaGradient estimator(String text, String option) {
    MetaGradient m = Usage.check(spec, option, MetaGradient::parse, text);
    Usage.require(spec, m != null, "unknown " + option + " '" + text + "'; known: first-order, second-order, full,"
        + " es[:sigma=S,pairs=P], pes[:sigma=S,pairs=P]");
    return m;
  }

  private record Estimate(Tree grad, double seconds) {}

  /** The sum of an estimator's estimates over the truncations of training epoch i's task, at φ. */
  private static Estimate horizonGradient(MetaTask t, Tree phi, int epoch) {
    long t0 = System.nanoTime();
    MetaTask.State s = t.startOfEpoch(epoch);
    Tree sum = phi.zerosLike();
    for (int k = 0; k < t.truncationsPerEpoch(); k++) {
      var step = t.step(phi, s, k);
      sum = sum.plus(step.grad());
      s = step.next();
      if (s.epoch() != epoch) break;
    }
    return new Estimate(sum, (System.nanoTime() - t0) / 1e9);
  }
}
