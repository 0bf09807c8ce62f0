package l2l.optimizers.learned;

/** How the meta-gradient treats the optimizee's gradient fed to the learned optimizer. */
public enum MetaGradient {
  /**
   * The gradient input is a constant (the paper's default, and the original code's): the
   * meta-gradient drops ∂∇f/∂φ, and needs no second derivatives of the optimizee.
   */
  FIRST_ORDER,
  /** Differentiate through the gradient input too: the exact meta-gradient. */
  SECOND_ORDER;

  /** "first-order" or "second-order". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The mode with this {@link #label()} (case-insensitive; also the constant's name), or null. */
  public static MetaGradient parse(String label) {
    String s = label == null ? "" : label.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    for (MetaGradient m : values()) {
      if (m.label().equals(s)) return m;
    }
    return null;
  }
}
