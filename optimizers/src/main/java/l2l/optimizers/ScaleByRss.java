package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Adagrad's rescaling (PyTorch's form): s' = s + g², Δ = g / (√s' + ε). State: {@code sum},
 * starting at the initial accumulator value. See {@link Transforms#scaleByRss(Tensor, Tensor)}.
 */
record ScaleByRss(Tensor initialAccumulator, Tensor eps) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("sum", Ops.filledLike(params, initialAccumulator));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("scaleByRss", params, grads);
    Tree sum = state.get("sum").zip(grads, (s, g) -> s.add(g.square()));
    Tree updates = grads.zip(sum, (g, s) -> g.div(Ops.add(s.sqrt(), eps)));
    return new Update(updates, Tree.empty().with("sum", sum));
  }

  @Override
  public String toString() {
    return "scaleByRss(initialAccumulator=" + Numbers.num(initialAccumulator) + ", eps=" + Numbers.num(eps) + ")";
  }
}
