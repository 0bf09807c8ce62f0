package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import org.junit.jupiter.api.Test;

/** One learned optimizer for conv filters and another for the rest. */
class PartitionedLearnedTest {
  private final CoordinatewiseLstm conv = CoordinatewiseLstm.of(LstmConfig.mnist().withHidden(3));
  private final CoordinatewiseLstm rest = CoordinatewiseLstm.of(LstmConfig.mnist().withHidden(4, 2));
  private final PartitionedLearned both = PartitionedLearned.convAndRest(conv, rest);

  private static Tree params(SplittableRandom r) {
    return Tree.empty().with("conv0", Tree.of("w", Tensor.uniform(2, 4, -1, 1, r), "b", Tensor.uniform(1, 2, -1, 1, r)))
        .with("layer0", Tree.of("w", Tensor.uniform(3, 2, -1, 1, r), "b", Tensor.uniform(1, 2, -1, 1, r)));
  }

  @Test
  void eachGroupIsUpdatedByItsOwnLearnedOptimizer() {
    SplittableRandom r = new SplittableRandom(1);
    Tree theta = params(r);
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Tree phi = both.init(5);
    assertEquals(io.vavr.collection.List.of("conv", "rest"), phi.names());
    Optimizer.Update u = both.apply(phi).update(grads, both.apply(phi).init(theta), theta);
    // the conv filters alone, through the conv LSTM
    Tree filters = Tree.of("w", theta.tensor("conv0/w"));
    Optimizer convOpt = conv.apply(phi.get("conv"));
    Tree alone = convOpt.update(Tree.of("w", grads.tensor("conv0/w")), convOpt.init(filters), filters).updates();
    assertTrue(alone.tensor("w").allClose(u.updates().tensor("conv0/w"), 0, 0));
    assertEquals(theta.paths(), u.updates().paths());
  }

  @Test
  void thePartitionedOptimizerIsDifferentiableInPhi() {
    SplittableRandom r = new SplittableRandom(2);
    Tree theta = params(r);
    Tree grads = theta.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Tree phi = both.init(3);
    java.util.function.Function<Tree, Tensor> f = p -> {
      Optimizer o = both.apply(p);
      return o.update(grads, o.init(theta), theta).updates().sumSquares();
    };
    assertTrue(GradCheck.maxError(Autodiff.gradTree(f).apply(phi), GradCheck.numericGrad(f, phi, 1e-5)) < 1e-7);
  }
}
