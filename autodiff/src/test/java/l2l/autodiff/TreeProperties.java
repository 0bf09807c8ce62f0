package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of trees of tensors. */
class TreeProperties {
  @Provide
  Arbitrary<Tree> trees() {
    return TensorArbitraries.trees();
  }

  @Property(tries = 100)
  void unflattenInvertsFlatten(@ForAll("trees") Tree t) {
    Tree back = t.unflatten(t.flatten());
    assertTrue(back.sameStructure(t));
    assertTrue(GradCheck.maxError(back, t) == 0);
    assertEquals(t.size(), t.flatten().rows());
  }

  @Property(tries = 100)
  void flattenKeepsLeafOrderAndRowMajorOrder(@ForAll("trees") Tree t) {
    double[] flat = t.flatten().toArray();
    int at = 0;
    for (Tensor leaf : t.leaves()) {
      double[] v = leaf.toArray();
      for (double d : v) assertEquals(d, flat[at++]);
    }
  }

  @Property(tries = 60)
  void flattenAndUnflattenAreDifferentiable(@ForAll("trees") Tree t, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor w = Tensor.uniform(t.size(), 1, -1, 1, r);
    Function<Tree, Tensor> f = x -> x.unflatten(x.flatten().tanh()).flatten().mul(w).sum();
    Tree analytic = Autodiff.gradTree(f).apply(t);
    Tree numeric = GradCheck.numericGrad(f, t, 1e-5);
    assertTrue(GradCheck.maxError(analytic, numeric) < 1e-7);
  }

  @Property(tries = 60)
  void mapAndZipAreDifferentiable(@ForAll("trees") Tree t, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree other = t.map(x -> Tensor.uniform(x.rows(), x.cols(), -1, 1, r));
    Function<Tree, Tensor> f = x -> x.map(Tensor::sigmoid).zip(other, Tensor::mul).plus(x.times(0.5)).sumSquares();
    Tree analytic = Autodiff.gradTree(f).apply(t);
    Tree numeric = GradCheck.numericGrad(f, t, 1e-5);
    assertTrue(GradCheck.maxError(analytic, numeric) < 1e-7);
  }

  @Property(tries = 50)
  void mapWithIdentityIsIdentity(@ForAll("trees") Tree t) {
    Tree m = t.map(x -> x);
    assertEquals(t.paths(), m.paths());
    assertTrue(GradCheck.maxError(m, t) == 0);
  }

  @Property(tries = 50)
  void gradientOfATreeFunctionHasTheArgumentsStructure(@ForAll("trees") Tree t) {
    Tree g = Autodiff.gradTree(Tree::sumSquares).apply(t);
    assertTrue(g.sameStructure(t));
    assertTrue(GradCheck.maxError(g, t.times(2)) < 1e-15);
  }

  @Example
  void replacingAnEntryKeepsItsPlace() {
    Tree t = Tree.of("a", Tensor.scalar(1), "b", Tensor.scalar(2), "c", Tensor.scalar(3));
    Tree u = t.with("b", Tensor.scalar(20));
    assertEquals(List.of("a", "b", "c"), u.names());
    assertEquals(20.0, u.tensor("b").item());
    assertEquals(2.0, t.tensor("b").item(), "the original is unchanged");
  }

  @Example
  void anUnknownNameIsAnErrorThatListsTheKnownOnes() {
    Tree t = Tree.of("weights", Tensor.scalar(1), "bias", Tensor.scalar(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.get("wieghts"));
    assertTrue(e.getMessage().contains("'wieghts'") && e.getMessage().contains("weights, bias"), e.getMessage());
    IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
        () -> Tree.empty().with("layer", t).tensor("layer/bais"));
    assertTrue(p.getMessage().contains("layer/bais") && p.getMessage().contains("weights, bias"), p.getMessage());
  }

  @Example
  void zippingTreesOfDifferentStructureNamesTheFirstDifference() {
    Tree a = Tree.of("w", Tensor.zeros(2, 3), "b", Tensor.zeros(1, 3));
    Tree b = Tree.of("w", Tensor.zeros(2, 3), "b", Tensor.zeros(1, 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.zip(b, Tensor::add));
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("1×3") && e.getMessage().contains("1×4"),
        e.getMessage());
    Tree c = Tree.of("w", Tensor.zeros(2, 3), "bias", Tensor.zeros(1, 3));
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> a.zip(c, Tensor::add));
    assertTrue(f.getMessage().contains("'b'") && f.getMessage().contains("'bias'"), f.getMessage());
  }

  @Example
  void unflattenRejectsAColumnOfTheWrongLength() {
    Tree t = Tree.of("w", Tensor.zeros(2, 3));
    ShapeException e = assertThrows(ShapeException.class, () -> t.unflatten(Tensor.zeros(5, 1)));
    assertTrue(e.getMessage().contains("6×1") && e.getMessage().contains("5×1"), e.getMessage());
  }
}
