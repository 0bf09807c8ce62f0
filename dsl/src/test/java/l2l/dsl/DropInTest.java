package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizers;
import org.junit.jupiter.api.Test;

/** Drop-in use: any optimizer, learned ones included, minimizes a function of a Tree that l2l never saw. */
class DropInTest {
  /** A least-squares fit of a 3×2 matrix and a bias, written here as the user would. */
  static final Tensor X = Tensor.uniform(20, 3, -1, 1, new SplittableRandom(1));
  static final Tensor Y = X.matmul(Tensor.uniform(3, 2, -1, 1, new SplittableRandom(2))).add(0.5)
      .add(Tensor.uniform(20, 2, -0.05, 0.05, new SplittableRandom(3)));
  static final Function<Tree, Tensor> LOSS = t -> X.matmul(t.tensor("w")).add(t.tensor("b")).sub(Y).square().mean();
  static final Tree THETA0 = Tree.of("w", Tensor.zeros(3, 2), "b", Tensor.zeros(1, 2));

  @Test
  void aLearnedOptimizerMinimizesAUsersOwnFunctionInAFewLines() {
    Tree phi = MetaTraining.run(Fixtures.meta(Fixtures.SCALE_FREE, 1), Optimizers.adam(0.03), Fixtures.plan(20, 10)).best();
    DropIn.Run run = DropIn.minimize(LOSS, THETA0, Fixtures.SCALE_FREE.apply(phi), 100);
    assertEquals(101, run.losses().length);
    assertTrue(run.finalLoss() < 0.05 * run.losses()[0], run.losses()[0] + " -> " + run.finalLoss());
    assertEquals(LOSS.apply(run.params()).item(), run.finalLoss(), 1e-12);
  }

  @Test
  void aRunStopsAtTheLastFiniteParametersWhenTheLossStopsBeingFinite() {
    DropIn.Run run = DropIn.minimize(LOSS, THETA0, Optimizers.sgd(1e30), 50);
    assertTrue(run.params().allFinite());
    assertTrue(Double.isNaN(run.losses()[50]));
    assertTrue(Double.isFinite(run.finalLoss()));
  }

  @Test
  void aStepDependentLossSeesEveryStepInOrder() {
    java.util.List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    DropIn.minimize(DropIn.task(THETA0, (t, step) -> {
      seen.add(step);
      return LOSS.apply(t);
    }), Optimizers.adam(0.1), 3);
    assertEquals(java.util.List.of(0, 1, 2, 3), seen.stream().distinct().toList());
  }
}
