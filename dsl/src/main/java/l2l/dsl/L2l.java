package l2l.dsl;

import io.vavr.collection.Iterator;
import io.vavr.control.Option;
import java.util.Objects;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;

/**
 * Meta-training as one expression that reads like the paper. An immutable builder over a
 * {@link MetaTask}, a {@link MetaTraining.Plan} and a meta-optimizer: every method returns a new
 * {@code L2l}, and {@link #train()} returns the trained optimizer as a value:
 *
 * <pre>{@code
 * Trained g = L2l.learn(CoordinatewiseLstm.of(LstmConfig.quadratic()))
 *     .on(Quadratic.defaults()).horizon(100).unroll(20).metaGradient(FIRST_ORDER)
 *     .metaOptimizer(Optimizers.adam(1e-3)).epochs(500).seed(1).train();
 * }</pre>
 *
 * Changing only the meta-optimizer gives self-application: {@code .metaOptimizer(g.optimizer())}
 * trains with a trained learned optimizer (g' = g(d, g)), and {@link #selfReferential()} trains φ
 * with g at the current φ itself. The defaults are {@link MetaTask#of}'s and {@link MetaTraining.Plan#of}'s, with
 * Adam 10⁻³ as meta-optimizer and {@value #EPOCHS} epochs.
 *
 * @param task the meta task
 * @param plan epochs and model selection
 * @param metaOptimizer the optimizer of φ
 * @param start φ to start from instead of g's initialisation
 */
public record L2l(MetaTask task, MetaTraining.Plan plan, Optimizer metaOptimizer, Option<Tree> start) {
  /** The default number of epochs of an expression. */
  public static final int EPOCHS = 100;

  /** Checks presence and that a start φ fits g. */
  public L2l {
    Objects.requireNonNull(task, "L2l: task");
    Objects.requireNonNull(plan, "L2l: plan");
    Objects.requireNonNull(metaOptimizer, "L2l: metaOptimizer");
    Objects.requireNonNull(start, "L2l: start");
    start.forEach(phi -> task.learned().init(0).requireSameStructure(phi,
        "L2l.startingFrom: φ does not fit " + task.learned().describe()));
  }

  /** The first half of the expression: what to learn; {@link Learning#on} says on what. */
  public record Learning(LearnedOptimizer learned) {
    /** The optimizees: tasks drawn from this problem, a fresh one every epoch. */
    public L2l on(Problem p) {
      return new L2l(MetaTask.of(learned, p), MetaTraining.Plan.of(EPOCHS), Optimizers.adam(1e-3), Option.none());
    }
  }

  /** Starts the expression: learn the parameters φ of this learned optimizer g. */
  public static Learning learn(LearnedOptimizer g) {
    return new Learning(Objects.requireNonNull(g, "L2l.learn: the learned optimizer is null"));
  }

  /** Another meta task (e.g. one read from a file). */
  public L2l task(MetaTask t) {
    return new L2l(t, plan, metaOptimizer, start);
  }

  /** Tasks drawn from another problem. */
  public L2l on(Problem p) {
    return task(task.withProblem(p));
  }

  /** Optimizee steps per epoch. */
  public L2l horizon(int steps) {
    return task(task.withHorizon(steps));
  }

  /** Optimizee steps per truncation, one meta-step each. */
  public L2l unroll(int steps) {
    return task(task.withUnroll(steps));
  }

  /** First-order (the paper's) or exact second-order meta-gradient. */
  public L2l metaGradient(MetaGradient m) {
    return task(task.withMetaGradient(m));
  }

  /** How each optimizee step's loss enters the meta-loss: {@link StepLoss#LINEAR} (Σ f, the paper's) or {@link StepLoss#LOG}. */
  public L2l stepLoss(StepLoss l) {
    return task(task.withStepLoss(l));
  }

  /** The precision of g's engine ({@link Precision#FLOAT32} where g offers it: about twice as fast). */
  public L2l precision(Precision p) {
    return task(task.withPrecision(p));
  }

  /** Fixes φ₀, the task of every epoch and the held-out tasks. */
  public L2l seed(long s) {
    return task(task.withSeed(s));
  }

  /**
   * The optimizer that updates φ: any {@link Optimizer} — Adam, a trained learned optimizer
   * ({@code trained.optimizer()}: self-application), or {@link SelfApplication#selfReferential}.
   */
  public L2l metaOptimizer(Optimizer o) {
    return new L2l(task, plan, o, start);
  }

  /** φ is updated by g at the current φ itself (true self-reference, see {@link SelfApplication#selfReferential}). */
  public L2l selfReferential() {
    return metaOptimizer(SelfApplication.selfReferential(task.learned()));
  }

  /** The whole plan (epochs, evaluation, divergence limit) at once. */
  public L2l plan(MetaTraining.Plan p) {
    return new L2l(task, p, metaOptimizer, start);
  }

  /** How many epochs to train. */
  public L2l epochs(int n) {
    return plan(plan.withEpochs(n));
  }

  /** Evaluate φ on held-out tasks after every {@code n} epochs (and after the last) and keep the best. */
  public L2l evaluateEvery(int n) {
    return plan(plan.evaluatingEvery(n));
  }

  /** How many held-out tasks each evaluation uses. */
  public L2l evaluationTasks(int n) {
    return plan(plan.evaluatingOn(n));
  }

  /** Select φ on held-out tasks of {@code p} instead of the training problem ({@link MetaTraining.Plan#validatingOn}). */
  public L2l validateOn(Problem p) {
    return plan(plan.validatingOn(p));
  }

  /** Sum the meta-gradients of {@code n} tasks per meta-step ({@link MetaBatch}; 1, the default, is the paper's). */
  public L2l metaBatch(int n) {
    return plan(plan.withMetaBatch(n));
  }

  /** Train with shorter horizons first: each stage's horizon until its epoch ({@link MetaTraining.Stage}). */
  public L2l curriculum(MetaTraining.Stage... stages) {
    return plan(plan.withCurriculum(io.vavr.collection.List.of(stages)));
  }

  /** Start from this φ instead of g's initialisation (e.g. to continue training a trained optimizer). */
  public L2l startingFrom(Tree phi) {
    return new L2l(task, plan, metaOptimizer, Option.of(phi));
  }

  /**
   * Start from φ warm-started by imitating {@code teacher} on {@code tasks} of the problem's tasks
   * ({@link Imitation}, with this expression's meta-optimizer, from its current start); computed now.
   */
  public L2l imitating(Optimizer teacher, int tasks) {
    return startingFrom(new Imitation(task, teacher, tasks).warmStart(start.getOrElse(task::init), metaOptimizer));
  }

  /** The snapshot the run starts from. */
  public MetaTraining.Snapshot first() {
    return MetaTraining.start(start.getOrElse(task::init), metaOptimizer);
  }

  /** The snapshots after each epoch, computed as they are read (progress, checkpoints, early stops read them). */
  public Iterator<MetaTraining.Snapshot> snapshots() {
    return snapshots(first());
  }

  /** The snapshots after each epoch from a snapshot of this run on. */
  public Iterator<MetaTraining.Snapshot> snapshots(MetaTraining.Snapshot from) {
    return MetaTraining.snapshots(task, metaOptimizer, plan, from);
  }

  /** Runs meta-training and returns the trained optimizer. */
  public Trained train() {
    return resume(first());
  }

  /** Continues a run from one of its snapshots until the plan's epochs are done (the same result as not stopping). */
  public Trained resume(MetaTraining.Snapshot from) {
    return new Trained(task, MetaTraining.resume(task, metaOptimizer, plan, from));
  }

  /** One line: the meta task, the meta-optimizer and the epochs. */
  @Override
  public String toString() {
    return "learn " + task.describe() + ", meta-optimizer " + metaOptimizer.describe() + ", " + plan.epochs() + " epochs";
  }
}
