package l2l.optimizers.learned;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * A coordinatewise rule evaluated as a map over fixed blocks of coordinates on
 * {@link RowParallel}'s threads: θ and ∇ are flattened to one row, each block of coordinates (with
 * its columns of every state leaf) is one call of the rule, and the blocks are joined in order.
 * The rule must be coordinatewise (see {@link LearnedOptimizer#coordinatewise}); then the result
 * equals one call on all coordinates, with the same bits at any thread count. Traced inputs go to
 * the rule whole.
 */
record InBlocks(Optimizer rule) implements Optimizer {

  @Override
  public Tree init(Tree params) {
    return rule.init(params);
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    int n = params.size();
    int nb = RowParallel.blocks(n);
    if (nb == 1 || traced(grads) || traced(state) || traced(params)) return rule.update(grads, state, params);
    params.requireSameStructure(grads, rule + ": the gradients do not fit the parameters");
    Tensor g = grads.flatten().reshape(1, n), theta = params.flatten().reshape(1, n);
    Update[] parts = new Update[nb];
    RowParallel.forEachBlock(nb, b -> {
      int c0 = RowParallel.start(n, b), c1 = RowParallel.start(n, b + 1);
      parts[b] = rule.update(Tree.leaf(g.sliceCols(c0, c1)), state.map(t -> t.sliceCols(c0, c1)),
          Tree.leaf(theta.sliceCols(c0, c1)));
    });
    Tensor[] deltas = new Tensor[nb];
    Tree[] states = new Tree[nb];
    for (int b = 0; b < nb; b++) {
      deltas[b] = parts[b].updates().tensor();
      states[b] = parts[b].state();
    }
    return new Update(params.unflatten(Tensor.concatCols(deltas).reshape(n, 1)), concatCols(states));
  }

  /** The trees' leaves joined block by block, side by side (all trees have the same structure). */
  static Tree concatCols(Tree[] parts) {
    return parts[0].mapWithPath((path, first) -> {
      Tensor[] ts = new Tensor[parts.length];
      for (int b = 0; b < parts.length; b++) ts[b] = parts[b].tensor(path);
      return Tensor.concatCols(ts);
    });
  }

  private static boolean traced(Tree t) {
    return t.leaves().exists(Tensor::isTraced);
  }

  @Override
  public String toString() {
    return rule.toString();
  }
}
