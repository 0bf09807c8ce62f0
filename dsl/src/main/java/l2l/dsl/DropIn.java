package l2l.dsl;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.problems.Task;

/**
 * Any optimizer — a trained learned optimizer loaded from its file, or Adam — on the user's own
 * function of a {@link Tree}, a model l2l has never seen:
 *
 * <pre>{@code
 * Function<Tree, Tensor> loss = theta -> myModel(theta, data);    // any differentiable function
 * DropIn.Run run = DropIn.minimize(loss, theta0, trainedOptimizer, 200);
 * Tree fitted = run.params();
 * }</pre>
 *
 * The function is differentiated by reverse mode; it must return a 1×1 tensor.
 */
public final class DropIn {
  private DropIn() {}

  /** The user's function as a task: the same loss at every step, from θ₀. */
  public static Task task(Tree theta0, Function<Tree, Tensor> loss) {
    Objects.requireNonNull(loss, "DropIn.task: the loss is null");
    return task(theta0, (theta, step) -> loss.apply(theta));
  }

  /** The user's function as a task whose loss may change with the step (e.g. its own minibatches). */
  public static Task task(Tree theta0, BiFunction<Tree, Integer, Tensor> lossAtStep) {
    Objects.requireNonNull(theta0, "DropIn.task: θ₀ is null");
    Objects.requireNonNull(lossAtStep, "DropIn.task: the loss is null");
    return new Task() {
      @Override
      public Tree init() {
        return theta0;
      }

      @Override
      public Tensor loss(Tree params, int step) {
        return lossAtStep.apply(params, step);
      }
    };
  }

  /**
   * A finished run.
   *
   * @param params θ after the last step (or the last finite θ, if the loss stopped being finite)
   * @param losses f(θ₀), …, f(θ_steps) (the first non-finite one kept, NaN after it)
   */
  public record Run(Tree params, double[] losses) {
    /** The loss of the returned θ: the last finite loss (NaN if even f(θ₀) was not finite). */
    public double finalLoss() {
      for (int i = losses.length - 1; i >= 0; i--) {
        if (Double.isFinite(losses[i])) return losses[i];
      }
      return Double.NaN;
    }
  }

  /**
   * {@code steps} steps of the optimizer on the function from θ₀, stopping early if the loss or θ
   * stops being finite.
   */
  public static Run minimize(Function<Tree, Tensor> loss, Tree theta0, Optimizer optimizer, int steps) {
    return minimize(task(theta0, loss), optimizer, steps);
  }

  /** {@code steps} steps of the optimizer on a task, stopping early if the loss or θ stops being finite. */
  public static Run minimize(Task task, Optimizer optimizer, int steps) {
    double[] losses = new double[steps + 1];
    java.util.Arrays.fill(losses, Double.NaN);
    Tree last = task.init();
    java.util.Iterator<Minimize.State<io.vavr.Tuple0>> it = Minimize.minimize(task, optimizer).iterator();
    for (int t = 0; t <= steps; t++) {
      Minimize.State<io.vavr.Tuple0> s = it.next();
      if (!s.params().allFinite()) break;
      double f = s.loss();
      losses[t] = f;
      if (!Double.isFinite(f)) break;
      last = s.params();
    }
    return new Run(last, losses);
  }
}
