package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Δ = factor · g; no state. See {@link Transforms#scale(Tensor)}. */
record Scale(Tensor factor) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scale", params, grads);
    return new Update(grads.map(g -> Ops.mul(g, factor)), state);
  }

  @Override
  public String toString() {
    return "scale(" + Numbers.num(factor) + ")";
  }
}
