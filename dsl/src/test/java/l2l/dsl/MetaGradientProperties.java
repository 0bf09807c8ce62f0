package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Preprocess;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Quadratic;
import l2l.problems.Task;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Both meta-gradients against central finite differences of a meta-loss, on tiny quadratics
 * (batch 2, dimension 3) with a small LSTM, one truncation of up to four steps.
 * <ul>
 *   <li>second order: the exact gradient of Σ_t f(θ_t) with respect to φ;
 *   <li>first order: the exact gradient of the same sum when the optimizer's gradient inputs are
 *       frozen at the values they take at φ (what "the gradient input is a constant" means).
 * </ul>
 * Step 1e-5; tolerance 1e-6 relative to max(1, |value|).
 */
class MetaGradientProperties {
  static final Quadratic TINY = new Quadratic(2, 3, 0.01, Quadratic.Distribution.UNIFORM);

  private static CoordinatewiseLstm lstm(boolean logAndSign) {
    return CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(3, 2).withScale(0.3)
        .withPreprocess(logAndSign ? Preprocess.logAndSign(2) : Preprocess.none()));
  }

  /** Σ_{t=0}^{steps} f(θ_t) from the task's θ₀, feeding the optimizer frozen[t] if given, else ∇f(θ_t). */
  private static Tensor metaLoss(CoordinatewiseLstm g, Tree phi, Task task, int steps, Tree[] frozen, Tree[] record) {
    return metaLoss(g, phi, task, steps, frozen, record, StepLoss.LINEAR);
  }

  private static Tensor metaLoss(CoordinatewiseLstm g, Tree phi, Task task, int steps, Tree[] frozen, Tree[] record,
      StepLoss ell) {
    Optimizer opt = g.apply(phi);
    Tree theta = task.init();
    Tree state = opt.init(theta);
    Tensor total = ell.apply(task.loss(theta, 0));
    for (int t = 0; t < steps; t++) {
      int step = t;
      Tree grad = frozen != null ? frozen[t] : Autodiff.gradTree((Tree x) -> task.loss(x, step)).apply(theta);
      if (record != null) record[t] = grad.detach();
      Optimizer.Update u = opt.update(grad, state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
      total = total.add(ell.apply(task.loss(theta, t + 1)));
    }
    return total;
  }

  @Property(tries = 12)
  void secondOrderMetaGradientMatchesFiniteDifferencesOfTheMetaLoss(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll boolean logAndSign) {
    CoordinatewiseLstm g = lstm(logAndSign);
    MetaTask meta = Fixtures.task(g, TINY, steps, steps, MetaGradient.SECOND_ORDER, seed);
    Tree phi = meta.init();
    Objective.Step<MetaTask.State> step = meta.step(phi, meta.start(), 0);
    Task task = TINY.sample(meta.taskSeed(0));
    Function<Tree, Tensor> f = p -> metaLoss(g, p, task, steps, null, null);
    Tree numeric = GradCheck.numericGrad(f, phi, 1e-5);
    double err = GradCheck.maxError(step.grad(), numeric);
    assertTrue(err < 1e-6, () -> "second-order meta-gradient error " + err);
  }

  @Property(tries = 16)
  void firstOrderMetaGradientMatchesFiniteDifferencesWithFrozenGradientInputs(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll boolean logAndSign, @ForAll boolean fastPath,
      @ForAll StepLoss ell) {
    CoordinatewiseLstm g = lstm(logAndSign);
    MetaTask meta = Fixtures.task(fastPath ? g : g.generalEngineOnly(), TINY, steps, steps, MetaGradient.FIRST_ORDER,
        seed, ell);
    Tree phi = meta.init();
    Objective.Step<MetaTask.State> step = meta.step(phi, meta.start(), 0);
    Task task = TINY.sample(meta.taskSeed(0));
    Tree[] frozen = new Tree[steps];
    metaLoss(g, phi, task, steps, null, frozen, ell);
    Function<Tree, Tensor> f = p -> metaLoss(g, p, task, steps, frozen, null, ell);
    Tree numeric = GradCheck.numericGrad(f, phi, 1e-5);
    double err = GradCheck.maxError(step.grad(), numeric);
    assertTrue(err < 1e-6, () -> "first-order meta-gradient error " + err);
  }

  @Property(tries = 6)
  void theTwoMetaGradientsDifferWhenTheOptimizeeIsCurved(@ForAll long seed) {
    CoordinatewiseLstm g = lstm(false);
    Tree phi = g.init(new SplittableRandom(seed).nextLong());
    MetaTask first = Fixtures.task(g, TINY, 3, 3, MetaGradient.FIRST_ORDER, seed);
    MetaTask second = Fixtures.task(g, TINY, 3, 3, MetaGradient.SECOND_ORDER, seed);
    Tree a = first.step(phi, first.start(), 0).grad();
    Tree b = second.step(phi, second.start(), 0).grad();
    assertTrue(GradCheck.maxError(a, b) > 1e-8, "the second-order terms ∂∇f/∂φ are not zero on a quadratic");
  }
}
