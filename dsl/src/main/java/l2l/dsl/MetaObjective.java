package l2l.dsl;

import io.vavr.Tuple2;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.LearnedOptimizer;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmUnroll;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;
import l2l.problems.Task;

/**
 * "Train with g(φ)" as an objective over φ. Each of its steps is one truncation: it runs
 * {@code unroll} optimizee steps with the learned optimizer g(φ) and returns the sum of the
 * optimizee's losses f(θ_t) over the truncation (t from its first to its last step, both
 * included, as in the original code) and the meta-gradient. Its carried state holds the
 * optimizee's θ and g's state between truncations, without gradient; after
 * ⌈horizon / unroll⌉ truncations an epoch ends and the next one samples a fresh task.
 *
 * <p>Minimizing this objective with any optimizer is meta-training: with Adam it is the paper's
 * setting, with a trained learned optimizer it is self-application.
 *
 * <p>With the first-order meta-gradient and the coordinatewise LSTM, truncations run on
 * {@link LstmUnroll}'s hand-written backward pass; otherwise on reverse mode through tensor
 * ops. Both compute the same numbers. {@link #withPrecision} lets the fast path run the LSTM in
 * single precision.
 */
public final class MetaObjective implements Objective<MetaObjective.State> {
  private final LearnedOptimizer learned;
  private final Problem problem;
  private final int horizon;
  private final int unroll;
  private final MetaGradient mode;
  private final long seed;
  private final long initSeed;
  private final StepLoss stepLoss;
  private final Map<Long, LstmUnroll> buffers = new HashMap<>();
  private boolean fastPath = true;
  private Precision precision = Precision.DOUBLE;

  /**
   * The carried state of meta-training.
   *
   * @param epoch the index of the current epoch (its task is {@code problem.sample(taskSeed(epoch))})
   * @param truncation the next truncation to run in this epoch; 0 means the epoch starts afresh
   * @param task the current task (null when the epoch starts afresh)
   * @param theta the optimizee's parameters (at an epoch's start: the last θ of the epoch before, or null)
   * @param optState the learned optimizer's state
   * @param last f and ∇f at θ on the next step, if known
   * @param losses f(θ_t) over the last truncation run (empty before the first)
   */
  public record State(int epoch, int truncation, Task task, Tree theta, Tree optState, ValueAndGrad<Tree> last,
      double[] losses) {
    /** The optimizee's loss at the end of the last truncation run (NaN before the first). */
    public double lastLoss() {
      return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
    }
  }

  /**
   * A meta task.
   *
   * @param learned the learned optimizer g
   * @param problem the distribution of optimizees
   * @param horizon optimizee steps per epoch (the original: 100)
   * @param unroll optimizee steps per truncation (the original: 20)
   * @param mode first- or second-order meta-gradient
   * @param seed fixes the task of every epoch and φ₀
   */
  public MetaObjective(LearnedOptimizer learned, Problem problem, int horizon, int unroll, MetaGradient mode, long seed) {
    this(learned, problem, horizon, unroll, mode, seed, StepLoss.LINEAR);
  }

  /**
   * A meta task whose truncation meta-loss is Σ_t ℓ(f(θ_t)) for the step loss ℓ
   * ({@link StepLoss#LINEAR} is the paper's Σ_t f(θ_t)).
   */
  public MetaObjective(LearnedOptimizer learned, Problem problem, int horizon, int unroll, MetaGradient mode, long seed,
      StepLoss stepLoss) {
    if (horizon < 1) throw new IllegalArgumentException("horizon must be at least 1 step, got " + horizon);
    if (unroll < 1) throw new IllegalArgumentException("unroll must be at least 1 step, got " + unroll);
    if (unroll > horizon) {
      throw new IllegalArgumentException("unroll (" + unroll + " steps) must not be longer than the horizon ("
          + horizon + " steps)");
    }
    this.learned = learned;
    this.problem = problem;
    this.horizon = horizon;
    this.unroll = unroll;
    this.mode = mode;
    this.seed = seed;
    this.initSeed = Seeds.derive(seed, "phi", 0);
    this.stepLoss = stepLoss;
  }

  /** The same meta task with the general (reverse-mode) path only; for checking the fast path. */
  public MetaObjective withoutFastPath() {
    MetaObjective m = new MetaObjective(learned, problem, horizon, unroll, mode, seed, stepLoss);
    m.fastPath = false;
    m.precision = precision;
    return m;
  }

  /**
   * The same meta task with the fast path's LSTM arithmetic in the given precision
   * ({@link Precision#DOUBLE} by default). {@link Precision#FLOAT32} is about twice as fast and
   * agrees with double to single precision's rounding; the optimizee, φ and the meta-gradient stay
   * double. Truncations that take the general path (second-order meta-gradient, LSTM+GAC) always
   * run in double.
   */
  public MetaObjective withPrecision(Precision p) {
    java.util.Objects.requireNonNull(p, "MetaObjective.withPrecision: null");
    MetaObjective m = new MetaObjective(learned, problem, horizon, unroll, mode, seed, stepLoss);
    m.fastPath = fastPath;
    m.precision = p;
    return m;
  }

  /** The precision of the fast path's LSTM arithmetic. */
  public Precision precision() {
    return precision;
  }

  /** The learned optimizer being trained. */
  public LearnedOptimizer learned() {
    return learned;
  }

  /** The problem. */
  public Problem problem() {
    return problem;
  }

  /** Optimizee steps per epoch. */
  public int horizon() {
    return horizon;
  }

  /** Optimizee steps per truncation. */
  public int unroll() {
    return unroll;
  }

  /** The meta-gradient mode. */
  public MetaGradient mode() {
    return mode;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** How each step's loss enters the meta-loss. */
  public StepLoss stepLoss() {
    return stepLoss;
  }

  /** Truncations per epoch, ⌈horizon / unroll⌉. */
  public int truncationsPerEpoch() {
    return (horizon + unroll - 1) / unroll;
  }

  /** The seed of the task of a training epoch. */
  public long taskSeed(int epoch) {
    return Seeds.derive(seed, "train", epoch);
  }

  @Override
  public Tree init() {
    return learned.init(initSeed);
  }

  @Override
  public State start() {
    return fresh(0, new double[0]);
  }

  /** The state at the start of an epoch. */
  public State startOfEpoch(int epoch) {
    return fresh(epoch, new double[0]);
  }

  private static State fresh(int epoch, double[] losses) {
    return new State(epoch, 0, null, null, null, null, losses);
  }

  private static State fresh(int epoch, Tree lastTheta, double[] losses) {
    return new State(epoch, 0, null, lastTheta, null, null, losses);
  }

  @Override
  public Step<State> step(Tree phi, State state, int t) {
    State s = state;
    if (s.truncation() == 0 || s.task() == null) {
      Task task = problem.sample(taskSeed(s.epoch()));
      Tree theta = task.init();
      s = new State(s.epoch(), 0, task, theta, learned.apply(phi.detach()).init(theta), null, s.losses());
    }
    int first = s.truncation() * unroll;
    int steps = Math.min(unroll, horizon - first);
    Truncation r = useFastPath(phi) ? fast(phi, s, first, steps) : general(phi, s, first, steps);
    boolean finite = Double.isFinite(r.metaLoss.item()) && r.theta.allFinite();
    boolean epochEnds = s.truncation() + 1 >= truncationsPerEpoch() || !finite;
    State next = epochEnds ? fresh(s.epoch() + 1, r.theta, r.losses)
        : new State(s.epoch(), s.truncation() + 1, s.task(), r.theta, r.optState, r.last, r.losses);
    return new Step<>(r.metaLoss, r.grad, next);
  }

  private boolean useFastPath(Tree phi) {
    return fastPath && mode == MetaGradient.FIRST_ORDER && learned instanceof CoordinatewiseLstm lstm
        && !lstm.config().hasGlobalAveraging() && !phi.leaves().exists(Tensor::isTraced);
  }

  private record Truncation(Tensor metaLoss, Tree grad, Tree theta, Tree optState, ValueAndGrad<Tree> last,
      double[] losses) {}

  private Truncation fast(Tree phi, State s, int first, int steps) {
    CoordinatewiseLstm lstm = (CoordinatewiseLstm) learned;
    int n = s.theta().size();
    LstmUnroll engine = buffers.computeIfAbsent(((long) n << 20) | steps,
        k -> new LstmUnroll(lstm.config(), n, steps, precision));
    Task task = s.task();
    LstmUnroll.Oracle oracle = (theta, step) ->
        Autodiff.valueAndGradTree((Tree p) -> task.loss(p, step)).apply(theta);
    LstmUnroll.Result r = engine.run(phi, oracle, s.theta(), s.optState(), first, s.last(), stepLoss);
    return new Truncation(Tensor.scalar(r.metaLoss()), r.phiGrad(), r.theta(), r.state(), r.last(), r.losses());
  }

  private Truncation general(Tree phi, State s, int first, int steps) {
    Task task = s.task();
    double[] losses = new double[steps + 1];
    Function<Tree, Tuple2<Tensor, Tuple2<Tree, Tree>>> metaLoss = p -> {
      Optimizer opt = learned.apply(p);
      Tree theta = s.theta();
      Tree state = s.optState();
      Tensor f0 = task.loss(theta, first);
      losses[0] = f0.item();
      Tensor total = stepLoss.apply(f0);
      for (int t = 0; t < steps; t++) {
        int step = first + t;
        Tree g = mode == MetaGradient.FIRST_ORDER
            ? Autodiff.gradTree((Tree x) -> task.loss(x, step)).apply(theta.detach())
            : Autodiff.gradTree((Tree x) -> task.loss(x, step)).apply(theta);
        Optimizer.Update u = opt.update(g, state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
        Tensor f = task.loss(theta, step + 1);
        losses[t + 1] = f.item();
        total = total.add(stepLoss.apply(f));
      }
      return new Tuple2<>(total, new Tuple2<>(theta, state));
    };
    Autodiff.ValueGradAux<Tree, Tuple2<Tree, Tree>> r = Autodiff.valueAndGradWithAux(metaLoss).apply(phi);
    return new Truncation(r.value(), r.grad(), r.aux()._1.detach(), r.aux()._2.detach(), null, losses);
  }
}
