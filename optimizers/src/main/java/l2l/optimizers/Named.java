package l2l.optimizers;

import l2l.autodiff.Tree;

/**
 * A rule with a name and its hyperparameters for {@code toString}, behaving exactly as
 * {@code inner} (same state). The named optimizers of {@link Optimizers} are these.
 */
record Named(String description, Optimizer inner) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return inner.init(params);
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    int paren = description.indexOf('(');
    Checks.requireGradientsFit(paren > 0 ? description.substring(0, paren) : description, params, grads);
    return inner.update(grads, state, params);
  }

  @Override
  public String toString() {
    return description;
  }
}
