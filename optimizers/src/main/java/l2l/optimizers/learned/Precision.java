package l2l.optimizers.learned;

import java.util.Locale;

/**
 * The floating-point precision of {@link LstmUnroll}'s LSTM arithmetic. The optimizee's θ, its
 * gradients and losses, φ and the meta-gradient handed back are always double; the precision
 * applies to the LSTM's activations, gates, matrix products and per-step weight gradients.
 */
public enum Precision {
  /** Everything in double precision (the default; the general autodiff path's numbers to rounding). */
  DOUBLE,
  /**
   * LSTM activations, gates and matrix products in single precision (about twice as fast); the
   * meta-gradient's sums over steps and coordinate blocks are still accumulated in double. Agrees
   * with {@link #DOUBLE} to about single precision's rounding, amplified by the unroll.
   */
  FLOAT32;

  /** "double" or "float32". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The precision with this {@link #label()} (case-insensitive; also "float" and "single"), or null. */
  public static Precision parse(String label) {
    if (label == null) return null;
    return switch (label.trim().toLowerCase(Locale.ROOT)) {
      case "double", "float64", "fp64" -> DOUBLE;
      case "float32", "float", "single", "fp32" -> FLOAT32;
      default -> null;
    };
  }
}
