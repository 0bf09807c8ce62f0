package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Δ = g + weightDecay · θ; no state. See {@link Transforms#addDecayedWeights(Tensor)}. */
record AddDecayedWeights(Tensor weightDecay) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("addDecayedWeights", params, grads);
    if (!weightDecay.isTraced() && weightDecay.item() == 0) return new Update(grads, state);
    return new Update(grads.zip(params, (g, p) -> g.add(Ops.mul(p, weightDecay))), state);
  }

  @Override
  public String toString() {
    return "addDecayedWeights(" + Numbers.num(weightDecay) + ")";
  }
}
