package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Adam's rescaling: μ' = β₁μ + (1 − β₁)g, ν' = β₂ν + (1 − β₂)g², Δ = μ̂ / (√(ν̂ + ε_root) + ε)
 * with the bias corrections μ̂ = μ'/(1 − β₁ᵗ), ν̂ = ν'/(1 − β₂ᵗ). State: {@code count, mu, nu}.
 * See {@link Transforms#scaleByAdam(Tensor, Tensor, Tensor, Tensor)}.
 */
record ScaleByAdam(Tensor b1, Tensor b2, Tensor eps, Tensor epsRoot) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("count", Ops.zeroCount()).with("mu", params.zerosLike()).with("nu", params.zerosLike());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleByAdam", params, grads);
    Tensor count = Ops.increment(state.tensor("count"));
    long t = Ops.steps(count);
    Tensor c1 = Ops.oneMinus(b1), c2 = Ops.oneMinus(b2);
    Tree mu = state.get("mu").zip(grads, (m, g) -> Ops.mul(m, b1).add(Ops.mul(g, c1)));
    Tree nu = state.get("nu").zip(grads, (v, g) -> Ops.mul(v, b2).add(Ops.mul(g.square(), c2)));
    Tensor bc1 = Ops.oneMinus(Ops.pow(b1, t)), bc2 = Ops.oneMinus(Ops.pow(b2, t));
    boolean root = epsRoot.isTraced() || epsRoot.item() != 0;
    Tree updates = mu.zip(nu, (m, v) -> {
      Tensor vHat = Ops.div(v, bc2);
      if (root) vHat = Ops.add(vHat, epsRoot);
      return Ops.div(m, bc1).div(Ops.add(vHat.sqrt(), eps));
    });
    return new Update(updates, Tree.empty().with("count", count).with("mu", mu).with("nu", nu));
  }

  @Override
  public String toString() {
    return "scaleByAdam(b1=" + Numbers.num(b1) + ", b2=" + Numbers.num(b2) + ", eps=" + Numbers.num(eps)
        + (epsRoot.isTraced() || epsRoot.item() != 0 ? ", epsRoot=" + Numbers.num(epsRoot) : "") + ")";
  }
}
