package l2l.dsl;

import io.vavr.collection.Iterator;
import io.vavr.collection.List;
import io.vavr.control.Option;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;
import l2l.problems.Problem;

/**
 * Meta-training as a lazy sequence of snapshots, one per epoch, read off
 * {@code minimize(metaBatch, metaOptimizer)} ({@link MetaBatch}: {@link Plan#metaBatch} tasks per
 * meta-step; with one it is {@code minimize(metaTask, metaOptimizer)}): every
 * {@link Plan#evaluateEvery} epochs φ is evaluated on held-out tasks (of the meta task's problem, or of
 * {@link Plan#validation}) and the best φ kept (model
 * selection) — or, when the meta-optimizer keeps an average of φ ({@link Transforms#averaged}), that
 * average is evaluated and kept instead. Each {@link Snapshot} holds everything a run continues from exactly; progress,
 * checkpoints and stopping early are consumers of the sequence ({@link #snapshots}), and
 * {@link #run} and {@link #resume} take its last element.
 *
 * <p>The meta-optimizer is wrapped in {@link Transforms#applyIfFinite}, so a meta-step with a
 * non-finite gradient or result is never kept; an epoch whose optimizee diverges ({@link Divergence})
 * ends early, its truncation takes no meta-step, and the next epoch starts on a fresh task. Too many
 * diverged truncations in a row stop the run with a {@link DivergedException}. A held-out
 * evaluation on which any task diverges is +∞ and is never selected as the best φ.
 */
public final class MetaTraining {
  private MetaTraining() {}

  /**
   * How long to train and how to select. The defaults ({@link #of}) are the original code's:
   * evaluation every {@value #EVALUATE_EVERY} epochs on {@value #EVALUATION_TASKS} held-out tasks; stop
   * after {@value #MAX_NON_FINITE} non-finite truncations in a row; one task per meta-step.
   *
   * @param epochs epochs to train (each samples {@code metaBatch} tasks and runs the horizon)
   * @param evaluateEvery evaluate φ on held-out tasks after every this many epochs (and after the last)
   * @param evaluationTasks how many held-out tasks per evaluation
   * @param maxNonFinite stop after this many diverged truncations in a row
   * @param metaBatch tasks per meta-step, their meta-losses and meta-gradients summed ({@link MetaBatch})
   * @param curriculum shorter horizons for the first epochs ({@link Stage}s, in order; empty: none)
   * @param validation the problem whose held-out tasks select φ, if not the meta task's own (e.g. a family kept out
   *     of both the training mixture and the test families)
   */
  public record Plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, int metaBatch,
      List<Stage> curriculum, Option<Problem> validation) {
    /** The default evaluation interval. */
    public static final int EVALUATE_EVERY = 100;
    /** The default number of held-out tasks per evaluation. */
    public static final int EVALUATION_TASKS = 20;
    /** The default number of non-finite truncations in a row that stops a run. */
    public static final int MAX_NON_FINITE = 10;

    /** Checks the counts. */
    public Plan {
      if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
      if (evaluateEvery < 1) throw new IllegalArgumentException("evaluateEvery must be ≥ 1, got " + evaluateEvery);
      if (evaluationTasks < 1) throw new IllegalArgumentException("evaluationTasks must be ≥ 1, got " + evaluationTasks);
      if (maxNonFinite < 1) throw new IllegalArgumentException("maxNonFinite must be ≥ 1, got " + maxNonFinite);
      if (metaBatch < 1) throw new IllegalArgumentException("metaBatch must be ≥ 1, got " + metaBatch);
      java.util.Objects.requireNonNull(curriculum, "Plan: curriculum");
      java.util.Objects.requireNonNull(validation, "Plan: validation");
      for (int i = 1; i < curriculum.size(); i++) {
        if (curriculum.get(i).untilEpoch() <= curriculum.get(i - 1).untilEpoch()) {
          throw new IllegalArgumentException("a curriculum's stages must end at increasing epochs, got "
              + curriculum.mkString(", "));
        }
      }
    }

    /** A plan validating on the meta task's own problem. */
    public Plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, int metaBatch,
        List<Stage> curriculum) {
      this(epochs, evaluateEvery, evaluationTasks, maxNonFinite, metaBatch, curriculum, Option.none());
    }

    /** A plan without a curriculum. */
    public Plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, int metaBatch) {
      this(epochs, evaluateEvery, evaluationTasks, maxNonFinite, metaBatch, List.empty());
    }

    /** A plan with one task per meta-step. */
    public Plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite) {
      this(epochs, evaluateEvery, evaluationTasks, maxNonFinite, 1);
    }

    /** This plan training with the stages' horizons first ({@link Stage}). */
    public Plan withCurriculum(List<Stage> stages) {
      return new Plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite, metaBatch, stages, validation);
    }

    /**
     * Checks that every stage's horizon holds the meta task's unroll.
     *
     * @throws IllegalArgumentException naming the unroll and the shorter horizon
     */
    public void requireFits(MetaTask task) {
      curriculum.forEach(st -> task.withHorizon(st.horizon()));
    }

    /** The horizon epoch {@code e} trains with: its stage's, or {@code horizon} after the last stage. */
    public int horizonAt(int e, int horizon) {
      return curriculum.find(st -> e < st.untilEpoch()).map(Stage::horizon).getOrElse(horizon);
    }

    /** This many epochs with the default selection. */
    public static Plan of(int epochs) {
      return new Plan(epochs, EVALUATE_EVERY, EVALUATION_TASKS, MAX_NON_FINITE);
    }

    /** This plan with another number of epochs. */
    public Plan withEpochs(int n) {
      return new Plan(n, evaluateEvery, evaluationTasks, maxNonFinite, metaBatch, curriculum, validation);
    }

    /** This plan evaluating every {@code n} epochs. */
    public Plan evaluatingEvery(int n) {
      return new Plan(epochs, n, evaluationTasks, maxNonFinite, metaBatch, curriculum, validation);
    }

    /** This plan evaluating on {@code n} held-out tasks. */
    public Plan evaluatingOn(int n) {
      return new Plan(epochs, evaluateEvery, n, maxNonFinite, metaBatch, curriculum, validation);
    }

    /** This plan stopping after {@code n} non-finite truncations in a row. */
    public Plan stoppingAfter(int n) {
      return new Plan(epochs, evaluateEvery, evaluationTasks, n, metaBatch, curriculum, validation);
    }

    /** This plan selecting φ on held-out tasks of {@code p} instead of the meta task's problem. */
    public Plan validatingOn(Problem p) {
      return new Plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite, metaBatch, curriculum, Option.of(p));
    }

    /** The meta task whose held-out tasks select φ: {@code task} on the validation problem, if one is given. */
    public MetaTask validationTask(MetaTask task) {
      return validation.map(task::withProblem).getOrElse(task);
    }

    /** This plan with {@code n} tasks per meta-step. */
    public Plan withMetaBatch(int n) {
      return new Plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite, n, curriculum, validation);
    }
  }

  /**
   * A stage of a curriculum over the unrolled horizon (Chen et al. 2020): the epochs before
   * {@code untilEpoch} not covered by an earlier stage train with {@code horizon} optimizee steps
   * (the meta task's unroll, at most this horizon); validation always uses the meta task's own
   * horizon, so φ is selected for the length it is meant for.
   *
   * @param horizon optimizee steps per epoch in this stage
   * @param untilEpoch the first epoch after the stage
   */
  public record Stage(int horizon, int untilEpoch) {
    /** Checks the counts. */
    public Stage {
      if (horizon < 1) throw new IllegalArgumentException("a curriculum stage's horizon must be ≥ 1, got " + horizon);
      if (untilEpoch < 1) throw new IllegalArgumentException("a curriculum stage must end after epoch ≥ 1, got " + untilEpoch);
    }

    @Override
    public String toString() {
      return horizon + ":" + untilEpoch;
    }
  }

  /**
   * What one epoch did.
   *
   * @param epoch the epoch's index (from 0)
   * @param finalLoss the optimizee's loss at the end of the epoch (f(θ_horizon), or where it diverged; the mean
   *     over the meta-batch's tasks)
   * @param metaLoss the sum of the epoch's meta-step meta-losses (NaN if one of them diverged)
   * @param metaGradNorm the mean Euclidean norm of the epoch's finite meta-gradients as the meta-optimizer
   *     receives them, before any clipping (NaN if none was finite)
   * @param nonFinite how many of its truncations diverged (their meta-steps were skipped)
   * @param seconds wall time of the epoch
   * @param evaluation the mean final loss on held-out tasks after this epoch, if evaluated (else NaN); ∞ if
   *     a task diverged
   * @param best whether this evaluation is the best so far
   */
  public record EpochReport(int epoch, double finalLoss, double metaLoss, double metaGradNorm, int nonFinite,
      double seconds, double evaluation, boolean best) {
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
   * @param nonFiniteInARow diverged truncations in a row at the boundary
   */
  public record Snapshot(int nextEpoch, Tree phi, Tree metaOptState, Tree best, double bestEvaluation, int bestEpoch,
      List<EpochReport> history, int nonFiniteInARow) {
    /** The report of the last epoch run (null before any). */
    public EpochReport last() {
      return history.isEmpty() ? null : history.last();
    }

    /** Whether φ was evaluated on held-out tasks and every evaluation diverged, so that no φ was selected. */
    public boolean everyEvaluationDiverged() {
      return bestEpoch < 0 && history.exists(EpochReport::evaluated);
    }
  }

  /** Thrown when the optimizee diverges in too many truncations in a row; the message says where. */
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

  /** The snapshot a run starting at φ is in before its first epoch (with φ = φ₀, where {@link #run} starts). */
  public static Snapshot start(Tree phi, Optimizer metaOptimizer) {
    return new Snapshot(0, phi, Transforms.applyIfFinite(metaOptimizer).init(phi), phi, Double.POSITIVE_INFINITY, -1,
        List.empty(), 0);
  }

  /** Trains from φ₀ = task.init() and returns the last snapshot. */
  public static Snapshot run(MetaTask task, Optimizer metaOptimizer, Plan plan) {
    return resume(task, metaOptimizer, plan, start(task.init(), metaOptimizer));
  }

  /**
   * Continues a run from a snapshot until {@code plan.epochs()} epochs are done and returns the last
   * snapshot: the same as if the run had not stopped (snapshots are taken at epoch boundaries,
   * where no task state is carried).
   */
  public static Snapshot resume(MetaTask task, Optimizer metaOptimizer, Plan plan, Snapshot from) {
    return snapshots(task, metaOptimizer, plan, from).foldLeft(from, (a, b) -> b);
  }

  /**
   * The snapshots after each epoch from {@code from} on, until {@code plan.epochs()} epochs are
   * done, computed as they are read, the meta-batch's tasks on this process's threads. Reading one
   * more epoch may throw {@link DivergedException}.
   */
  public static Iterator<Snapshot> snapshots(MetaTask task, Optimizer metaOptimizer, Plan plan, Snapshot from) {
    return snapshots(task, metaOptimizer, plan, from, MetaBatch.Workers.LOCAL);
  }

  /**
   * As {@link #snapshots(MetaTask, Optimizer, Plan, Snapshot)}, the meta-batch's truncations run by
   * {@code workers} (e.g. on a cluster).
   */
  public static Iterator<Snapshot> snapshots(MetaTask task, Optimizer metaOptimizer, Plan plan, Snapshot from,
      MetaBatch.Workers workers) {
    if (from.nextEpoch() >= plan.epochs()) return Iterator.empty();
    plan.requireFits(task);
    Optimizer wrapped = Transforms.applyIfFinite(metaOptimizer);
    Snapshot[] current = {from};
    int[] horizon = {-1};
    @SuppressWarnings("unchecked")
    java.util.Iterator<Minimize.State<MetaBatch.State>>[] states = new java.util.Iterator[1];
    @SuppressWarnings("unchecked")
    Minimize.State<MetaBatch.State>[] head = new Minimize.State[1];
    return Iterator.continually(() -> {
      int e = current[0].nextEpoch(), h = plan.horizonAt(e, task.horizon());
      if (h != horizon[0]) {  // a run's start or a new stage: continue from the snapshot with this horizon
        MetaBatch batch = new MetaBatch(task.withHorizon(h), plan.metaBatch(), workers);
        states[0] = Minimize.states(batch, wrapped, current[0].phi(), current[0].metaOptState(), batch.startOfEpoch(e),
            Math.toIntExact(metaSteps(task, plan, e)));
        head[0] = states[0].next();
        horizon[0] = h;
      }
      current[0] = epoch(task, plan, states[0], head, current[0]);
      return current[0];
    }).take(plan.epochs() - from.nextEpoch());
  }

  /** Meta-steps (truncations) before epoch {@code e}, each epoch's with its curriculum horizon. */
  private static long metaSteps(MetaTask task, Plan plan, int e) {
    long n = 0;
    for (int i = 0; i < e; i++) n += task.withHorizon(plan.horizonAt(i, task.horizon())).truncationsPerEpoch();
    return n;
  }

  /** Runs one epoch from the state at its start ({@code head[0]}) and returns the snapshot after it. */
  private static Snapshot epoch(MetaTask task, Plan plan, java.util.Iterator<Minimize.State<MetaBatch.State>> states,
      Minimize.State<MetaBatch.State>[] head, Snapshot snap) {
    int epoch = snap.nextEpoch();
    long t0 = System.nanoTime();
    double metaLoss = 0, gradNorms = 0;
    int nonFinite = 0, inARow = snap.nonFiniteInARow(), finite = 0;
    Minimize.State<MetaBatch.State> s = head[0];
    MetaBatch.State after;
    do {
      Objective.Step<MetaBatch.State> r = s.result();
      double l = r.loss().item();
      after = r.next();
      if (Double.isFinite(l) && r.grad().allFinite()) {
        metaLoss += l;
        gradNorms += r.grad().norm().item();
        finite++;
        inARow = 0;
      } else {
        nonFinite++;
        inARow++;
        if (inARow >= plan.maxNonFinite()) {
          throw new DivergedException("meta-training diverged at epoch " + (epoch + 1) + ": the optimizee diverged ("
              + Divergence.rule() + ") in " + inARow + " truncations in a row, the last at truncation "
              + (s.objState().truncation() + 1) + " with loss " + after.lastLoss(), snap);
        }
      }
      s = states.next();
    } while (s.objState().epoch() == epoch);
    head[0] = s;
    double seconds = (System.nanoTime() - t0) / 1e9;
    Tree phi = s.params();
    if (!phi.allFinite()) throw new DivergedException("meta-training produced a non-finite φ at epoch " + (epoch + 1), snap);
    boolean evaluate = (epoch + 1) % plan.evaluateEvery() == 0 || epoch + 1 == plan.epochs();
    Tree candidate = evaluate ? Transforms.averageOf(s.optState()).getOrElse(phi) : phi;
    double evaluation = evaluate ? validationLoss(plan.validationTask(task), candidate, plan.evaluationTasks()) : Double.NaN;
    if (nonFinite > 0) metaLoss = Double.NaN;
    boolean best = evaluate && evaluation < snap.bestEvaluation();
    EpochReport report = new EpochReport(epoch, after.lastLoss(), metaLoss,
        finite == 0 ? Double.NaN : gradNorms / finite, nonFinite, seconds, evaluation, best);
    return new Snapshot(epoch + 1, phi, s.optState(), best ? candidate : snap.best(),
        best ? evaluation : snap.bestEvaluation(), best ? epoch : snap.bestEpoch(), snap.history().append(report), inARow);
  }

  /**
   * The mean final loss of the learned optimizer with φ over held-out tasks of the meta task's
   * problem (seeds disjoint from the training tasks'), each run for the horizon; ∞ if any of them
   * diverged ({@link Divergence}).
   */
  public static double validationLoss(MetaTask task, Tree phi, int tasks) {
    return Evaluation.meanFinalLoss(task.problem(), task.learned().apply(phi), task.horizon(),
        Evaluation.seeds(task.seed(), "validation", tasks));
  }
}
