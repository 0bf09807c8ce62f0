package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Momentum (PyTorch's SGD buffer without dampening): t' = g + decay·t; Δ = t', or with Nesterov
 * Δ = g + decay·t'. State: {@code trace}, zeros at first (so the first step's trace is g).
 * See {@link Transforms#trace(Tensor, boolean)}.
 */
record Trace(Tensor decay, boolean nesterov) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("trace", params.zerosLike());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("trace", params, grads);
    Tree trace = state.get("trace").zip(grads, (t, g) -> g.add(Ops.mul(t, decay)));
    Tree updates = nesterov ? grads.zip(trace, (g, t) -> g.add(Ops.mul(t, decay))) : trace;
    return new Update(updates, Tree.empty().with("trace", trace));
  }

  @Override
  public String toString() {
    return "trace(decay=" + Numbers.num(decay) + (nesterov ? ", nesterov" : "") + ")";
  }
}
