package l2l.optimizers;

import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.collection.TreeMap;
import l2l.autodiff.Tensor;

/**
 * Schedules as plain functions of the step (see {@link Schedule}; step 0 is the first update),
 * with the formulas of optax: constant, linear, exponential decay, cosine decay, piecewise
 * constant, and {@link #join} to run one schedule after another (warm-up then decay).
 */
public final class Schedules {
  private Schedules() {}

  /** The same value at every step. */
  public static Schedule constant(double value) {
    return constant(Tensor.scalar(value));
  }

  /**
   * The same 1×1 tensor at every step (traced if the tensor is). In
   * {@link Transforms#injectHyperparams} a constant lives in the state and can be replaced there.
   */
  public static Schedule constant(Tensor value) {
    return new Constant(Checks.requireScalar("Schedules.constant", "value", value));
  }

  /**
   * From {@code init} to {@code end} linearly over {@code steps} steps, then {@code end}:
   * {@code init + (end − init)·min(step, steps)/steps}. A linear warm-up is
   * {@code linear(0, peak, warmupSteps)}.
   */
  public static Schedule linear(double init, double end, long steps) {
    Checks.requireAtLeast("Schedules.linear", "steps", steps, 1);
    return new Linear(finite("Schedules.linear", "init", init), finite("Schedules.linear", "end", end), steps);
  }

  /** {@code init · rate^(step / transitionSteps)}, continuous (not staircase). */
  public static Schedule exponentialDecay(double init, long transitionSteps, double rate) {
    return exponentialDecay(init, transitionSteps, rate, false);
  }

  /**
   * {@code init · rate^(step / transitionSteps)}; with {@code staircase} the exponent is rounded
   * down to a whole number. The rate must be positive (below 1 decays, above 1 grows).
   */
  public static Schedule exponentialDecay(double init, long transitionSteps, double rate, boolean staircase) {
    String who = "Schedules.exponentialDecay";
    Checks.requireAtLeast(who, "transitionSteps", transitionSteps, 1);
    Checks.requirePositive(who, "rate", Tensor.scalar(rate));
    return new Exponential(finite(who, "init", init), transitionSteps, rate, staircase);
  }

  /** Cosine decay from {@code init} to 0 over {@code decaySteps} steps (alpha = 0). */
  public static Schedule cosineDecay(double init, long decaySteps) {
    return cosineDecay(init, decaySteps, 0);
  }

  /**
   * {@code init · ((1 − alpha)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + alpha)}: from
   * {@code init} down to {@code alpha·init} at {@code decaySteps}, then constant.
   */
  public static Schedule cosineDecay(double init, long decaySteps, double alpha) {
    String who = "Schedules.cosineDecay";
    Checks.requireAtLeast(who, "decaySteps", decaySteps, 1);
    Checks.requireInRange(who, "alpha", alpha, 0, 1);
    return new Cosine(finite(who, "init", init), decaySteps, alpha);
  }

  /**
   * {@code init} times the product of the scales of every boundary ≤ step: e.g.
   * {@code piecewiseConstant(0.1, TreeMap.of(100L, 0.1, 200L, 0.1))} is 0.1, then 0.01 from step
   * 100, then 0.001 from step 200.
   */
  public static Schedule piecewiseConstant(double init, Map<Long, Double> boundariesAndScales) {
    String who = "Schedules.piecewiseConstant";
    TreeMap<Long, Double> sorted = TreeMap.ofEntries(boundariesAndScales);
    sorted.forEach((b, s) -> {
      Checks.requireAtLeast(who, "a boundary", b, 0);
      finite(who, "the scale at step " + b, s);
    });
    return new Piecewise(finite(who, "init", init), sorted);
  }

  /**
   * One schedule after another: {@code schedules[0]} until {@code boundaries[0]}, then
   * {@code schedules[1]} evaluated at {@code step − boundaries[0]}, and so on (optax's
   * join_schedules). Needs one boundary fewer than schedules, increasing.
   */
  public static Schedule join(List<Schedule> schedules, List<Long> boundaries) {
    String who = "Schedules.join";
    if (schedules.isEmpty() || boundaries.size() != schedules.size() - 1) {
      throw new IllegalArgumentException(who + ": expected one boundary fewer than schedules, got "
          + schedules.size() + " schedules and " + boundaries.size() + " boundaries");
    }
    for (int i = 0; i < boundaries.size(); i++) {
      Checks.requireAtLeast(who, "boundary " + i, boundaries.get(i), i == 0 ? 0 : boundaries.get(i - 1) + 1);
    }
    return new Join(schedules, boundaries);
  }

  /**
   * A linear warm-up from {@code init} to {@code peak} over {@code warmupSteps}, then a cosine
   * decay from {@code peak} to {@code end} at {@code decaySteps} (counted from step 0, so the
   * decay lasts {@code decaySteps − warmupSteps} steps), then {@code end}.
   */
  public static Schedule warmupCosineDecay(double init, double peak, long warmupSteps, long decaySteps, double end) {
    String who = "Schedules.warmupCosineDecay";
    Checks.requireAtLeast(who, "warmupSteps", warmupSteps, 1);
    Checks.requireAtLeast(who, "decaySteps", decaySteps, warmupSteps + 1);
    if (peak == 0) throw new IllegalArgumentException(who + ": peak must be nonzero, got 0");
    return join(List.of(linear(init, peak, warmupSteps), cosineDecay(peak, decaySteps - warmupSteps, end / peak)),
        List.of(warmupSteps));
  }

  private static double finite(String who, String name, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(who + ": " + name + " = " + v + " is outside the allowed range (-∞, ∞)");
    }
    return v;
  }

  private static void requireStep(long step) {
    if (step < 0) throw new IllegalArgumentException("Schedule: the step must be ≥ 0, got " + step);
  }

  // ------------------------------------------------------------------ the schedules

  /** See {@link Schedules#constant(Tensor)}. */
  record Constant(Tensor value) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      return value;
    }

    @Override
    public String toString() {
      return Numbers.num(value);
    }
  }

  /** See {@link Schedules#linear}. */
  record Linear(double init, double end, long steps) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      double frac = (double) Math.min(step, steps) / steps;
      return Tensor.scalar(init + (end - init) * frac);
    }

    @Override
    public String toString() {
      return "linear(init=" + Numbers.num(init) + ", end=" + Numbers.num(end) + ", steps=" + steps + ")";
    }
  }

  /** See {@link Schedules#exponentialDecay(double, long, double, boolean)}. */
  record Exponential(double init, long transitionSteps, double rate, boolean staircase) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      double p = (double) step / transitionSteps;
      if (staircase) p = Math.floor(p);
      return Tensor.scalar(init * Math.pow(rate, p));
    }

    @Override
    public String toString() {
      return "exponentialDecay(init=" + Numbers.num(init) + ", transitionSteps=" + transitionSteps + ", rate="
          + Numbers.num(rate) + (staircase ? ", staircase" : "") + ")";
    }
  }

  /** See {@link Schedules#cosineDecay(double, long, double)}. */
  record Cosine(double init, long decaySteps, double alpha) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(step, decaySteps) / decaySteps));
      return Tensor.scalar(init * ((1 - alpha) * cosine + alpha));
    }

    @Override
    public String toString() {
      return "cosineDecay(init=" + Numbers.num(init) + ", decaySteps=" + decaySteps + ", alpha=" + Numbers.num(alpha) + ")";
    }
  }

  /** See {@link Schedules#piecewiseConstant}. */
  record Piecewise(double init, TreeMap<Long, Double> boundariesAndScales) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      double v = init;
      for (var e : boundariesAndScales) {
        if (step >= e._1) v *= e._2;
      }
      return Tensor.scalar(v);
    }

    @Override
    public String toString() {
      return "piecewiseConstant(init=" + Numbers.num(init) + ", "
          + boundariesAndScales.map(e -> e._1 + ": ×" + Numbers.num(e._2)).mkString("{", ", ", "}") + ")";
    }
  }

  /** See {@link Schedules#join}. */
  record Join(List<Schedule> schedules, List<Long> boundaries) implements Schedule {
    @Override
    public Tensor at(long step) {
      requireStep(step);
      int i = 0;
      while (i < boundaries.size() && step >= boundaries.get(i)) i++;
      return schedules.get(i).at(i == 0 ? step : step - boundaries.get(i - 1));
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("join(").append(schedules.head());
      for (int i = 0; i < boundaries.size(); i++) {
        sb.append(", from step ").append(boundaries.get(i)).append(": ").append(schedules.get(i + 1));
      }
      return sb.append(")").toString();
    }
  }

  /** See {@link Schedule#times(Tensor)}. */
  record Scaled(Schedule schedule, Tensor factor) implements Schedule {
    @Override
    public Tensor at(long step) {
      Tensor v = schedule.at(step);
      return factor.isTraced() || v.isTraced() ? v.mul(factor) : Tensor.scalar(v.item() * factor.item());
    }

    @Override
    public String toString() {
      return schedule + " × " + Numbers.num(factor);
    }
  }
}
