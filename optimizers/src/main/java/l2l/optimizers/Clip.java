package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Each coordinate clamped to [−maxDelta, maxDelta]; no state. See {@link Transforms#clip(Tensor)}. */
record Clip(Tensor maxDelta) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("clip", params, grads);
    if (!maxDelta.isTraced()) {
      double m = maxDelta.item();
      return new Update(grads.map(g -> g.clamp(-m, m)), state);
    }
    Tensor lo = maxDelta.neg();
    return new Update(grads.map(g -> g.max(lo).min(maxDelta)), state);
  }

  @Override
  public String toString() {
    return "clip(" + Numbers.num(maxDelta) + ")";
  }
}
