package l2l.optimizers;

import l2l.autodiff.Tensor;

/**
 * A hyperparameter as a plain function of the step: {@code at(step)} is its value (a 1×1 tensor)
 * for the update with that index, counting from 0 for the first update (optax's convention).
 * Build schedules with {@link Schedules}; multiply one by a traced 1×1 tensor with
 * {@link #times(Tensor)} to differentiate through its scale.
 */
@FunctionalInterface
public interface Schedule {
  /** The value at {@code step} (0 for the first update), as a 1×1 tensor. */
  Tensor at(long step);

  /** The value at {@code step} as a number. */
  default double valueAt(long step) {
    return at(step).item();
  }

  /** This schedule times a 1×1 tensor (differentiable in it), e.g. {@code cosineDecay(1, 1000).times(lr)}. */
  default Schedule times(Tensor factor) {
    return new Schedules.Scaled(this, Checks.requireScalar("Schedule.times", "factor", factor));
  }

  /** This schedule times a number. */
  default Schedule times(double factor) {
    return times(Tensor.scalar(factor));
  }
}
