package l2l.optimizers;

import l2l.autodiff.Tree;

/** The update is the gradient itself; no state. See {@link Transforms#identity()}. */
record Identity() implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty();
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("identity", params, grads);
    return new Update(grads, state);
  }

  @Override
  public String toString() {
    return "identity";
  }
}
