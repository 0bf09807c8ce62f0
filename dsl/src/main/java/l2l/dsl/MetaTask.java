package l2l.dsl;

import java.util.Objects;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.Engine;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Perturbations;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problem;
import l2l.problems.Seeds;
import l2l.problems.Task;

/**
 * "Train with g(φ)": the meta task, as one immutable value, and an objective over φ. Each step of
 * the objective is one truncation: {@code unroll} optimizee steps with the learned optimizer g(φ),
 * the meta-loss Σ_t ℓ(f(θ_t)) over the truncation (t from its first to its last step, both
 * included, as in the original code) and its gradient in φ. The carried {@link State} holds the
 * optimizee's θ and g's state between truncations; after ⌈horizon / unroll⌉ truncations an epoch
 * ends and the next one samples a fresh task. A truncation whose optimizee diverges
 * ({@link Divergence}: a loss that is not finite or above 1000·|f(θ₀)| of the epoch's task) ends
 * its epoch early and has a NaN meta-loss and gradient, so no meta-step is taken on it.
 *
 * <p>Minimizing this objective with any optimizer is meta-training: with Adam it is the paper's
 * setting, with a trained learned optimizer it is self-application. Backpropagated truncations run
 * on the engine g offers for the precision ({@link LearnedOptimizer#engine}); every engine gives the
 * numbers of reverse mode through g. The evolution strategies run forward only
 * ({@link Perturbations}), their noise a function of the seed, the epoch and the truncation.
 *
 * <p>The defaults ({@link #of}) are the original code's: horizon {@value #HORIZON}, unroll
 * {@value #UNROLL}, first-order meta-gradient, the linear meta-loss Σ f, double precision, seed 0.
 *
 * @param learned the learned optimizer g
 * @param problem the distribution of optimizees
 * @param horizon optimizee steps per epoch
 * @param unroll optimizee steps per truncation
 * @param metaGradient how the meta-gradient is estimated (truncated backpropagation of first or
 *     second order, the full horizon, ES, PES)
 * @param stepLoss how each step's loss enters the meta-loss
 * @param precision the precision of g's engine
 * @param seed fixes φ₀, the task of every epoch and the held-out tasks
 */
public record MetaTask(LearnedOptimizer learned, Problem problem, int horizon, int unroll, MetaGradient metaGradient,
    StepLoss stepLoss, Precision precision, long seed) implements Objective<MetaTask.State> {
  /** The default horizon (the original code's). */
  public static final int HORIZON = 100;
  /** The default unroll (the original code's). */
  public static final int UNROLL = 20;

  /** Checks the values; a precision g offers no engine in is refused. */
  public MetaTask {
    Objects.requireNonNull(learned, "MetaTask: the learned optimizer is null");
    Objects.requireNonNull(problem, "MetaTask: the problem is null");
    Objects.requireNonNull(metaGradient, "MetaTask: metaGradient");
    Objects.requireNonNull(stepLoss, "MetaTask: stepLoss");
    Objects.requireNonNull(precision, "MetaTask: precision");
    if (horizon < 1) throw new IllegalArgumentException("the horizon must be at least 1 step, got " + horizon);
    if (unroll < 1) throw new IllegalArgumentException("the unroll must be at least 1 step, got " + unroll);
    if (unroll > horizon) {
      throw new IllegalArgumentException("the unroll (" + unroll + " steps) must not be longer than the horizon ("
          + horizon + " steps)");
    }
    learned.engine(precision);
  }

  /** Meta-training g on a problem with the defaults. */
  public static MetaTask of(LearnedOptimizer learned, Problem problem) {
    return new MetaTask(learned, problem, HORIZON, UNROLL, MetaGradient.FIRST_ORDER, StepLoss.LINEAR, Precision.DOUBLE,
        0);
  }

  /** This task with another learned optimizer. */
  public MetaTask withLearned(LearnedOptimizer g) {
    return new MetaTask(g, problem, horizon, unroll, metaGradient, stepLoss, precision, seed);
  }

  /** This task on another problem. */
  public MetaTask withProblem(Problem p) {
    return new MetaTask(learned, p, horizon, unroll, metaGradient, stepLoss, precision, seed);
  }

  /** This task with another horizon. */
  public MetaTask withHorizon(int steps) {
    return new MetaTask(learned, problem, steps, unroll, metaGradient, stepLoss, precision, seed);
  }

  /** This task with another unroll. */
  public MetaTask withUnroll(int steps) {
    return new MetaTask(learned, problem, horizon, steps, metaGradient, stepLoss, precision, seed);
  }

  /** This task with another meta-gradient estimator. */
  public MetaTask withMetaGradient(MetaGradient m) {
    return new MetaTask(learned, problem, horizon, unroll, m, stepLoss, precision, seed);
  }

  /** This task with another step loss. */
  public MetaTask withStepLoss(StepLoss l) {
    return new MetaTask(learned, problem, horizon, unroll, metaGradient, l, precision, seed);
  }

  /** This task in another precision. */
  public MetaTask withPrecision(Precision p) {
    return new MetaTask(learned, problem, horizon, unroll, metaGradient, stepLoss, p, seed);
  }

  /** This task with another seed. */
  public MetaTask withSeed(long s) {
    return new MetaTask(learned, problem, horizon, unroll, metaGradient, stepLoss, precision, s);
  }

  /**
   * The carried state of meta-training.
   *
   * @param epoch the index of the current task, its task {@code problem.sample(taskSeed(epoch))}: the epoch's
   *     (in a {@link MetaBatch} of B, task b of epoch e has index e·B + b)
   * @param truncation the next truncation to run in this epoch; 0 means the epoch starts afresh
   * @param task the current task (null when the epoch starts afresh)
   * @param theta the optimizee's parameters (at an epoch's start: the last θ of the epoch before, or null)
   * @param optState the learned optimizer's state
   * @param last f and ∇f at θ on the next step, if known
   * @param losses f(θ_t) over the last truncation run (empty before the first)
   * @param initialLoss f(θ₀) of the epoch's task (NaN before its first truncation)
   * @param engine the engine of this run (it may keep work buffers for the run)
   * @param particles persistent ES's particles in the current task (null otherwise)
   */
  public record State(int epoch, int truncation, Task task, Tree theta, Tree optState, ValueAndGrad<Tree> last,
      double[] losses, double initialLoss, Engine engine, Perturbations.Persistent particles) {
    /** The optimizee's loss at the end of the last truncation run (NaN before the first). */
    public double lastLoss() {
      return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
    }
  }

  /** Optimizee steps per truncation: the unroll, or the horizon for {@link MetaGradient#FULL}. */
  public int truncation() {
    return metaGradient instanceof MetaGradient.Backprop b && b.wholeHorizon() ? horizon : unroll;
  }

  /** Truncations per epoch, ⌈horizon / truncation⌉. */
  public int truncationsPerEpoch() {
    return (horizon + truncation() - 1) / truncation();
  }

  /** The seed of the training task of an index (an epoch's, or a meta-batch's task, see {@link MetaBatch}). */
  public long taskSeed(int epoch) {
    return Seeds.derive(seed, "train", epoch);
  }

  @Override
  public Tree init() {
    return learned.init(Seeds.derive(seed, "phi", 0));
  }

  @Override
  public State start() {
    return startOfEpoch(0);
  }

  /** The state at the start of an epoch. */
  public State startOfEpoch(int epoch) {
    return new State(epoch, 0, null, null, null, null, new double[0], Double.NaN, learned.engine(precision), null);
  }

  @Override
  public Step<State> step(Tree phi, State state, int t) {
    State s = state;
    if (s.truncation() == 0 || s.task() == null) {
      Task task = problem.sample(taskSeed(s.epoch()));
      Tree theta = task.init();
      s = new State(s.epoch(), 0, task, theta, learned.apply(phi.detach()).init(theta), null, s.losses(), Double.NaN,
          s.engine(), null);
    }
    int first = s.truncation() * truncation();
    Task task = s.task();
    Engine.Truncation truncation = new Engine.Truncation(phi, task::loss, s.theta(), s.optState(), first,
        Math.min(truncation(), horizon - first), io.vavr.control.Option.of(s.last()), stepLoss,
        metaGradient instanceof MetaGradient.Backprop b && b.exact());
    long noise = Seeds.derive(seed, "perturbation", (long) s.epoch() * truncationsPerEpoch() + s.truncation());
    Perturbations.Persistent particles = null;
    Engine.Result r;
    if (metaGradient instanceof MetaGradient.Es es) {
      r = Perturbations.es(learned, truncation, es, noise);
    } else if (metaGradient instanceof MetaGradient.Pes pes) {
      Perturbations.PesStep p = Perturbations.pes(learned, truncation, pes, s.particles(), noise);
      r = p.result();
      particles = p.carried();
    } else {
      r = s.engine().run(truncation);
    }
    double f0 = s.truncation() == 0 ? r.losses()[0] : s.initialLoss();
    boolean finite = Double.isFinite(r.metaLoss().item()) && r.theta().allFinite();
    boolean diverged = finite && Divergence.diverged(f0, r.losses());
    boolean epochEnds = s.truncation() + 1 >= truncationsPerEpoch() || !finite || diverged;
    State next = epochEnds
        ? new State(s.epoch() + 1, 0, null, r.theta(), null, null, r.losses(), f0, s.engine(), null)
        : new State(s.epoch(), s.truncation() + 1, task, r.theta(), r.state(), r.last(), r.losses(), f0, s.engine(),
            particles);
    if (diverged) return new Step<>(Tensor.scalar(Double.NaN), r.grad().times(Double.NaN), next);
    return new Step<>(r.metaLoss(), r.grad(), next);
  }

  /** One line: g, the problem and the settings. */
  public String describe() {
    return learned.describe() + " on " + problem.name() + ", horizon " + horizon + ", unroll " + unroll + ", "
        + metaGradient.label() + " meta-gradient, " + stepLoss.label() + " step loss, " + precision.label()
        + " precision, seed " + seed;
  }
}
