package l2l.optimizers;

import l2l.autodiff.Tree;

/**
 * A family of optimizers indexed by meta-parameters φ: {@code init(seed) → φ} and
 * {@code φ ↦ Optimizer}. Once φ is given, the result is an ordinary {@link Optimizer}, usable
 * anywhere one is expected — including as the meta-optimizer of another learned optimizer, or
 * of itself.
 */
public interface LearnedOptimizer {
  /** Initial meta-parameters, deterministic in the seed. */
  Tree init(long seed);

  /** The optimizer with meta-parameters φ; differentiable in φ when φ is traced. */
  Optimizer apply(Tree phi);

  /** A short description of the architecture and its settings, for files and reports. */
  String describe();
}
