package l2l.optimizers;

import io.vavr.control.Option;
import l2l.autodiff.Tree;

/**
 * {@code inner}'s updates, with an exponential moving average of the parameters after each
 * update in the state (Polyak averaging): a ← d·a + (1 − d)·(θ + Δ), from a₀ = θ₀. The average
 * does not move θ; it is there to be read ({@link Transforms#averageOf}), e.g. to validate and
 * save the averaged φ of a noisy meta-training run. State: {@code inner}, {@code polyak_average}.
 */
record Averaged(Optimizer inner, double decay) implements Optimizer {
  static final String AVERAGE = "polyak_average";

  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("inner", inner.init(params)).with(AVERAGE, params);
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Update u = inner.update(grads, state.get("inner"), params);
    Tree next = params.plus(u.updates());
    Tree average = state.get(AVERAGE).zip(next, (a, x) -> a.mul(decay).add(x.mul(1 - decay)));
    return new Update(u.updates(), Tree.empty().with("inner", u.state()).with(AVERAGE, average));
  }

  /** The average in a state that holds one, searched depth first (an {@code Averaged} inside other rules). */
  static Option<Tree> find(Tree state) {
    if (state.isLeaf()) return Option.none();
    for (var e : state.entries()) {
      if (e._1.equals(AVERAGE) && e._2 != null) return Option.of(e._2);
      Option<Tree> inside = find(e._2);
      if (inside.isDefined()) return inside;
    }
    return Option.none();
  }

  @Override
  public String toString() {
    return "averaged(decay=" + decay + ", " + inner + ")";
  }
}
