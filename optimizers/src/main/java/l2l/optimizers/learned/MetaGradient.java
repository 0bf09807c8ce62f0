package l2l.optimizers.learned;

import java.util.Locale;

/**
 * How meta-training estimates the gradient of the meta-loss in φ: a value, as the learning rate or
 * the step loss are.
 *
 * <ul>
 *   <li>{@link #FIRST_ORDER}: truncated backpropagation with the optimizee's gradient a constant
 *       input (the paper's default and the original code's);
 *   <li>{@link #SECOND_ORDER}: truncated backpropagation through the gradient input too (exact for
 *       the truncation);
 *   <li>{@link #FULL}: exact backpropagation through the whole horizon as one truncation (for small
 *       problems and tests; the unroll is ignored);
 *   <li>{@link Es}: antithetic evolution strategies over each truncation: the gradient of the
 *       Gaussian-smoothed truncation loss, from forward runs only;
 *   <li>{@link Pes}: persistent evolution strategies (Vicol et al. 2021): perturbations accumulated
 *       over the truncations of a task, reset with the task; an unbiased estimate of the gradient
 *       of the Gaussian-smoothed loss of the whole horizon, from truncated forward runs.
 * </ul>
 */
public sealed interface MetaGradient {
  /** Truncated backpropagation, the gradient input constant. */
  MetaGradient FIRST_ORDER = new Backprop(false, false);
  /** Truncated backpropagation through the gradient input too. */
  MetaGradient SECOND_ORDER = new Backprop(true, false);
  /** Exact backpropagation through the whole horizon. */
  MetaGradient FULL = new Backprop(true, true);

  /** The label: "first-order", "second-order", "full", "es:sigma=0.01,pairs=8", "pes:sigma=0.01,pairs=8". */
  String label();

  /**
   * Backpropagation.
   *
   * @param exact through the optimizee's gradient input too (second order)
   * @param wholeHorizon through the whole horizon as one truncation
   */
  record Backprop(boolean exact, boolean wholeHorizon) implements MetaGradient {
    @Override
    public String label() {
      return wholeHorizon ? "full" : exact ? "second-order" : "first-order";
    }
  }

  /**
   * Antithetic evolution strategies: for each of {@code pairs} perturbations ε ~ N(0, σ²I) the
   * truncation runs with φ + ε and φ − ε from the same state, and ĝ = Σ ε·(L₊ − L₋) / (2σ²·pairs).
   */
  record Es(double sigma, int pairs) implements MetaGradient {
    /** Checks σ &gt; 0 and at least one pair. */
    public Es {
      check("es", sigma, pairs);
    }

    @Override
    public String label() {
      return "es:sigma=" + sigma + ",pairs=" + pairs;
    }
  }

  /**
   * Persistent evolution strategies: each of {@code pairs} antithetic particles keeps its own θ and
   * optimizer state through a task's truncations and accumulates its perturbations ξ = Σ ε; the
   * estimate of a truncation is Σ ξ·(L₊ − L₋) / (2σ²·pairs).
   */
  record Pes(double sigma, int pairs) implements MetaGradient {
    /** Checks σ &gt; 0 and at least one pair. */
    public Pes {
      check("pes", sigma, pairs);
    }

    @Override
    public String label() {
      return "pes:sigma=" + sigma + ",pairs=" + pairs;
    }
  }

  /** Whether this is an evolution strategy (forward runs only). */
  default boolean perturbs() {
    return !(this instanceof Backprop);
  }

  /**
   * The estimator of a label ({@link #label()}; {@code es} and {@code pes} take {@code sigma=} and
   * {@code pairs=}, defaults 0.01 and 8); null if the name is unknown.
   *
   * @throws IllegalArgumentException for a known name with impossible or unknown options
   */
  static MetaGradient parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    String name = s.split(":", 2)[0];
    switch (name) {
      case "first-order":
        return s.equals(name) ? FIRST_ORDER : null;
      case "second-order":
        return s.equals(name) ? SECOND_ORDER : null;
      case "full":
        return s.equals(name) ? FULL : null;
      case "es":
      case "pes":
        double sigma = 0.01;
        int pairs = 8;
        if (s.contains(":")) {
          for (String part : s.substring(s.indexOf(':') + 1).split(",")) {
            String[] kv = part.split("=", 2);
            try {
              switch (kv[0].trim()) {
                case "sigma" -> sigma = Double.parseDouble(kv[1].trim());
                case "pairs" -> pairs = Integer.parseInt(kv[1].trim());
                default -> throw new IllegalArgumentException(name + " has no option '" + kv[0].trim()
                    + "'; its options: sigma, pairs");
              }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
              throw new IllegalArgumentException(name + ": '" + part.trim() + "' is not sigma=NUMBER or pairs=COUNT");
            }
          }
        }
        return name.equals("es") ? new Es(sigma, pairs) : new Pes(sigma, pairs);
      default:
        return null;
    }
  }

  private static void check(String name, double sigma, int pairs) {
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException(name + ": sigma must be a positive number, got " + sigma);
    }
    if (pairs < 1) throw new IllegalArgumentException(name + ": pairs must be at least 1, got " + pairs);
  }
}
