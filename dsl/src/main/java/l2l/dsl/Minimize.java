package l2l.dsl;

import io.vavr.Lazy;
import io.vavr.Tuple0;
import io.vavr.collection.Iterator;
import io.vavr.collection.Stream;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.problems.Task;

/**
 * Training as a lazy stream of states: element t holds θ_t, the optimizer's state, the
 * objective's carried state, and the loss and gradient at θ_t. Loss curves, early stopping,
 * evaluation and progress are functions of this stream ({@code take}, {@code takeWhile},
 * {@code map}). The stream memoizes what has been computed: do not hold on to its head while
 * running a long stream.
 */
public final class Minimize {
  private Minimize() {}

  /**
   * One state of training: θ_t with the optimizer's and the objective's states before step t. The
   * loss and gradient at θ_t are computed when first asked for ({@link #result()}), so a consumer
   * can stop at a state (e.g. to save it) without paying for its step.
   *
   * @param step t
   * @param params θ_t
   * @param optState the optimizer's state before step t's update
   * @param objState the objective's state before step t
   * @param lazyResult the loss and gradient at θ_t and the objective's next state, computed once on demand
   */
  public record State<S>(int step, Tree params, Tree optState, S objState, Lazy<Objective.Step<S>> lazyResult) {
    /** The loss and gradient at θ_t, and the objective's next state. */
    public Objective.Step<S> result() {
      return lazyResult.get();
    }

    /** The loss at θ_t as a double. */
    public double loss() {
      return result().loss().item();
    }
  }

  /** Minimizes a task with an optimizer, from the task's θ₀. */
  public static Stream<State<Tuple0>> minimize(Task task, Optimizer optimizer) {
    return minimize(Objective.of(task), optimizer);
  }

  /** Minimizes an objective with an optimizer, from the objective's θ₀ and state. */
  public static <S> Stream<State<S>> minimize(Objective<S> objective, Optimizer optimizer) {
    Tree params = objective.init();
    return minimize(objective, optimizer, params, optimizer.init(params), objective.start(), 0);
  }

  /** Minimizes from a given point of a run (e.g. a checkpoint): θ, optimizer state, objective state and step. */
  public static <S> Stream<State<S>> minimize(Objective<S> objective, Optimizer optimizer, Tree params, Tree optState,
      S objState, int step) {
    return Stream.iterate(first(objective, params, optState, objState, step), s -> next(objective, optimizer, s));
  }

  /**
   * The states of {@link #minimize(Objective, Optimizer)} one at a time, without the stream's
   * memoization: only the current state is kept. For long runs (meta-training): a memoized
   * stream links every state to the next, and once the garbage collector has promoted one dead
   * state, that link keeps all later ones alive for a while, so each collection copies many
   * megabytes of past states.
   */
  public static <S> Iterator<State<S>> states(Objective<S> objective, Optimizer optimizer) {
    Tree params = objective.init();
    return states(objective, optimizer, params, optimizer.init(params), objective.start(), 0);
  }

  /**
   * As {@link #states(Objective, Optimizer)}, from a given point of a run (as
   * {@link #minimize(Objective, Optimizer, Tree, Tree, Object, int)}).
   */
  public static <S> Iterator<State<S>> states(Objective<S> objective, Optimizer optimizer, Tree params, Tree optState,
      S objState, int step) {
    return Iterator.iterate(first(objective, params, optState, objState, step), s -> next(objective, optimizer, s));
  }

  private static <S> State<S> first(Objective<S> objective, Tree params, Tree optState, S objState, int step) {
    return new State<>(step, params, optState, objState, Lazy.of(() -> objective.step(params, objState, step)));
  }

  private static <S> State<S> next(Objective<S> objective, Optimizer optimizer, State<S> s) {
    Optimizer.Update u = optimizer.update(s.result().grad(), s.optState(), s.params());
    Tree params = Optimizer.apply(s.params(), u.updates());
    S objState = s.result().next();
    int t = s.step() + 1;
    return new State<>(t, params, u.state(), objState, Lazy.of(() -> objective.step(params, objState, t)));
  }

  /** The losses of the first {@code steps + 1} states (f(θ₀), …, f(θ_steps)). */
  public static double[] lossCurve(Task task, Optimizer optimizer, int steps) {
    return minimize(task, optimizer).take(steps + 1).map(State::loss).toJavaStream().mapToDouble(Double::doubleValue)
        .toArray();
  }
}
