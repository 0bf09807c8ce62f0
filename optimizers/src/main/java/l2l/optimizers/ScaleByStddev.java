package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Centered RMSprop's rescaling: μ' = αμ + (1 − α)g, ν' = αν + (1 − α)g²,
 * Δ = g / (√max(ν' − μ'², 0) + ε). State: {@code mu, nu}. See {@link Transforms#scaleByStddev(Tensor, Tensor)}.
 */
record ScaleByStddev(Tensor decay, Tensor eps) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("mu", params.zerosLike()).with("nu", params.zerosLike());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleByStddev", params, grads);
    Tensor c = Ops.oneMinus(decay);
    Tree mu = state.get("mu").zip(grads, (m, g) -> Ops.mul(m, decay).add(Ops.mul(g, c)));
    Tree nu = state.get("nu").zip(grads, (v, g) -> Ops.mul(v, decay).add(Ops.mul(g.square(), c)));
    Tree updates = Tree.zip3(grads, mu, nu, (g, m, v) -> g.div(Ops.add(v.sub(m.square()).max(0.0).sqrt(), eps)));
    return new Update(updates, Tree.empty().with("mu", mu).with("nu", nu));
  }

  @Override
  public String toString() {
    return "scaleByStddev(decay=" + Numbers.num(decay) + ", eps=" + Numbers.num(eps) + ")";
  }
}
