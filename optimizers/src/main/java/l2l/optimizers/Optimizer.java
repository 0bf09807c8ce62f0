package l2l.optimizers;

import l2l.autodiff.Tree;

/**
 * An update rule as a pair of pure functions, {@code init(θ) → state} and
 * {@code update(∇, state, θ) → (Δθ, state')}. Nothing is mutated: a step returns new trees, and
 * the caller applies the update with {@link #apply(Tree, Tree)} (θ' = θ + Δθ).
 *
 * <p>Updates are computed with tensor ops, so when θ, ∇ or a hyperparameter is traced the update
 * is differentiable. A learned optimizer with fixed parameters is an {@code Optimizer} like any
 * other, so anything that takes an optimizer can take a learned one.
 */
public interface Optimizer {
  /** The state before the first step, for parameters θ (state leaves often have θ's shapes). */
  Tree init(Tree params);

  /**
   * One step: from the gradient, the state and the current parameters, the update Δθ (to be
   * added to θ) and the next state. {@code grads} has the structure of {@code params}.
   */
  Update update(Tree grads, Tree state, Tree params);

  /** A short description with the hyperparameters, for reports; {@code toString()} by default. */
  default String describe() {
    return toString();
  }

  /** The result of one step: the update to add to θ, and the next state. */
  record Update(Tree updates, Tree state) {}

  /** θ + Δθ, leaf by leaf; the two trees must have the same structure. */
  static Tree apply(Tree params, Tree updates) {
    params.requireSameStructure(updates, "Optimizer.apply: the updates do not fit the parameters");
    return params.plus(updates);
  }
}
