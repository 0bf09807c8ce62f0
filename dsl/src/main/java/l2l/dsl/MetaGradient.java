package l2l.dsl;

/** How the meta-gradient treats the optimizee's gradient fed to the learned optimizer. */
public enum MetaGradient {
  /**
   * The gradient input is a constant (the paper's default, and the original code's): the
   * meta-gradient drops ∂∇f/∂φ, and needs no second derivatives of the optimizee.
   */
  FIRST_ORDER,
  /** Differentiate through the gradient input too (nested reverse mode): the exact meta-gradient. */
  SECOND_ORDER
}
