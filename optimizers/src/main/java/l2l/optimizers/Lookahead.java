package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Lookahead (Zhang et al. 2019): θ are the fast weights, moved by {@code fast}; the slow weights
 * φ live in the state. Every {@code syncPeriod} steps φ' = φ + α·(θ_fast − φ) and θ is set to φ'
 * (the update is φ' − θ); otherwise φ is kept and the update is the fast rule's. The fast rule's
 * state is kept across synchronisations. State: {@code count}, {@code slow}, {@code fast}.
 * See {@link Transforms#lookahead}.
 */
record Lookahead(Optimizer fast, int syncPeriod, Tensor alpha) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("count", Ops.zeroCount()).with("slow", params).with("fast", fast.init(params));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("lookahead", params, grads);
    Tensor count = Ops.increment(state.tensor("count"));
    Update u = fast.update(grads, state.get("fast"), params);
    Tree slow = state.get("slow");
    if (Ops.steps(count) % syncPeriod != 0) {
      return new Update(u.updates(), Tree.empty().with("count", count).with("slow", slow).with("fast", u.state()));
    }
    Tree fastParams = params.plus(u.updates());
    Tree newSlow = slow.zip(fastParams, (s, f) -> s.add(Ops.mul(f.sub(s), alpha)));
    return new Update(newSlow.minus(params), Tree.empty().with("count", count).with("slow", newSlow).with("fast", u.state()));
  }

  @Override
  public String toString() {
    return "lookahead(syncPeriod=" + syncPeriod + ", alpha=" + Numbers.num(alpha) + ", " + fast + ")";
  }
}
