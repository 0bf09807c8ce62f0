package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Δ = schedule(count) · g, with the step counter in the state ({@code count}, 0 before the first
 * update). See {@link Transforms#scaleBySchedule}.
 */
record ScaleBySchedule(Schedule schedule) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("count", Ops.zeroCount());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleBySchedule", params, grads);
    Tensor count = state.tensor("count");
    Tensor factor = schedule.at(Ops.steps(count));
    return new Update(grads.map(g -> Ops.mul(g, factor)), Tree.empty().with("count", Ops.increment(count)));
  }

  @Override
  public String toString() {
    return "scaleBySchedule(" + schedule + ")";
  }
}
