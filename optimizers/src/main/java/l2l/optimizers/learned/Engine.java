package l2l.optimizers.learned;

import io.vavr.control.Option;
import java.util.Objects;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * How one truncation of meta-training is run and differentiated: from θ and the learned
 * optimizer's state, {@code steps} optimizee steps with g(φ), the meta-loss Σ_t ℓ(f(θ_t)) and its
 * gradient in φ. A learned optimizer offers its engine ({@code LearnedOptimizer.engine}) the way an
 * op offers its vector-Jacobian product: {@link #reverseMode} is the general one, and a faster
 * engine registered beside an optimizer must give the same numbers (properties check it).
 */
public interface Engine {
  /** The optimizee's loss at θ on step t. */
  @FunctionalInterface
  interface Loss {
    /** f_t(θ), a 1×1 tensor, differentiable in θ. */
    Tensor at(Tree theta, int step);

    /** f_t and ∇f_t at θ (θ's derivative levels are not followed). */
    default ValueAndGrad<Tree> valueAndGrad(Tree theta, int step) {
      return Autodiff.valueAndGradTree((Tree p) -> at(p, step)).apply(theta.detach());
    }
  }

  /**
   * One truncation to run.
   *
   * @param phi the learned optimizer's parameters
   * @param loss the optimizee
   * @param theta θ at the truncation's first step
   * @param state the learned optimizer's state there
   * @param first the optimizee step the truncation starts at
   * @param steps how many steps it runs (θ_0 … θ_steps enter the meta-loss)
   * @param known f and ∇f at θ on step {@code first}, if already computed (the previous truncation's {@link Result#last})
   * @param stepLoss ℓ
   * @param exact whether to differentiate through the optimizee's gradient input too (second order);
   *     otherwise it is a constant (first order)
   */
  record Truncation(Tree phi, Loss loss, Tree theta, Tree state, int first, int steps, Option<ValueAndGrad<Tree>> known,
      StepLoss stepLoss, boolean exact) {
    /** Checks the counts and that nothing is missing. */
    public Truncation {
      Objects.requireNonNull(phi, "phi");
      Objects.requireNonNull(loss, "loss");
      Objects.requireNonNull(theta, "theta");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(known, "known");
      Objects.requireNonNull(stepLoss, "stepLoss");
      if (steps < 1) throw new IllegalArgumentException("a truncation runs at least 1 step, got " + steps);
      if (first < 0) throw new IllegalArgumentException("the first step must be ≥ 0, got " + first);
    }

    /** This truncation with other parameters φ (e.g. perturbed). */
    public Truncation withPhi(Tree p) {
      return new Truncation(p, loss, theta, state, first, steps, known, stepLoss, exact);
    }

    /** This truncation from another θ, optimizer state and known value and gradient. */
    public Truncation from(Tree th, Tree st, Option<ValueAndGrad<Tree>> k) {
      return new Truncation(phi, loss, th, st, first, steps, k, stepLoss, exact);
    }

    /** f and ∇f at θ on the first step: the known ones or computed. */
    ValueAndGrad<Tree> start() {
      return known.getOrElse(() -> loss.valueAndGrad(theta, first));
    }
  }

  /**
   * What a truncation gives.
   *
   * @param metaLoss Σ_{t=0}^{steps} ℓ(f(θ_t)) (traced when φ is traced at an enclosing level)
   * @param grad ∂metaLoss/∂φ, with φ's structure
   * @param theta θ after the last step
   * @param state the learned optimizer's state after the last step
   * @param losses f(θ_0), …, f(θ_steps)
   * @param last f and ∇f at the last θ on the next step, to start the next truncation with
   */
  record Result(Tensor metaLoss, Tree grad, Tree theta, Tree state, double[] losses, ValueAndGrad<Tree> last) {}

  /** Runs a truncation. */
  Result run(Truncation t);

  /** A short name for reports ("reverse mode", "row blocks", …). */
  String describe();

  /**
   * The general engine: reverse mode through the composed optimizer. For a coordinatewise
   * optimizer (see {@code LearnedOptimizer.coordinatewise}) with untraced φ it evaluates the
   * optimizer on fixed blocks of rows on every core ({@link RowBlocks}); otherwise it records the
   * whole truncation as one graph ({@link WholeGraph}). Both give the same numbers.
   */
  static Engine reverseMode(LearnedOptimizer learned) {
    return learned.coordinatewise() ? new RowBlocks(learned) : new WholeGraph(learned);
  }
}
