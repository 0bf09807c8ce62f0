package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Δ = sign(g) (−1, 0 or 1, no derivative); no state. See {@link Transforms#scaleBySign()}. */
record ScaleBySign() implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleBySign", params, grads);
    return new Update(grads.map(Tensor::sign), state);
  }

  @Override
  public String toString() {
    return "scaleBySign";
  }
}
