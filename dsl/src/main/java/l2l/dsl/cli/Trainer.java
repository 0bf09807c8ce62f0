package l2l.dsl.cli;

import io.vavr.collection.List;
import java.io.PrintWriter;
import java.nio.file.Path;
import l2l.autodiff.Tree;
import io.vavr.collection.Iterator;
import l2l.dsl.Divergence;
import l2l.dsl.Imitation;
import l2l.dsl.MetaBatch;
import l2l.dsl.MetaTraining;
import l2l.dsl.io.AtomicFiles;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.OptimizerFile;
import l2l.dsl.io.TrainSettings;
import l2l.dsl.report.Fmt;
import l2l.dsl.report.Plots;
import l2l.dsl.report.Tables;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;

/**
 * Runs meta-training for {@code l2l train} and {@code l2l demo}: shows progress, saves a
 * checkpoint every few epochs and at the end, and writes the trained optimizer and the training
 * history into the run's folder:
 *
 * <ul>
 *   <li>{@value Checkpoint#FILE_NAME}: the latest checkpoint (resume with {@code --resume});
 *   <li>{@value #BEST}: the optimizer selected by held-out validation (the last φ if none was evaluated);
 *   <li>{@value #LAST}: the optimizer after the last epoch, unless its evaluation diverged;
 *   <li>{@value #HISTORY_CSV}, {@value #HISTORY_PNG}: every epoch's losses and the held-out evaluations.
 * </ul>
 *
 * A run that diverges ({@link Divergence}) — too many diverged truncations in a row, or every
 * held-out evaluation diverged — saves no diverged φ and ends with an {@link IllegalStateException}
 * whose one line says where it diverged and what was kept.
 */
final class Trainer {
  private Trainer() {}

  static final String BEST = "optimizer.json";
  static final String LAST = "optimizer-last.json";
  static final String HISTORY_CSV = "training.csv";
  static final String HISTORY_PNG = "training.png";

  /**
   * What a run ended with.
   *
   * @param snapshot where it stopped
   * @param complete whether every epoch ran (false when stopped by {@code --stop-after})
   * @param best the selected optimizer (null unless complete)
   */
  record Outcome(MetaTraining.Snapshot snapshot, boolean complete, OptimizerFile best) {}

  /**
   * Trains (from scratch, or from {@code from} when resuming), reading the run's snapshots: each
   * one advances the progress bar, every {@code checkpointEvery} epochs (and at the end) one is
   * saved, and with {@code stopAfter} the reading stops as if the process were killed.
   *
   * @param settings the run's settings
   * @param metaOptimizer the optimizer of {@code settings.metaOptimizer()}
   * @param folder the run's folder
   * @param from the snapshot to resume from, or null
   * @param stopAfter stop after this many epochs of this session (without a final checkpoint), or 0 for never
   */
  static Outcome run(TrainSettings settings, Optimizer metaOptimizer, Path folder, MetaTraining.Snapshot from,
      int stopAfter, Progress.Mode mode, PrintWriter out) {
    return run(settings, metaOptimizer, folder, from, null, stopAfter, mode, out, MetaBatch.Workers.LOCAL);
  }

  /**
   * As {@link #run(TrainSettings, Optimizer, Path, MetaTraining.Snapshot, int, Progress.Mode, PrintWriter)}, a
   * fresh run starting from {@code phi0} unless it is null (then g's initialisation), the meta-batch's
   * truncations run by {@code workers}.
   */
  static Outcome run(TrainSettings settings, Optimizer metaOptimizer, Path folder, MetaTraining.Snapshot from,
      Tree phi0, int stopAfter, Progress.Mode mode, PrintWriter out, MetaBatch.Workers workers) {
    Path checkpointFile = folder.resolve(Checkpoint.FILE_NAME);
    MetaTraining.Snapshot start = from != null ? from
        : MetaTraining.start(warmStart(settings, phi0 != null ? phi0 : settings.task().init(), mode, out), metaOptimizer);
    if (from == null && (phi0 != null || settings.imitation().isDefined())) {  // resumed, it starts from this φ again
      new Checkpoint(settings, start, OptimizerFile.Training.now()).save(checkpointFile);
    }
    int startEpoch = start.nextEpoch();
    MetaTraining.Snapshot last = start;
    double[] recent = new double[10];
    int count = 0;
    try (Progress progress = Progress.create(mode, "train", settings.plan().epochs(), startEpoch, out)) {
      Iterator<MetaTraining.Snapshot> snapshots = MetaTraining.snapshots(settings.task(), metaOptimizer,
          settings.plan(), start, workers);
      try {
        while (snapshots.hasNext()) {
          MetaTraining.Snapshot snap = snapshots.next();
          last = snap;
          MetaTraining.EpochReport report = snap.last();
          if (Double.isFinite(report.metaLoss())) recent[count++ % recent.length] = report.metaLoss();
          int n = Math.min(count, recent.length);
          double mean = n == 0 ? Double.NaN : 0;
          for (int i = 0; i < n; i++) mean += recent[i] / n;
          progress.update(snap.nextEpoch(), "meta-loss " + Fmt.g(mean) + ", best validation "
              + (snap.bestEpoch() < 0 ? "–" : Fmt.g(snap.bestEvaluation())));
          if (report.evaluated()) {
            String best = report.best() ? " (best so far)" : snap.bestEpoch() < 0 ? "" : " (best "
                + Fmt.g(snap.bestEvaluation()) + " after epoch " + (snap.bestEpoch() + 1) + ")";
            progress.println("epoch " + (report.epoch() + 1) + ": " + (Double.isFinite(report.evaluation())
                ? "held-out mean final loss " + Fmt.g(report.evaluation())
                : "held-out evaluation diverged (a validation task's loss was not finite or above "
                    + (int) Divergence.FACTOR + "× its initial loss)") + best);
          }
          if (snap.nextEpoch() % settings.checkpointEvery() == 0 || snap.nextEpoch() == settings.plan().epochs()) {
            new Checkpoint(settings, snap, OptimizerFile.Training.now()).save(checkpointFile);
          }
          if (stopAfter > 0 && snap.nextEpoch() - startEpoch >= stopAfter && snap.nextEpoch() < settings.plan().epochs()) {
            progress.println("stopped after epoch " + snap.nextEpoch() + " as asked (--stop-after); the last checkpoint"
                + " is in " + checkpointFile);
            return new Outcome(snap, false, null);
          }
        }
      } catch (MetaTraining.DivergedException e) {
        MetaTraining.Snapshot good = e.lastGood();
        OptimizerFile kept = good.nextEpoch() > 0 ? writeResults(settings, good, folder, false) : null;
        throw new IllegalStateException(e.getMessage() + "; " + (kept == null ? "no trained optimizer saved"
            : "the best φ before (held-out loss " + Fmt.g(good.bestEvaluation()) + " after epoch " + (good.bestEpoch()
                + 1) + ") is in " + folder.resolve(BEST)) + (good.nextEpoch() > 0 ? " (history in "
                + folder.resolve(HISTORY_CSV) + ")" : "") + "; " + advice(settings), e);
      }
      new Checkpoint(settings, last, OptimizerFile.Training.now()).save(checkpointFile);
      OptimizerFile best = writeResults(settings, last, folder, true);
      if (best == null) {
        List<MetaTraining.EpochReport> evaluations = last.history().filter(MetaTraining.EpochReport::evaluated);
        throw new IllegalStateException("meta-training in " + folder + " diverged: in every held-out evaluation ("
            + evaluations.size() + ", the last after epoch " + (evaluations.last().epoch() + 1) + ") a validation task's"
            + " loss was not finite or above " + (int) Divergence.FACTOR + "× its initial loss; no trained optimizer"
            + " saved (history in " + folder.resolve(HISTORY_CSV) + "); " + advice(settings));
      }
      return new Outcome(last, true, best);
    }
  }

  /**
   * φ₀, or where the settings' imitation warm start ({@link Imitation}) takes it, with its progress
   * and the relative error of the first and last imitated tasks.
   */
  private static Tree warmStart(TrainSettings settings, Tree phi0, Progress.Mode mode, PrintWriter out) {
    if (settings.imitation().isEmpty()) return phi0;
    TrainSettings.Imitate im = settings.imitation().get();
    Imitation imitation = new Imitation(settings.task(), OptimizerSpecs.parse(im.teacher()).optimizer(), im.tasks());
    Imitation.Report first = null, last = null;
    try (Progress progress = Progress.create(mode, "imitate", im.tasks(), 0, out)) {
      for (Imitation.Report r : imitation.reports(phi0, OptimizerSpecs.parse(im.optimizer()).optimizer())) {
        if (first == null) first = r;
        last = r;
        progress.update(r.index() + 1, "relative squared error " + Fmt.g(r.error()));
      }
    }
    out.println("imitated " + im.teacher() + " on " + im.tasks() + " tasks: relative squared error " + Fmt.g(first.error())
        + " on the first, " + Fmt.g(last.error()) + " on the last");
    return last.phi();
  }

  /** What to change after a divergence, naming the settings to change. */
  private static String advice(TrainSettings s) {
    return "lower the meta-learning rate (--meta-optimizer " + s.metaOptimizer() + ") or the output scale (--scale "
        + s.architecture().scale() + "), or clip the meta-gradient (clip=1)";
  }

  /** Removes the temporary files a killed write left in the run's folder (which this process has locked), saying so. */
  static void removeTemporaries(Path folder, PrintWriter out) {
    java.util.List<String> removed = AtomicFiles.removeTemporaries(folder);
    if (!removed.isEmpty()) {
      out.println("removed " + removed.size() + " temporary file" + (removed.size() == 1 ? "" : "s") + " left by an"
          + " interrupted write: " + String.join(", ", removed));
    }
  }

  /** Checks that a snapshot's meta-optimizer state fits the meta-optimizer (a usage error otherwise). */
  static void requireStateFits(Optimizer metaOptimizer, MetaTraining.Snapshot s) {
    Tree want = Transforms.applyIfFinite(metaOptimizer).init(s.phi());
    want.requireSameStructure(s.metaOptState(), "the checkpoint's meta-optimizer state does not fit " + metaOptimizer);
  }

  /**
   * Writes the history and the optimizer files: {@value #BEST} with the selected φ (of a
   * {@code finished} run, the last φ if nothing was evaluated), and for a finished run {@value #LAST}
   * unless its evaluation diverged. Returns the selected optimizer, or null if none was saved.
   */
  static OptimizerFile writeResults(TrainSettings s, MetaTraining.Snapshot snap, Path folder, boolean finished) {
    boolean selected = snap.bestEpoch() >= 0;
    OptimizerFile best = null;
    if (selected || finished && !snap.history().exists(MetaTraining.EpochReport::evaluated)) {
      best = new OptimizerFile(s.architecture(), selected ? snap.best() : snap.phi(),
          OptimizerFile.Training.of(s, s.metaOptimizer(), snap.nextEpoch(),
              selected ? snap.bestEpoch() + 1 : snap.nextEpoch(), selected ? snap.bestEvaluation() : Double.NaN));
      best.save(folder.resolve(BEST));
    }
    MetaTraining.EpochReport lastReport = snap.last();
    double lastEval = lastReport != null && lastReport.evaluated() ? lastReport.evaluation() : Double.NaN;
    if (finished && lastEval != Double.POSITIVE_INFINITY) {
      new OptimizerFile(s.architecture(), snap.phi(), OptimizerFile.Training.of(s, s.metaOptimizer(), snap.nextEpoch(),
          snap.nextEpoch(), lastEval)).save(folder.resolve(LAST));
    }
    AtomicFiles.writeString(folder.resolve(HISTORY_CSV), historyCsv(snap.history()));
    Plots.savePng(Plots.trainingChart("meta-training on " + s.task().problem().name(), snap.history()),
        folder.resolve(HISTORY_PNG));
    return best;
  }

  /** One row per epoch: {@code epoch,final_loss,meta_loss,meta_grad_norm,non_finite,seconds,validation,best}. */
  static String historyCsv(List<MetaTraining.EpochReport> h) {
    StringBuilder sb =
        new StringBuilder("epoch,final_loss,meta_loss,meta_grad_norm,non_finite,seconds,validation,best\n");
    for (MetaTraining.EpochReport r : h) {
      sb.append(r.epoch()).append(',').append(r.finalLoss()).append(',').append(r.metaLoss()).append(',')
          .append(r.metaGradNorm()).append(',').append(r.nonFinite()).append(',').append(r.seconds()).append(',')
          .append(r.evaluated() ? r.evaluation() : "")
          .append(',').append(r.best()).append('\n');
    }
    return sb.toString();
  }

  /** A short summary of a finished run. */
  static String summary(MetaTraining.Snapshot s, Path folder) {
    double seconds = s.history().map(MetaTraining.EpochReport::seconds).sum().doubleValue();
    List<List<String>> rows = List.of(
        List.of("epochs", Integer.toString(s.nextEpoch())),
        List.of("training time (epochs only)", Fmt.duration(seconds)),
        List.of("selected φ", s.bestEpoch() < 0 ? "the last (no finite evaluation)" : "after epoch " + (s.bestEpoch() + 1)),
        List.of("its held-out mean final loss", s.bestEpoch() < 0 ? "–" : Fmt.g(s.bestEvaluation())),
        List.of("folder", folder.toString()));
    return Tables.grid(List.of("meta-training", ""), rows, 2);
  }
}
