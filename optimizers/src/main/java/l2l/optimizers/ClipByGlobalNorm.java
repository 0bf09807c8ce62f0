package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Scales all updates together so that their joint Euclidean norm is at most {@code maxNorm}:
 * Δ = g · maxNorm / max(‖g‖, maxNorm) (unchanged when ‖g‖ ≤ maxNorm); no state.
 * See {@link Transforms#clipByGlobalNorm(Tensor)}.
 */
record ClipByGlobalNorm(Tensor maxNorm) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("clipByGlobalNorm", params, grads);
    Tensor norm = grads.sumSquares().sqrt();
    if (!norm.isTraced() && !maxNorm.isTraced()) {
      double n = norm.item(), m = maxNorm.item();
      return new Update(n <= m ? grads : grads.times(m / n), state);
    }
    Tensor factor = maxNorm.div(norm.max(maxNorm));
    return new Update(grads.map(g -> g.mul(factor)), state);
  }

  @Override
  public String toString() {
    return "clipByGlobalNorm(" + Numbers.num(maxNorm) + ")";
  }
}
