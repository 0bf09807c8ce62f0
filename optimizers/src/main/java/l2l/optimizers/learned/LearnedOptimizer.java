package l2l.optimizers.learned;

import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

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

  /**
   * Whether every g(φ) is coordinatewise: given θ as one column (n×1), its state leaves have one
   * row per coordinate, and the update of a set of rows depends on those rows of ∇, θ and the
   * state only (so the rule can be evaluated on blocks of rows, as a map over coordinates).
   * False by default; an optimizer that says true is checked by the law tests.
   */
  default boolean coordinatewise() {
    return false;
  }

  /**
   * The engine that runs and differentiates meta-training truncations in this precision: the
   * general {@link Engine#reverseMode} in double by default. An optimizer may register a faster
   * one (it must give the same numbers) or one in another precision.
   *
   * @throws IllegalArgumentException for a precision the optimizer offers no engine in
   */
  default Engine engine(Precision precision) {
    if (precision != Precision.DOUBLE) {
      throw new IllegalArgumentException(describe() + " has no " + precision.label() + " engine; it runs in double");
    }
    return Engine.reverseMode(this);
  }

  /** This learned optimizer with only the general engine, {@link Engine#reverseMode} in double (to measure or check a registered one). */
  default LearnedOptimizer generalEngineOnly() {
    return new GeneralEngineOnly(this);
  }
}
