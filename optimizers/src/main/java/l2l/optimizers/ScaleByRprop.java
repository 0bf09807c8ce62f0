package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Rprop's rescaling (PyTorch's form, sign of Δ as the gradient's): per coordinate, s = sign(g·g_prev);
 * the step size is multiplied by η₊ where s &gt; 0 and by η₋ where s &lt; 0, then clamped to
 * [minStep, maxStep]; where s &lt; 0 the gradient counts as 0 (no move, and it becomes g_prev).
 * Δ = sign(g)·step. State: {@code prev} (zeros) and {@code step} (the initial step everywhere).
 * See {@link Transforms#scaleByRprop}.
 */
record ScaleByRprop(Tensor initialStep, double etaMinus, double etaPlus, double minStep, double maxStep)
    implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("prev", params.zerosLike()).with("step", Ops.filledLike(params, initialStep));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleByRprop", params, grads);
    Tensor zero = Tensor.scalar(0);
    Tree signs = grads.zip(state.get("prev"), (g, p) -> g.mul(p).sign().detach());
    Tree step = state.get("step").zip(signs, (st, s) -> {
      Tensor factor = Tensor.where(s.gt(0), Tensor.scalar(etaPlus), Tensor.where(s.lt(0), Tensor.scalar(etaMinus),
          Tensor.scalar(1)));
      return st.mul(factor).clamp(minStep, maxStep);
    });
    Tree g = grads.zip(signs, (x, s) -> Tensor.where(s.lt(0), zero, x));
    Tree updates = g.zip(step, (x, st) -> x.sign().mul(st));
    return new Update(updates, Tree.empty().with("prev", g).with("step", step));
  }

  @Override
  public String toString() {
    return "scaleByRprop(initialStep=" + Numbers.num(initialStep) + ", etas=(" + Numbers.num(etaMinus) + ", "
        + Numbers.num(etaPlus) + "), stepSizes=(" + Numbers.num(minStep) + ", " + Numbers.num(maxStep) + "))";
  }
}
