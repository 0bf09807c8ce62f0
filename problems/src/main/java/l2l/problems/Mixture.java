package l2l.problems;

import io.vavr.collection.List;
import java.util.SplittableRandom;

/**
 * A mixture of problems: {@code sample(seed)} picks component i with probability wᵢ / Σw, a
 * function of the seed alone, and samples it with a seed derived from the seed. The pick and the
 * derived seed come from the seed's own stream ({@code Seeds.rng(seed, 4)}), independent of the
 * streams components draw from.
 *
 * @param weights the components' weights, positive and finite (normalised when sampling)
 * @param problems the components, as many as weights
 */
public record Mixture(List<Double> weights, List<Problem> problems) implements Problem {
  private static final long CHOICE = 4;

  /** Checks that there is at least one component and one positive, finite weight per component. */
  public Mixture {
    if (problems == null || weights == null || problems.isEmpty() || weights.size() != problems.size()) {
      throw new IllegalArgumentException("mixture: expected one weight per problem and at least one problem, got "
          + (weights == null ? "no" : weights.size()) + " weights and " + (problems == null ? "no" : problems.size())
          + " problems");
    }
    weights.find(w -> w == null || !(w > 0) || w.isInfinite()).peek(w -> {
      throw new IllegalArgumentException("mixture: every weight must be positive and finite, got " + w);
    });
    problems.find(p -> p == null).peek(p -> {
      throw new IllegalArgumentException("mixture: a problem is null");
    });
  }

  /** E.g. "mix(0.5 quadratic(…), 0.5 rosenbrock(…))", with the normalised weights. */
  @Override
  public String name() {
    double total = weights.sum().doubleValue();
    return "mix(" + weights.zipWith(problems, (w, p) -> new java.math.BigDecimal(w / total)
        .round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + " " + p.name()).mkString(", ") + ")";
  }

  /** The index of the component the task of this seed comes from. */
  public int component(long seed) {
    return pick(Seeds.rng(seed, CHOICE));
  }

  /** The task of component {@link #component(long)}, sampled with a seed derived from this one. */
  @Override
  public Task sample(long seed) {
    SplittableRandom r = Seeds.rng(seed, CHOICE);
    return problems.get(pick(r)).sample(r.nextLong());
  }

  private int pick(SplittableRandom r) {
    double u = r.nextDouble() * weights.sum().doubleValue();
    for (int i = 0; i < weights.size() - 1; i++) {
      u -= weights.get(i);
      if (u < 0) return i;
    }
    return weights.size() - 1;
  }
}
