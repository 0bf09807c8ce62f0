package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * RMSprop's rescaling (PyTorch's form, ε outside the root): ν' = αν + (1 − α)g²,
 * Δ = g / (√ν' + ε). State: {@code nu}, zeros at first. See {@link Transforms#scaleByRms(Tensor, Tensor)}.
 */
record ScaleByRms(Tensor decay, Tensor eps) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("nu", params.zerosLike());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleByRms", params, grads);
    Tensor c = Ops.oneMinus(decay);
    Tree nu = state.get("nu").zip(grads, (v, g) -> Ops.mul(v, decay).add(Ops.mul(g.square(), c)));
    Tree updates = grads.zip(nu, (g, v) -> g.div(Ops.add(v.sqrt(), eps)));
    return new Update(updates, Tree.empty().with("nu", nu));
  }

  @Override
  public String toString() {
    return "scaleByRms(decay=" + Numbers.num(decay) + ", eps=" + Numbers.num(eps) + ")";
  }
}
