package l2l.dsl;

import io.vavr.collection.List;
import java.util.Iterator;
import l2l.autodiff.Tree;
import l2l.optimizers.LearnedOptimizer;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;

/**
 * Meta-training as a consumer of {@code minimize(metaObjective, metaOptimizer)}: it reads the
 * stream epoch by epoch, evaluates φ on held-out tasks every few epochs and keeps the best φ
 * (model selection), reports each epoch, and hands out a {@link Snapshot} at every epoch boundary
 * from which a run resumes exactly.
 *
 * <p>The meta-optimizer is wrapped in {@link Transforms#applyIfFinite}, so a meta-step with a
 * non-finite gradient or result is never kept; an epoch whose optimizee diverges ends early and
 * the next one starts on a fresh task. Too many non-finite truncations in a row stop the run with
 * a {@link DivergedException}.
 */
public final class MetaTraining {
  private MetaTraining() {}

  /**
   * How long to train and how to select.
   *
   * @param epochs epochs to train (each samples one task and runs the horizon)
   * @param evaluateEvery evaluate φ on held-out tasks after every this many epochs (and after the last)
   * @param evaluationTasks how many held-out tasks per evaluation
   * @param maxNonFinite stop after this many non-finite truncations in a row
   */
  public record Plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite) {
    /** Checks the counts. */
    public Plan {
      if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
      if (evaluateEvery < 1) throw new IllegalArgumentException("evaluateEvery must be ≥ 1, got " + evaluateEvery);
      if (evaluationTasks < 1) throw new IllegalArgumentException("evaluationTasks must be ≥ 1, got " + evaluationTasks);
      if (maxNonFinite < 1) throw new IllegalArgumentException("maxNonFinite must be ≥ 1, got " + maxNonFinite);
    }

    /** The original code's selection: every 100 epochs on 20 held-out tasks; stop after 10 non-finite truncations in a row. */
    public static Plan of(int epochs) {
      return new Plan(epochs, 100, 20, 10);
    }

    /** This plan evaluating every {@code n} epochs. */
    public Plan evaluatingEvery(int n) {
      return new Plan(epochs, n, evaluationTasks, maxNonFinite);
    }

    /** This plan evaluating on {@code n} held-out tasks. */
    public Plan evaluatingOn(int n) {
      return new Plan(epochs, evaluateEvery, n, maxNonFinite);
    }
  }

  /**
   * What one epoch did.
   *
   * @param epoch the epoch's index (from 0)
   * @param finalLoss the optimizee's loss at the end of the epoch (f(θ_horizon), or where it diverged)
   * @param metaLoss the sum of the epoch's truncation meta-losses
   * @param nonFinite how many of its truncations had a non-finite meta-loss (their meta-steps were skipped)
   * @param seconds wall time of the epoch
   * @param evaluation the mean final loss on held-out tasks after this epoch, if evaluated (else NaN)
   * @param best whether this evaluation is the best so far
   */
  public record EpochReport(int epoch, double finalLoss, double metaLoss, int nonFinite, double seconds,
      double evaluation, boolean best) {
    /** Whether φ was evaluated after this epoch. */
    public boolean evaluated() {
      return !Double.isNaN(evaluation);
    }
  }

  /**
   * Everything needed to continue a run exactly: taken at an epoch boundary.
   *
   * @param nextEpoch the first epoch still to run
   * @param phi φ after the epochs run
   * @param metaOptState the meta-optimizer's state (with the {@code applyIfFinite} wrapper's)
   * @param best the best φ so far by held-out evaluation
   * @param bestEvaluation its mean final loss on held-out tasks (∞ before any evaluation)
   * @param bestEpoch the epoch after which it was evaluated (−1 before any)
   * @param history the reports of all epochs run
   * @param nonFiniteInARow non-finite truncations in a row at the boundary
   */
  public record Snapshot(int nextEpoch, Tree phi, Tree metaOptState, Tree best, double bestEvaluation, int bestEpoch,
      List<EpochReport> history, int nonFiniteInARow) {}

  /** Receives each epoch's report and the snapshot after it (e.g. to print progress and save checkpoints). */
  @FunctionalInterface
  public interface Listener {
    /** Called after every epoch. */
    void epochDone(EpochReport report, Snapshot snapshot);

    /** Ignores everything. */
    static Listener none() {
      return (r, s) -> {};
    }
  }

  /** Thrown when the meta-loss stays non-finite; the message says where and what to change. */
  public static final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Snapshot lastGood;

    DivergedException(String message, Snapshot lastGood) {
      super(message);
      this.lastGood = lastGood;
    }

    /** The last snapshot whose φ is finite. */
    public Snapshot lastGood() {
      return lastGood;
    }
  }

  /** Trains from φ₀ = meta.init(). */
  public static Snapshot run(MetaObjective meta, Optimizer metaOptimizer, Plan plan, Listener listener) {
    Tree phi = meta.init();
    Optimizer wrapped = Transforms.applyIfFinite(metaOptimizer);
    Snapshot start = new Snapshot(0, phi, wrapped.init(phi), phi, Double.POSITIVE_INFINITY, -1, List.empty(), 0);
    return resume(meta, metaOptimizer, plan, listener, start);
  }

  /**
   * Continues a run from a snapshot until {@code plan.epochs()} epochs are done; the result is
   * the same as if the run had not stopped.
   */
  public static Snapshot resume(MetaObjective meta, Optimizer metaOptimizer, Plan plan, Listener listener,
      Snapshot from) {
    Optimizer wrapped = Transforms.applyIfFinite(metaOptimizer);
    int k = meta.truncationsPerEpoch();
    Snapshot snap = from;
    if (snap.nextEpoch() >= plan.epochs()) return snap;
    Iterator<Minimize.State<MetaObjective.State>> it = Minimize.states(meta, wrapped, snap.phi(), snap.metaOptState(),
        meta.startOfEpoch(snap.nextEpoch()), snap.nextEpoch() * k);
    int inARow = snap.nonFiniteInARow();
    Minimize.State<MetaObjective.State> s = it.next();
    while (snap.nextEpoch() < plan.epochs()) {
      int epoch = snap.nextEpoch();
      long t0 = System.nanoTime();
      double metaLoss = 0;
      int nonFinite = 0;
      MetaObjective.State after;
      do {
        Objective.Step<MetaObjective.State> r = s.result();
        double l = r.loss().item();
        after = r.next();
        if (Double.isFinite(l) && r.grad().allFinite()) {
          metaLoss += l;
          inARow = 0;
        } else {
          nonFinite++;
          inARow++;
          if (inARow >= plan.maxNonFinite()) {
            throw new DivergedException("meta-training diverged: the meta-loss was not finite for " + inARow
                + " truncations in a row (the last at epoch " + epoch + ", truncation " + s.objState().truncation()
                + ", optimizee loss " + after.lastLoss() + "); φ is kept from before those steps. Lower the"
                + " meta-learning rate or the learned optimizer's output scale, or clip the meta-gradient.", snap);
          }
        }
        s = it.next();
      } while (s.objState().epoch() == epoch);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Tree phi = s.params();
      if (!phi.allFinite()) {
        throw new DivergedException("meta-training produced a non-finite φ at epoch " + epoch, snap);
      }
      boolean evaluate = (epoch + 1) % plan.evaluateEvery() == 0 || epoch + 1 == plan.epochs();
      double evaluation = Double.NaN;
      boolean best = false;
      Tree bestPhi = snap.best();
      double bestEval = snap.bestEvaluation();
      int bestEpoch = snap.bestEpoch();
      if (evaluate) {
        evaluation = validationLoss(meta, phi, plan.evaluationTasks());
        if (evaluation < bestEval) {
          best = true;
          bestPhi = phi;
          bestEval = evaluation;
          bestEpoch = epoch;
        }
      }
      EpochReport report = new EpochReport(epoch, after.lastLoss(), metaLoss, nonFinite, seconds, evaluation, best);
      snap = new Snapshot(epoch + 1, phi, s.optState(), bestPhi, bestEval, bestEpoch, snap.history().append(report),
          inARow);
      listener.epochDone(report, snap);
    }
    return snap;
  }

  /**
   * The mean final loss of the learned optimizer with φ over held-out tasks of the meta task's
   * problem (seeds disjoint from the training tasks'), each run for the horizon.
   */
  public static double validationLoss(MetaObjective meta, Tree phi, int tasks) {
    return Evaluation.meanFinalLoss(meta.problem(), meta.learned().apply(phi), meta.horizon(),
        Evaluation.seeds(meta.seed(), "validation", tasks));
  }

  /** The learned optimizer of a snapshot's best φ. */
  public static Optimizer bestOptimizer(LearnedOptimizer learned, Snapshot s) {
    return learned.apply(s.best());
  }
}
