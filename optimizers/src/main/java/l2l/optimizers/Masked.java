package l2l.optimizers;

import io.vavr.control.Option;
import java.util.function.Predicate;
import l2l.autodiff.Tree;

/**
 * {@code inner} applied to the leaves whose path passes {@code mask}; the other leaves' updates
 * are their gradients unchanged. The state is {@code inner}'s state for the masked part under
 * {@code inner} (empty when no leaf is masked). See {@link Transforms#masked}.
 */
record Masked(Predicate<String> mask, Optimizer inner) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    Option<Tree> part = Trees.select(params, mask);
    return part.isEmpty() ? Tree.empty() : Tree.empty().with("inner", inner.init(part.get()));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("masked", params, grads);
    Option<Tree> part = Trees.select(params, mask);
    if (part.isEmpty()) return new Update(grads, state);
    Update u = inner.update(Trees.select(grads, mask).get(), state.get("inner"), part.get());
    Tree merged = Trees.assemble(params, p -> Trees.leafAt(mask.test(p) ? u.updates() : grads, p));
    return new Update(merged, Tree.empty().with("inner", u.state()));
  }

  @Override
  public String toString() {
    return "masked(" + inner + ")";
  }
}
