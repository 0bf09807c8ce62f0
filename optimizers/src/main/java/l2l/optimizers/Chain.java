package l2l.optimizers;

import io.vavr.collection.List;
import l2l.autodiff.Tree;

/**
 * Parts applied one after another, each to the previous one's updates; the state is the tuple of
 * the parts' states ({@link Tree#tuple}: entries "0", "1", …). See {@link Transforms#chain}.
 */
record Chain(List<Optimizer> parts) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.tuple(parts.map(p -> p.init(params)).toJavaArray(Tree[]::new));
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("chain", params, grads);
    if (state.isLeaf() || state.names().size() != parts.size()) {
      throw new IllegalArgumentException("chain: expected a state with one entry per part (" + parts.size()
          + ": 0 … " + (parts.size() - 1) + "), got " + state + " (was it made by this chain's init?)");
    }
    Tree updates = grads;
    Tree[] next = new Tree[parts.size()];
    for (int i = 0; i < next.length; i++) {
      Update u = parts.get(i).update(updates, state.get(Integer.toString(i)), params);
      updates = u.updates();
      next[i] = u.state();
    }
    return new Update(updates, Tree.tuple(next));
  }

  @Override
  public String toString() {
    return parts.mkString("chain(", ", ", ")");
  }
}
