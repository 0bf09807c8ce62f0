package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Gradient accumulation: the gradients of {@code every} consecutive steps are summed in the state
 * ({@code acc}); the first {@code every − 1} steps give a zero update, the last one applies
 * {@code inner} to their mean and resets the sum. State: {@code miniStep} (0 … every − 1),
 * {@code acc}, {@code inner}. See {@link Transforms#multiSteps}.
 */
record MultiSteps(Optimizer inner, int every) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("miniStep", Ops.zeroCount()).with("acc", params.zerosLike()).with("inner", inner.init(params));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("multiSteps", params, grads);
    Tensor miniStep = state.tensor("miniStep");
    Tree acc = state.get("acc").plus(grads);
    if (Ops.steps(miniStep) + 1 < every) {
      return new Update(params.zerosLike(),
          Tree.empty().with("miniStep", Ops.increment(miniStep)).with("acc", acc).with("inner", state.get("inner")));
    }
    Tree mean = every == 1 ? acc : acc.times(1.0 / every);
    Update u = inner.update(mean, state.get("inner"), params);
    return new Update(u.updates(),
        Tree.empty().with("miniStep", Ops.zeroCount()).with("acc", params.zerosLike()).with("inner", u.state()));
  }

  @Override
  public String toString() {
    return "multiSteps(every=" + every + ", " + inner + ")";
  }
}
