package l2l.dsl;

import io.vavr.Tuple0;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.problems.Problem;
import l2l.problems.Seeds;
import l2l.problems.Task;

/**
 * Hyperparameters tuned by gradient descent through a training run. The objective over the
 * hyperparameters h is the mean (or final) loss of a short run of {@code steps} steps of the
 * optimizer with h on a task drawn from a problem; its gradient comes from reverse mode through
 * {@link Minimize#minimize} itself (the gradients inside the run are traced, so the derivative
 * includes ∂∇f/∂θ · ∂θ/∂h). That objective is an {@link Objective} like any other, so tuning is
 * {@code minimize(objective(...), outer)} — the same function that trains the optimizee.
 *
 * <p>Hyperparameters are unconstrained: a learning rate as its logarithm, a decay rate β ∈ (0, 1)
 * as its logit, so every step of the outer optimizer gives a valid optimizer.
 */
public final class Hypergradients {
  private Hypergradients() {}

  /** What a run's loss is. */
  public enum Target {
    /** The mean of f(θ₁), …, f(θ_steps) (smoother: it rewards fast progress). */
    MEAN,
    /** f(θ_steps). */
    FINAL
  }

  /**
   * A family of optimizers indexed by unconstrained hyperparameters, and a point of it.
   *
   * @param name the family, e.g. "adam(lr)"
   * @param h the point: a tree of 1×1 tensors (e.g. {"log_lr"})
   * @param family the optimizer at a point (differentiable in traced h)
   * @param readout the hyperparameters' usual values at a point (e.g. {"lr": 0.01})
   */
  public record Hyperparameters(String name, Tree h, Function<Tree, Optimizer> family,
      Function<Tree, Map<String, Double>> readout) {
    /** Checks the parts. */
    public Hyperparameters {
      Objects.requireNonNull(h, "Hyperparameters: h");
      Objects.requireNonNull(family, "Hyperparameters: family");
      Objects.requireNonNull(readout, "Hyperparameters: readout");
    }

    /** The optimizer at this point. */
    public Optimizer optimizer() {
      return family.apply(h);
    }

    /** The usual values at this point, e.g. {"lr": 0.01, "b1": 0.9}. */
    public Map<String, Double> values() {
      return readout.apply(h);
    }

    /** The learning rate at this point (NaN if the family has none). */
    public double lr() {
      return values().get("lr").getOrElse(Double.NaN);
    }

    /** The same family at another point. */
    public Hyperparameters at(Tree point) {
      h.requireSameStructure(point, "Hyperparameters.at: the point does not fit " + name);
      return new Hyperparameters(name, point, family, readout);
    }
  }

  private static Tensor s(double v) {
    return Tensor.scalar(v);
  }

  private static double logit(double p) {
    if (!(p > 0 && p < 1)) throw new IllegalArgumentException("a decay rate must be in (0, 1), got " + p);
    return Math.log(p / (1 - p));
  }

  private static double positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be > 0, got " + v);
    return v;
  }

  /** Adam (β = (0.9, 0.999), ε = 1e-8) with its learning rate as h = {"log_lr"}, starting at {@code lr}. */
  public static Hyperparameters adam(double lr) {
    return new Hyperparameters("adam(lr)", Tree.of("log_lr", s(Math.log(positive("adam: lr", lr)))),
        h -> Optimizers.adam(h.tensor("log_lr").exp()),
        h -> LinkedHashMap.of("lr", Math.exp(h.tensor("log_lr").item())));
  }

  /** Adam (β₂ = 0.999, ε = 1e-8) with h = {"log_lr", "logit_b1"}, starting at {@code lr} and {@code b1}. */
  public static Hyperparameters adam(double lr, double b1) {
    return new Hyperparameters("adam(lr, b1)", Tree.of("log_lr", s(Math.log(positive("adam: lr", lr))), "logit_b1",
        s(logit(b1))),
        h -> Optimizers.adam(h.tensor("log_lr").exp(), h.tensor("logit_b1").sigmoid(), s(0.999), s(1e-8)),
        h -> LinkedHashMap.of("lr", Math.exp(h.tensor("log_lr").item()), "b1",
            1 / (1 + Math.exp(-h.tensor("logit_b1").item()))));
  }

  /** Plain gradient descent with h = {"log_lr"}, starting at {@code lr}. */
  public static Hyperparameters sgd(double lr) {
    return new Hyperparameters("sgd(lr)", Tree.of("log_lr", s(Math.log(positive("sgd: lr", lr)))),
        h -> Optimizers.sgd(h.tensor("log_lr").exp()),
        h -> LinkedHashMap.of("lr", Math.exp(h.tensor("log_lr").item())));
  }

  /**
   * The loss of a run of {@code steps} steps of the family's optimizer at h on a task, a 1×1
   * tensor differentiable in h when h is traced.
   */
  public static Tensor runLoss(Hyperparameters family, Tree h, Task task, int steps, Target target) {
    if (steps < 1) throw new IllegalArgumentException("runLoss: steps must be ≥ 1, got " + steps);
    Iterator<Minimize.State<Tuple0>> it = Minimize.minimize(task, family.family().apply(h)).iterator();
    it.next();
    Tensor total = s(0);
    for (int t = 1; t <= steps; t++) {
      Minimize.State<Tuple0> st = it.next();
      Tensor f = t < steps ? st.result().loss() : task.loss(st.params(), t);
      if (target == Target.MEAN) total = total.add(f);
      else if (t == steps) total = f;
    }
    return target == Target.MEAN ? total.mul(1.0 / steps) : total;
  }

  /** The seed of the task of tuning step t. */
  public static long taskSeed(long seed, int t) {
    return Seeds.derive(seed, "hypertrain", t);
  }

  /**
   * Training runs as an objective over h: step t samples the task {@link #taskSeed}(seed, t) and
   * gives the run's loss and its gradient with respect to h (reverse mode through the run).
   */
  public static Objective<Tuple0> objective(Hyperparameters start, Problem problem, int steps, Target target,
      long seed) {
    return new Objective<>() {
      @Override
      public Tree init() {
        return start.h();
      }

      @Override
      public Tuple0 start() {
        return Tuple0.instance();
      }

      @Override
      public Step<Tuple0> step(Tree h, Tuple0 state, int t) {
        Task task = problem.sample(taskSeed(seed, t));
        Autodiff.ValueAndGrad<Tree> vg = Autodiff.valueAndGradTree((Tree x) -> runLoss(start, x, task, steps, target))
            .apply(h);
        return new Step<>(vg.value(), vg.grad(), state);
      }
    };
  }

  /**
   * One point of the tuning trajectory.
   *
   * @param step the tuning step
   * @param values the hyperparameters' usual values at this step (e.g. lr)
   * @param loss the run's loss at these values on this step's task (NaN if not finite)
   */
  public record Point(int step, Map<String, Double> values, double loss) {
    /** The learning rate at this step. */
    public double lr() {
      return values.get("lr").getOrElse(Double.NaN);
    }

    /** One line for reports. */
    public String describe() {
      return String.format(Locale.ROOT, "step %4d  %s  run loss %.6g", step,
          values.map(t -> t._1 + "=" + String.format(Locale.ROOT, "%.5g", t._2)).mkString(", "), loss);
    }
  }

  /**
   * A tuning run.
   *
   * @param trajectory the hyperparameters and run loss at every step, the last one after the last update
   * @param last the tuned hyperparameters
   */
  public record Result(List<Point> trajectory, Hyperparameters last) {
    /** The tuned optimizer. */
    public Optimizer optimizer() {
      return last.optimizer();
    }

    /** The tuned learning rate. */
    public double lr() {
      return last.lr();
    }
  }

  /** {@link #tune(Hyperparameters, Problem, int, Target, Optimizer, int, long)} on the mean loss of each run. */
  public static Result tune(Hyperparameters start, Problem problem, int steps, Optimizer outer, int iterations,
      long seed) {
    return tune(start, problem, steps, Target.MEAN, outer, iterations, seed);
  }

  /**
   * Tunes h by {@code iterations} steps of {@code outer} (e.g. Adam with learning rate 0.05 on log
   * lr) on the objective of {@link #objective}: a fresh task per step; a step whose run or
   * hypergradient is not finite is skipped.
   */
  public static Result tune(Hyperparameters start, Problem problem, int steps, Target target, Optimizer outer,
      int iterations, long seed) {
    if (iterations < 0) throw new IllegalArgumentException("tune: iterations must be ≥ 0, got " + iterations);
    List<Point> points = List.empty();
    Tree last = start.h();
    Iterator<Minimize.State<Tuple0>> it = Minimize.minimize(objective(start, problem, steps, target, seed),
        Transforms.applyIfFinite(outer)).iterator();
    for (int k = 0; k <= iterations; k++) {
      Minimize.State<Tuple0> st = it.next();
      last = st.params();
      double loss = st.loss();
      points = points.append(new Point(k, start.readout().apply(last), Double.isFinite(loss) ? loss : Double.NaN));
    }
    return new Result(points, start.at(last));
  }
}
