package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * {@code inner}'s updates scaled by exp(a), a global log learning rate that each step moves against
 * the cosine of the new gradient and the last update: a ← a − β·cos(∇_t, Δ_{t−1}), from a = 0 and
 * Δ₋₁ = 0 (a normalised, multiplicative hypergradient descent on the learning rate, after Baydin
 * et al. 2018). A gradient that still points against the last step (cos &lt; 0) means the step was
 * too short, and the rate grows; one that turned (cos &gt; 0), that it was too long. Differentiable
 * in the gradients and the state. State: {@code inner}, {@code loglr} (a, 1×1), {@code last} (Δ_{t−1}).
 */
record HypergradientRate(Optimizer inner, double beta) implements Optimizer {
  /** Keeps the cosine finite (and its derivative) when a norm is 0. */
  private static final double TINY = 1e-30;

  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("inner", inner.init(params)).with("loglr", Tensor.scalar(0)).with("last", params.zerosLike());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("hypergradient", params, grads);
    Tree last = state.get("last");
    Tensor cos = grads.dot(last).div(grads.sumSquares().add(TINY).mul(last.sumSquares().add(TINY)).sqrt());
    Tensor a = state.tensor("loglr").sub(cos.mul(beta));
    Update u = inner.update(grads, state.get("inner"), params);
    Tree updates = u.updates().times(a.exp());
    return new Update(updates, Tree.empty().with("inner", u.state()).with("loglr", a).with("last", updates));
  }

  @Override
  public String toString() {
    return "hypergradient(beta=" + beta + ", " + inner + ")";
  }
}
