package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import org.junit.jupiter.api.Test;

/** The small analytic problems: values at known points, gradients, determinism and descent. */
class AnalyticProblemsTest {

  @Test
  void simpleIsXSquaredFromOneLikeTheOriginal() {
    Task t = new Simple().sample(123);
    assertEquals(List.of("x"), t.init().paths());
    assertEquals(1.0, t.init().tensor("x").item());
    assertEquals(1.0, t.loss(t.init(), 0).item());
    assertEquals(2.0, Autodiff.gradTree((Tree p) -> t.loss(p, 0)).apply(t.init()).tensor("x").item());
    assertEquals(9.0, t.loss(Tree.of("x", Tensor.scalar(-3)), 5).item());
    Tree end = TestData.descend(t, 0.1, 50);
    assertTrue(t.loss(end, 0).item() < 1e-9);
  }

  @Test
  void simpleMultiHasOneScalarVariablePerDimension() {
    Task t = new SimpleMulti(3).sample(0);
    assertEquals(List.of("x_0", "x_1", "x_2"), t.init().paths());
    assertEquals(3.0, t.loss(t.init(), 0).item());
    Tree p = Tree.of("x_0", Tensor.scalar(1), "x_1", Tensor.scalar(-2), "x_2", Tensor.scalar(0.5));
    assertEquals(1 + 4 + 0.25, t.loss(p, 0).item(), 1e-15);
    TestData.assertGradientMatches(q -> t.loss(q, 0), p, 1e-8);
    assertEquals("simple-multi(dims=2)", SimpleMulti.defaults().name());
  }

  @Test
  void rosenbrockMatchesItsFormulaAndStartsAtTheClassicPoint() {
    Rosenbrock r = new Rosenbrock(3, 1, 100, 0);
    Task t = r.sample(9);
    assertEquals(List.of(-1.2, 1.0, -1.2), List.ofAll(t.init().tensor("x").toArray()));
    double[] x = {0.3, -0.7, 1.1};
    double expected = 100 * Math.pow(-0.7 - 0.09, 2) + Math.pow(1 - 0.3, 2) + 100 * Math.pow(1.1 - 0.49, 2)
        + Math.pow(1 + 0.7, 2);
    assertEquals(expected, t.loss(Tree.of("x", Tensor.row(x)), 0).item(), 1e-12);
    assertEquals(0.0, t.loss(Tree.of("x", Tensor.row(1, 1, 1)), 0).item(), 0.0);
    TestData.assertGradientMatches(q -> t.loss(q, 0), Tree.of("x", Tensor.row(x)), 1e-6);
    Task noisy = new Rosenbrock(2, 1, 100, 0.1).sample(4);
    assertFalse(noisy.init().tensor("x").allClose(Tensor.row(-1.2, 1), 0, 0));
    Task classic = Rosenbrock.defaults().sample(0);
    double before = classic.loss(classic.init(), 0).item();
    double after = classic.loss(TestData.descend(classic, 1e-3, 500), 0).item();
    assertTrue(after < before / 2, () -> before + " → " + after);
  }

  @Test
  void noisyQuadraticDrawsFreshNoiseEveryStepFromTheSeed() {
    NoisyQuadratic p = new NoisyQuadratic(4, 0.3, 10, 1);
    NoisyQuadratic.Instance a = p.sample(7), b = p.sample(7);
    assertTrue(a.target(3).allClose(b.target(3), 0, 0), "same seed, same step: same noise");
    assertFalse(a.target(3).allClose(a.target(4), 0, 0), "another step: other noise");
    double[] x = {0.5, -1, 2, 0};
    double[] c = a.target(2).toArray(), h = a.curvature().toArray();
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      expected += 0.5 * h[i] * Math.pow(x[i] - c[i], 2);
      assertTrue(h[i] >= 0.1 && h[i] <= 1);
    }
    assertEquals(expected, a.loss(Tree.of("x", Tensor.row(x)), 2).item(), 1e-12);
    TestData.assertGradientMatches(q -> a.loss(q, 2), Tree.of("x", Tensor.row(x)), 1e-7);
    double before = a.evaluate(a.init()).get("noise_free_loss").get();
    double after = a.evaluate(TestData.descend(a, 0.5, 200)).get("noise_free_loss").get();
    assertTrue(after < 0.1 * before, () -> before + " → " + after);
  }
}
