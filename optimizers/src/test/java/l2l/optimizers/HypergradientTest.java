package l2l.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.junit.jupiter.api.Test;

/**
 * Updates are tensor ops, so a training run is differentiable in its hyperparameters: the
 * gradient of a short run's final loss with respect to Adam's learning rate (and other
 * hyperparameters) matches central finite differences. The gradients inside the run come from
 * {@link Autodiff} too, so the check covers second-order terms (∂∇f/∂θ · ∂θ/∂lr).
 */
class HypergradientTest {
  private static final int STEPS = 10;
  private static final Tree THETA0 = Tree.of("w", Tensor.uniform(3, 2, -1, 1, new SplittableRandom(3)), "b",
      Tensor.uniform(1, 2, -1, 1, new SplittableRandom(4)));
  private static final Tensor A = Tensor.uniform(3, 3, -1, 1, new SplittableRandom(5));
  private static final Tensor Y = Tensor.uniform(3, 2, -1, 1, new SplittableRandom(6));

  /** A small nonconvex loss: ‖tanh(A·w + b) − y‖² + 0.1·Σ w⁴. */
  static Tensor loss(Tree theta) {
    Tensor w = theta.tensor("w"), b = theta.tensor("b");
    return A.matmul(w).add(b).tanh().sub(Y).sumSquares().add(w.square().square().sum().mul(0.1));
  }

  /** The loss after STEPS steps of the optimizer, gradients by reverse mode at each step. */
  static Tensor finalLoss(Optimizer opt) {
    Tree theta = THETA0, state = opt.init(THETA0);
    Function<Tree, Tree> grad = Autodiff.gradTree(HypergradientTest::loss);
    for (int t = 0; t < STEPS; t++) {
      Optimizer.Update u = opt.update(grad.apply(theta), state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
    }
    return loss(theta);
  }

  private static void check(String what, Function<Tensor, Tensor> f, double at, double tolerance) {
    Tensor x = Tensor.scalar(at);
    double analytic = Autodiff.grad(f).apply(x).item();
    double numeric = GradCheck.numericGrad(f, x, 1e-6).item();
    double rel = Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(numeric));
    System.out.printf("hypergradient %s at %s: reverse mode %.12e, central differences (h=1e-6) %.12e, "
        + "relative difference %.2e%n", what, at, analytic, numeric, rel);
    assertTrue(Double.isFinite(analytic) && rel < tolerance,
        what + ": reverse mode " + analytic + " vs finite differences " + numeric);
    assertTrue(Math.abs(numeric) > 1e-4, what + ": the check is vacuous, the derivative is ~0");
  }

  @Test
  void gradientOfFinalLossWithRespectToAdamsLearningRateMatchesFiniteDifferences() {
    check("d loss_10 / d lr (adam)", lr -> finalLoss(Optimizers.adam(lr)), 0.05, 1e-6);
  }

  @Test
  void gradientWithRespectToAdamsBetasAndEpsMatchesFiniteDifferences() {
    Tensor lr = Tensor.scalar(0.05);
    check("d loss_10 / d b1 (adam)", b1 -> finalLoss(Optimizers.adam(lr, b1, Tensor.scalar(0.999),
        Tensor.scalar(1e-8))), 0.9, 1e-5);
    check("d loss_10 / d b2 (adam)", b2 -> finalLoss(Optimizers.adam(lr, Tensor.scalar(0.9), b2,
        Tensor.scalar(1e-8))), 0.99, 1e-5);
    check("d loss_10 / d eps (adam)", eps -> finalLoss(Optimizers.adam(lr, Tensor.scalar(0.9), Tensor.scalar(0.999),
        eps)), 0.1, 1e-5);
  }

  @Test
  void gradientWithRespectToALearningRateHeldInInjectedHyperparamsMatchesFiniteDifferences() {
    Optimizer injected = Transforms.injectHyperparams(h -> Optimizers.adam(h.get("lr")),
        LinkedHashMap.of("lr", Schedules.constant(0.0)));
    Function<Tensor, Tensor> f = lr -> {
      Tree theta = THETA0;
      Tree state = injected.init(THETA0);
      state = state.with("hyperparams", state.get("hyperparams").with("lr", lr)); // differentiate through the state
      Function<Tree, Tree> grad = Autodiff.gradTree(HypergradientTest::loss);
      for (int t = 0; t < STEPS; t++) {
        Optimizer.Update u = injected.update(grad.apply(theta), state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
      }
      return loss(theta);
    };
    check("d loss_10 / d lr (adam, lr in injectHyperparams' state)", f, 0.05, 1e-6);
    double direct = Autodiff.grad((Tensor lr) -> finalLoss(Optimizers.adam(lr))).apply(Tensor.scalar(0.05)).item();
    double viaState = Autodiff.grad(f).apply(Tensor.scalar(0.05)).item();
    assertTrue(Math.abs(direct - viaState) <= 1e-12 * Math.abs(direct), direct + " vs " + viaState);
  }

  @Test
  void gradientThroughAScheduledLearningRateMatchesFiniteDifferences() {
    check("d loss_10 / d peak lr (sgd with cosine decay, via scaleBySchedule)",
        peak -> finalLoss(Transforms.scaleBySchedule(Schedules.cosineDecay(-1, STEPS).times(peak))), 0.1, 1e-6);
  }

  @Test
  void gradientsWithRespectToOtherRulesHyperparametersMatchFiniteDifferences() {
    check("d loss_10 / d lr (rmsprop)", lr -> finalLoss(Optimizers.rmsprop(lr, Tensor.scalar(0.9),
        Tensor.scalar(1e-8))), 0.01, 1e-6);
    check("d loss_10 / d beta (nag)", beta -> finalLoss(Optimizers.nag(Tensor.scalar(0.05), beta)), 0.5, 1e-6);
    check("d loss_10 / d lr (adagrad)", lr -> finalLoss(Optimizers.adagrad(lr, Tensor.scalar(0.1),
        Tensor.scalar(1e-10))), 0.1, 1e-6);
    check("d loss_10 / d maxNorm (clipByGlobalNorm, sgd)", m -> finalLoss(Transforms.chain(
        Transforms.clipByGlobalNorm(m), Transforms.scale(-0.1))), 0.3, 1e-6);
    check("d loss_10 / d weightDecay (adamw)", wd -> finalLoss(Optimizers.adamw(Tensor.scalar(0.05),
        Tensor.scalar(0.9), Tensor.scalar(0.999), Tensor.scalar(1e-8), wd)), 0.1, 1e-6);
  }

  @Test
  void aZeroGradientCoordinateGivesAFiniteHypergradient() {
    // the bias's gradient is exactly 0 (but depends on θ, so it is traced): ν stays 0 there, where √ν has an
    // infinite derivative; the chain rule would give 0·∞ = NaN without the square root's guard
    Function<Tree, Tensor> lossNoBias = theta -> A.matmul(theta.tensor("w")).tanh().sub(Y).sumSquares()
        .add(theta.tensor("b").sub(10).relu().square().sum());
    Function<Tensor, Tensor> f = lr -> {
      Optimizer opt = Optimizers.adam(lr);
      Tree theta = THETA0, state = opt.init(THETA0);
      for (int t = 0; t < 5; t++) {
        Optimizer.Update u = opt.update(Autodiff.gradTree(lossNoBias).apply(theta), state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
      }
      return lossNoBias.apply(theta);
    };
    check("d loss_5 / d lr (adam, some gradient coordinates exactly 0)", f, 0.05, 1e-6);
  }
}
