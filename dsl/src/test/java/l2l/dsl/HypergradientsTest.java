package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.Tuple0;
import java.util.function.Function;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizers;
import l2l.problems.Task;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * Hyperparameters by gradient descent through a training run: the hypergradient equals central
 * finite differences of the run's loss, and the tuned learning rate beats the starting one on
 * held-out tasks.
 */
class HypergradientsTest {

  @Property(tries = 6)
  void theHypergradientOfARunEqualsFiniteDifferencesOfItsLoss(@ForAll long seed,
      @ForAll @DoubleRange(min = -7, max = -1.5) double logLr, @ForAll @DoubleRange(min = 0.5, max = 0.95) double b1,
      @ForAll Hypergradients.Target target) {
    Hypergradients.Hyperparameters start = Hypergradients.adam(Math.exp(logLr), b1);
    Objective<Tuple0> objective = Hypergradients.objective(start, Fixtures.TINY, 8, target, seed);
    Objective.Step<Tuple0> step = objective.step(start.h(), objective.start(), 3);
    Task task = Fixtures.TINY.sample(Hypergradients.taskSeed(seed, 3));
    Function<Tree, Tensor> run = h -> Hypergradients.runLoss(start, h, task, 8, target);
    double direct = run.apply(start.h()).item();
    assertEquals(direct, step.loss().item(), 1e-12 * Math.abs(direct), "the objective's loss is the run's loss");
    Tree numeric = GradCheck.numericGrad(run, start.h(), 1e-5);
    for (String name : new String[] {"log_lr", "logit_b1"}) {
      double a = step.grad().tensor(name).item(), n = numeric.tensor(name).item();
      assertTrue(Math.abs(a - n) <= 1e-6 * Math.max(1e-3, Math.abs(n)),
          () -> name + ": reverse mode " + a + ", finite differences " + n);
    }
    assertTrue(Math.abs(numeric.tensor("log_lr").item()) > 1e-6, "the check is not vacuous");
  }

  @Test
  void theTunedLearningRateBeatsTheStartingOneOnHeldOutTasks() {
    Hypergradients.Result r = Hypergradients.tune(Hypergradients.adam(1e-3), Fixtures.TINY, 10, Optimizers.adam(0.2),
        15, 21);
    assertEquals(16, r.trajectory().size());
    assertEquals(1e-3, r.trajectory().head().lr(), 1e-15);
    assertEquals(r.lr(), r.trajectory().last().lr(), 0.0);
    assertTrue(r.lr() > 3e-3, "the learning rate grew: " + r.lr());
    long[] test = Evaluation.seeds(21, "test", 10);
    double before = Evaluation.meanFinalLoss(Fixtures.TINY, Optimizers.adam(1e-3), 10, test);
    double after = Evaluation.meanFinalLoss(Fixtures.TINY, r.optimizer(), 10, test);
    assertTrue(after < 0.8 * before, "held-out loss " + before + " at the start, " + after + " tuned");
  }

  @Test
  void eachPointOfTheTrajectoryIsTheRunLossOfItsHyperparametersOnItsTask() {
    Hypergradients.Hyperparameters start = Hypergradients.sgd(0.01);
    Hypergradients.Result r = Hypergradients.tune(start, Fixtures.TINY, 5, Hypergradients.Target.FINAL,
        Optimizers.sgd(0.1), 3, 8);
    for (Hypergradients.Point p : r.trajectory()) {
      Tree h = Tree.of("log_lr", Tensor.scalar(Math.log(p.lr())));
      double loss = Hypergradients.runLoss(start, h, Fixtures.TINY.sample(Hypergradients.taskSeed(8, p.step())), 5,
          Hypergradients.Target.FINAL).item();
      assertEquals(loss, p.loss(), 1e-9 * Math.abs(loss));
    }
    assertArrayEquals(new double[] {0, 1, 2, 3}, r.trajectory().map(p -> (double) p.step()).toJavaStream()
        .mapToDouble(d -> d).toArray());
  }
}
