package l2l.optimizers;

import io.vavr.collection.Map;
import l2l.autodiff.Tensor;

/**
 * The hyperparameter values of one step of {@link Transforms#injectHyperparams}, by name, each a
 * 1×1 tensor (traced when differentiated).
 *
 * @param values the values by name, in the order they were declared
 */
public record Hyperparams(Map<String, Tensor> values) {
  /** The value named {@code name}; an unknown name is an error listing the known ones. */
  public Tensor get(String name) {
    return values.get(name).getOrElseThrow(() -> new IllegalArgumentException("injectHyperparams: no hyperparameter '"
        + name + "'; known: " + values.keySet().mkString(", ")));
  }

  /** The value named {@code name} as a number. */
  public double value(String name) {
    return get(name).item();
  }

  @Override
  public String toString() {
    return values.map(e -> e._1 + "=" + Numbers.num(e._2)).mkString(", ");
  }
}
