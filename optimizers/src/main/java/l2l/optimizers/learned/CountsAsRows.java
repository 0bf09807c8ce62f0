package l2l.optimizers.learned;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * An optimizer of one 1×n row whose scalar state leaves (step counts) are held as rows of n equal
 * values, so that every state leaf has one column per coordinate, as the engines that split
 * coordinates into blocks of columns need. Updates are the inner optimizer's, to the bit.
 */
record CountsAsRows(Optimizer inner) implements Optimizer {

  @Override
  public Tree init(Tree params) {
    int n = params.tensor().cols();
    return inner.init(params).map(t -> isScalar(t) ? t.broadcastTo(1, n) : t);
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    int n = params.tensor().cols();
    Tree template = inner.init(Tree.leaf(Tensor.zeros(1, 2))); // which leaves are scalars, at a size independent of n
    Update u = inner.update(grads, state.mapWithPath((p, s) -> isScalar(template, p) ? s.sliceCols(0, 1) : s), params);
    return new Update(u.updates(), u.state().mapWithPath((p, s) -> isScalar(template, p) ? s.broadcastTo(1, n) : s));
  }

  private static boolean isScalar(Tensor t) {
    return t.rows() == 1 && t.cols() == 1;
  }

  /** Whether the leaf at {@code path} of the inner optimizer's state for a 1×2 row is a scalar. */
  private static boolean isScalar(Tree template, String path) {
    return isScalar(template.tensor(path));
  }

  @Override
  public String toString() {
    return inner.toString();
  }
}
