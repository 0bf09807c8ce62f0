package l2l.problems;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * One optimizee: an initial point and a differentiable loss. The loss at step t may use a
 * minibatch; which one is a deterministic function of the task's seed and t, so every run is
 * reproducible.
 */
public interface Task {
  /** The initial parameters θ₀. */
  Tree init();

  /** The loss at step t (1×1), a differentiable function of θ. */
  Tensor loss(Tree params, int step);

  /**
   * Held-out measures of θ for reports (e.g. full test-set loss and accuracy); empty by default.
   * Not differentiated.
   */
  default Map<String, Double> evaluate(Tree params) {
    return LinkedHashMap.empty();
  }
}
