package l2l.dsl;

import io.vavr.control.Option;
import java.util.Objects;
import l2l.autodiff.Tree;
import l2l.optimizers.LearnedOptimizer;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;

/**
 * Meta-training as one expression that reads like the paper. An immutable builder: every method
 * returns a new {@code L2l}, and {@link #train()} returns the trained optimizer as a value:
 *
 * <pre>{@code
 * Trained g = L2l.learn(CoordinatewiseLstm.of(LstmConfig.quadratic()))
 *     .on(Quadratic.defaults()).horizon(100).unroll(20).metaGradient(FIRST_ORDER)
 *     .metaOptimizer(Optimizers.adam(1e-3)).epochs(500).seed(1).train();
 * }</pre>
 *
 * Changing only the meta-optimizer gives self-application: {@code .metaOptimizer(g.optimizer())}
 * trains with a trained learned optimizer (g' = g(d, g)), and {@link #selfReferential()} trains φ
 * with g at the current φ itself. It runs {@link MetaTraining} over a {@link MetaObjective}; the
 * defaults are the original code's: horizon 100, unroll 20, first-order meta-gradient, Adam with
 * learning rate 10⁻³, evaluation every 100 epochs on 20 held-out tasks, stop after 10 non-finite
 * truncations in a row; 100 epochs and seed 0 unless set.
 */
public final class L2l {
  private final LearnedOptimizer learned;
  private final Problem problem;
  private final int horizon;
  private final int unroll;
  private final MetaGradient mode;
  private final Optimizer metaOptimizer;
  private final MetaTraining.Plan plan;
  private final long seed;
  private final MetaTraining.Listener listener;
  private final Option<Tree> start;
  private final StepLoss stepLoss;
  private final Precision precision;

  private L2l(LearnedOptimizer learned, Problem problem, int horizon, int unroll, MetaGradient mode,
      Optimizer metaOptimizer, MetaTraining.Plan plan, long seed, MetaTraining.Listener listener, Option<Tree> start,
      StepLoss stepLoss, Precision precision) {
    this.learned = learned;
    this.problem = problem;
    this.horizon = horizon;
    this.unroll = unroll;
    this.mode = mode;
    this.metaOptimizer = metaOptimizer;
    this.plan = plan;
    this.seed = seed;
    this.listener = listener;
    this.start = start;
    this.stepLoss = stepLoss;
    this.precision = precision;
  }

  /** Starts the expression: learn the parameters φ of this learned optimizer g. */
  public static L2l learn(LearnedOptimizer g) {
    Objects.requireNonNull(g, "L2l.learn: the learned optimizer is null");
    return new L2l(g, null, 100, 20, MetaGradient.FIRST_ORDER, Optimizers.adam(1e-3), MetaTraining.Plan.of(100), 0,
        MetaTraining.Listener.none(), Option.none(), StepLoss.LINEAR, Precision.DOUBLE);
  }

  /** The optimizees: tasks drawn from this problem, a fresh one every epoch. */
  public L2l on(Problem p) {
    Objects.requireNonNull(p, "L2l.on: the problem is null");
    return new L2l(learned, p, horizon, unroll, mode, metaOptimizer, plan, seed, listener, start, stepLoss, precision);
  }

  /** Optimizee steps per epoch (the original: 100). */
  public L2l horizon(int steps) {
    if (steps < 1) throw new IllegalArgumentException("L2l.horizon: must be at least 1 step, got " + steps);
    return new L2l(learned, problem, steps, unroll, mode, metaOptimizer, plan, seed, listener, start,
        stepLoss, precision);
  }

  /** Optimizee steps per truncation, one meta-step each (the original: 20). */
  public L2l unroll(int steps) {
    if (steps < 1) throw new IllegalArgumentException("L2l.unroll: must be at least 1 step, got " + steps);
    return new L2l(learned, problem, horizon, steps, mode, metaOptimizer, plan, seed, listener, start,
        stepLoss, precision);
  }

  /** First-order (the paper's) or exact second-order meta-gradient. */
  public L2l metaGradient(MetaGradient m) {
    Objects.requireNonNull(m, "L2l.metaGradient: null");
    return new L2l(learned, problem, horizon, unroll, m, metaOptimizer, plan, seed, listener, start,
        stepLoss, precision);
  }

  /**
   * The optimizer that updates φ: any {@link Optimizer} — Adam, a trained learned optimizer
   * ({@code trained.optimizer()}: self-application), or {@link SelfApplication#selfReferential}.
   */
  public L2l metaOptimizer(Optimizer o) {
    Objects.requireNonNull(o, "L2l.metaOptimizer: null");
    return new L2l(learned, problem, horizon, unroll, mode, o, plan, seed, listener, start, stepLoss, precision);
  }

  /** φ is updated by g at the current φ itself (true self-reference, see {@link SelfApplication#selfReferential}). */
  public L2l selfReferential() {
    return metaOptimizer(SelfApplication.selfReferential(learned));
  }

  /** How many epochs to train. */
  public L2l epochs(int n) {
    return plan(new MetaTraining.Plan(n, plan.evaluateEvery(), plan.evaluationTasks(), plan.maxNonFinite()));
  }

  /** Evaluate φ on held-out tasks after every {@code n} epochs (and after the last) and keep the best. */
  public L2l evaluateEvery(int n) {
    return plan(plan.evaluatingEvery(n));
  }

  /** How many held-out tasks each evaluation uses. */
  public L2l evaluationTasks(int n) {
    return plan(plan.evaluatingOn(n));
  }

  /** The whole plan (epochs, evaluation, divergence limit) at once. */
  public L2l plan(MetaTraining.Plan p) {
    Objects.requireNonNull(p, "L2l.plan: null");
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, p, seed, listener, start,
        stepLoss, precision);
  }

  /** Fixes φ₀, the task of every epoch and the held-out tasks. */
  public L2l seed(long s) {
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, plan, s, listener, start,
        stepLoss, precision);
  }

  /** Receives every epoch's report and snapshot (progress, checkpoints). */
  public L2l listener(MetaTraining.Listener l) {
    Objects.requireNonNull(l, "L2l.listener: null");
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, plan, seed, l, start, stepLoss, precision);
  }

  /** Start from this φ instead of g's initialisation (e.g. to continue training a trained optimizer). */
  public L2l startingFrom(Tree phi) {
    learned.init(0).requireSameStructure(phi, "L2l.startingFrom: φ does not fit " + learned.describe());
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, plan, seed, listener, Option.of(phi),
        stepLoss, precision);
  }

  /** The learned optimizer g. */
  public LearnedOptimizer learned() {
    return learned;
  }

  /** The meta-optimizer. */
  public Optimizer metaOptimizer() {
    return metaOptimizer;
  }

  /** The plan. */
  public MetaTraining.Plan plan() {
    return plan;
  }

  /**
   * How each optimizee step's loss enters the meta-loss: {@link StepLoss#LINEAR} (Σ f, the
   * paper's, the default) or {@link StepLoss#LOG} (Σ log f).
   */
  public L2l stepLoss(StepLoss l) {
    Objects.requireNonNull(l, "L2l.stepLoss");
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, plan, seed, listener, start, l, precision);
  }

  /**
   * The precision of the LSTM's arithmetic in first-order meta-training: {@link Precision#DOUBLE}
   * (the default) or {@link Precision#FLOAT32} (about twice as fast; see
   * {@link MetaObjective#withPrecision}).
   */
  public L2l precision(Precision p) {
    Objects.requireNonNull(p, "L2l.precision");
    return new L2l(learned, problem, horizon, unroll, mode, metaOptimizer, plan, seed, listener, start, stepLoss, p);
  }

  /** The meta task this expression describes (a fresh object: its caches are not shared). */
  public MetaObjective meta() {
    if (problem == null) throw new IllegalStateException("L2l: no problem to learn on; add .on(problem)");
    return new MetaObjective(learned, problem, horizon, unroll, mode, seed, stepLoss).withPrecision(precision);
  }

  /** Runs meta-training and returns the trained optimizer. */
  public Trained train() {
    MetaObjective meta = meta();
    MetaTraining.Snapshot end = start.isEmpty() ? MetaTraining.run(meta, metaOptimizer, plan, listener)
        : MetaTraining.resume(meta, metaOptimizer, plan, listener, startAt(start.get(), metaOptimizer));
    return new Trained(meta, end);
  }

  /** Continues a run from one of its snapshots until the plan's epochs are done (the same result as not stopping). */
  public Trained resume(MetaTraining.Snapshot from) {
    MetaObjective meta = meta();
    return new Trained(meta, MetaTraining.resume(meta, metaOptimizer, plan, listener, from));
  }

  /**
   * The snapshot a run starting at φ is in before its first epoch: exactly what
   * {@link MetaTraining#run} starts from when φ = φ₀.
   */
  public static MetaTraining.Snapshot startAt(Tree phi, Optimizer metaOptimizer) {
    Optimizer wrapped = SelfApplication.guarded(metaOptimizer);
    return new MetaTraining.Snapshot(0, phi, wrapped.init(phi), phi, Double.POSITIVE_INFINITY, -1,
        io.vavr.collection.List.empty(), 0);
  }

  /** One line: g, the problem, horizon, unroll, meta-gradient, meta-optimizer, epochs and seed. */
  @Override
  public String toString() {
    return "learn " + learned.describe() + " on " + (problem == null ? "?" : problem.name()) + ", horizon " + horizon
        + ", unroll " + unroll + ", " + mode + " meta-gradient, meta-optimizer " + metaOptimizer.describe() + ", "
        + plan.epochs() + " epochs, seed " + seed + (precision == Precision.DOUBLE ? "" : ", " + precision.label());
  }
}
