package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * {@code inner}, except that a step whose updates or new state hold a NaN or an infinity is
 * skipped: the update is zero and {@code inner}'s state is left as it was. State: {@code inner},
 * {@code notFinite} (consecutive skipped steps, 0 after a good one) and {@code totalNotFinite}.
 * See {@link Transforms#applyIfFinite}.
 */
record ApplyIfFinite(Optimizer inner) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("inner", inner.init(params)).with("notFinite", Ops.zeroCount()).with("totalNotFinite", Ops.zeroCount());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("applyIfFinite", params, grads);
    Tree innerState = state.get("inner");
    Tensor consecutive = state.tensor("notFinite"), total = state.tensor("totalNotFinite");
    Update u = inner.update(grads, innerState, params);
    if (u.updates().allFinite() && u.state().allFinite()) {
      return new Update(u.updates(),
          Tree.empty().with("inner", u.state()).with("notFinite", Ops.zeroCount()).with("totalNotFinite", total));
    }
    return new Update(params.zerosLike(), Tree.empty().with("inner", innerState).with("notFinite", Ops.increment(consecutive))
        .with("totalNotFinite", Ops.increment(total)));
  }

  @Override
  public String toString() {
    return "applyIfFinite(" + inner + ")";
  }
}
