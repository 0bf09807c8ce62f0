package l2l.dsl.cluster;

import java.util.Objects;
import l2l.autodiff.Tree;
import l2l.dsl.Comparison;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;

/**
 * An optimizer as data that a cluster member rebuilds exactly: one of {@link Comparison#baselines()}
 * at a learning rate, or a coordinatewise LSTM's architecture and φ.
 *
 * @param baseline the baseline's name (null for a learned optimizer)
 * @param lr its learning rate (NaN for a learned optimizer)
 * @param architecture the learned optimizer's architecture (null for a baseline)
 * @param phi its parameters (null for a baseline)
 */
public record Recipe(String baseline, double lr, LstmConfig architecture, Tree phi) {
  /** Checks that it is one or the other. */
  public Recipe {
    if ((baseline == null) == (architecture == null) || (architecture == null) != (phi == null)) {
      throw new IllegalArgumentException("a recipe is a baseline with a learning rate or an architecture with φ");
    }
  }

  /** A baseline of {@link Comparison#baselines()} by name, at a learning rate. */
  public static Recipe baseline(String name, double lr) {
    return new Recipe(Objects.requireNonNull(name, "Recipe.baseline: name"), lr, null, null);
  }

  /** A learned optimizer: the coordinatewise LSTM of this architecture with φ. */
  public static Recipe learned(LstmConfig architecture, Tree phi) {
    return new Recipe(null, Double.NaN, architecture, phi);
  }

  /** The optimizer, as {@link Comparison#baselines()} or {@link CoordinatewiseLstm#apply} make it. */
  public Optimizer optimizer() {
    if (architecture != null) return CoordinatewiseLstm.of(architecture).apply(phi);
    return Comparison.baselines().find(b -> b._1.equals(baseline)).map(b -> b._2.apply(lr)).getOrElseThrow(
        () -> new IllegalArgumentException("unknown baseline '" + baseline + "'; known: "
            + Comparison.baselines().map(b -> b._1).mkString(", ")));
  }
}
