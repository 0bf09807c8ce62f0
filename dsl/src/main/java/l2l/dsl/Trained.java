package l2l.dsl;

import io.vavr.collection.List;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.Optimizer;

/**
 * A meta-trained learned optimizer as a value: the learned optimizer g, the meta task it was
 * trained on, and the snapshot meta-training ended with (last φ, best φ by held-out evaluation,
 * the meta-optimizer's state and the history of epochs). {@link #optimizer()} is g at the best φ,
 * an ordinary {@link Optimizer} usable anywhere one is expected — including as the
 * meta-optimizer of another meta-training (self-application).
 *
 * @param task the meta task it was trained on (its learned optimizer is g)
 * @param snapshot where meta-training ended; resumable with {@link L2l#resume}
 */
public record Trained(MetaTask task, MetaTraining.Snapshot snapshot) {

  /** The learned optimizer g. */
  public LearnedOptimizer learned() {
    return task.learned();
  }

  /** The selected φ: the one with the lowest held-out loss (φ₀ if no evaluation was finite). */
  public Tree best() {
    return snapshot.best();
  }

  /** φ after the last epoch. */
  public Tree last() {
    return snapshot.phi();
  }

  /** g at the selected φ, ready to use. */
  public Optimizer optimizer() {
    return task.learned().apply(snapshot.best());
  }

  /** g at the last φ. */
  public Optimizer lastOptimizer() {
    return task.learned().apply(snapshot.phi());
  }

  /** The mean final loss of the selected φ on held-out tasks (∞ if no evaluation was finite). */
  public double bestEvaluation() {
    return snapshot.bestEvaluation();
  }

  /** The epoch after which the selected φ was evaluated (−1 if none was selected). */
  public int bestEpoch() {
    return snapshot.bestEpoch();
  }

  /** The reports of all epochs run. */
  public List<MetaTraining.EpochReport> history() {
    return snapshot.history();
  }

  /** The number of epochs run. */
  public int epochs() {
    return snapshot.nextEpoch();
  }

  /**
   * The mean over the last {@code n} epochs (all, if fewer) of the epoch meta-loss (each epoch's
   * sum of truncation meta-losses); NaN before any epoch.
   */
  public double meanMetaLoss(int n) {
    List<MetaTraining.EpochReport> h = snapshot.history();
    List<MetaTraining.EpochReport> tail = h.drop(Math.max(0, h.size() - Math.max(1, n)));
    return tail.isEmpty() ? Double.NaN
        : tail.map(MetaTraining.EpochReport::metaLoss).sum().doubleValue() / tail.size();
  }

  /** The mean over the last {@code n} epochs of the optimizee's final loss; NaN before any epoch. */
  public double meanFinalLoss(int n) {
    List<MetaTraining.EpochReport> h = snapshot.history();
    List<MetaTraining.EpochReport> tail = h.drop(Math.max(0, h.size() - Math.max(1, n)));
    return tail.isEmpty() ? Double.NaN
        : tail.map(MetaTraining.EpochReport::finalLoss).sum().doubleValue() / tail.size();
  }

  /**
   * The held-out loss of the selected φ recomputed on {@code tasks} validation tasks of the meta task's problem (see
   * MetaTraining); a run that validated on another problem scores it with
   * {@code MetaTraining.validationLoss(plan.validationTask(task()), best(), tasks)}.
   */
  public double validationLoss(int tasks) {
    return MetaTraining.validationLoss(task, snapshot.best(), tasks);
  }
}
