package l2l.optimizers.learned;

import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/** A learned optimizer offering only the general engine (see {@link LearnedOptimizer#generalEngineOnly}). */
record GeneralEngineOnly(LearnedOptimizer learned) implements LearnedOptimizer {
  @Override
  public Tree init(long seed) {
    return learned.init(seed);
  }

  @Override
  public Optimizer apply(Tree phi) {
    return learned.apply(phi);
  }

  @Override
  public String describe() {
    return learned.describe();
  }

  @Override
  public boolean coordinatewise() {
    return learned.coordinatewise();
  }

  @Override
  public LearnedOptimizer generalEngineOnly() {
    return this;
  }
}
