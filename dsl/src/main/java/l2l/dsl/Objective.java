package l2l.dsl;

import io.vavr.Tuple0;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.Task;

/**
 * What {@link Minimize#minimize} trains: initial parameters, a state carried from step to step,
 * and per step the loss and its gradient. A {@link Task} is an objective with no state; a meta
 * task ({@link MetaTask}) is an objective over φ whose state carries the optimizee.
 *
 * @param <S> the carried state
 */
public interface Objective<S> {
  /** The initial parameters. */
  Tree init();

  /** The initial carried state. */
  S start();

  /**
   * The loss at step t and its gradient with respect to the parameters, and the next carried
   * state. When the parameters are traced, so are the loss and gradient (differentiable training).
   */
  Step<S> step(Tree params, S state, int t);

  /** The outcome of one step of an objective. */
  record Step<S>(Tensor loss, Tree grad, S next) {}

  /** The objective of a task: its loss at step t, differentiated by reverse mode. */
  static Objective<Tuple0> of(Task task) {
    return new Objective<>() {
      @Override
      public Tree init() {
        return task.init();
      }

      @Override
      public Tuple0 start() {
        return Tuple0.instance();
      }

      @Override
      public Step<Tuple0> step(Tree params, Tuple0 state, int t) {
        Autodiff.ValueAndGrad<Tree> vg = Autodiff.valueAndGradTree((Tree p) -> task.loss(p, t)).apply(params);
        return new Step<>(vg.value(), vg.grad(), state);
      }
    };
  }
}
