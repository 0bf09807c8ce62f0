package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The quadratic family: its loss against plain loops, its gradient, determinism and descent. */
class QuadraticTest {

  /** mean_b Σᵢ (Σⱼ Wᵦᵢⱼ xᵦⱼ − yᵦᵢ)², written as loops over the stored W and y. */
  static double loops(Quadratic.Instance q, double[] x) {
    int b = q.y().rows(), d = q.y().cols();
    double total = 0;
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += q.w().get(n * d + i, j) * x[n * d + j];
        total += Math.pow(s - q.y().get(n, i), 2);
      }
    }
    return total / b;
  }

  @Property(tries = 30)
  void lossEqualsTheMeanOverTheBatchOfSquaredResidualsComputedWithLoops(@ForAll long seed) {
    for (Quadratic p : new Quadratic[] {new Quadratic(7, 4, 0.5, Quadratic.Distribution.UNIFORM),
        new Quadratic(3, 5, 1, Quadratic.Distribution.GAUSSIAN)}) {
      Quadratic.Instance q = p.sample(seed);
      Tensor x = Tensor.uniform(p.batch(), p.dim(), -2, 2, new java.util.SplittableRandom(seed));
      assertEquals(loops(q, x.toArray()), q.loss(Tree.of("x", x), 3).item(), 1e-10);
    }
  }

  @Test
  void defaultsFollowTheOriginalCode() {
    Quadratic.Instance q = Quadratic.defaults().sample(42);
    assertEquals("quadratic(batch=128, dim=10, init-std=0.01, dist=uniform)", Quadratic.defaults().name());
    assertEquals("1280×10", q.w().shape());
    assertEquals("128×10", q.init().tensor("x").shape());
    double[] w = q.w().toArray();
    double min = 1, max = 0, mean = 0;
    for (double v : w) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      mean += v / w.length;
    }
    assertTrue(min >= 0 && max < 1 && Math.abs(mean - 0.5) < 0.02, "W ~ U[0, 1)");
    double std = Math.sqrt(q.init().tensor("x").sumSquares().item() / 1280);
    assertEquals(0.01, std, 0.001, "x₀ ~ N(0, 0.01²)");
    double gaussianMean = Quadratic.gaussian().sample(42).w().mean().item();
    assertEquals(0, gaussianMean, 0.1, "the Gaussian variant's W has mean 0");
  }

  @Property(tries = 10)
  void conditionedHessiansHaveConditionNumberKappaAndLargestSingularValueOne(@ForAll("kappas") double kappa,
      @ForAll long seed) {
    Quadratic p = new Quadratic(3, 4, 0.01, Quadratic.Distribution.GAUSSIAN, kappa);
    Quadratic.Instance q = p.sample(seed);
    for (int b = 0; b < 3; b++) {
      var w = new org.ejml.data.DMatrixRMaj(4, 4, true, java.util.Arrays.copyOfRange(q.w().toArray(), 16 * b, 16 * b + 16));
      double[] s = org.ejml.dense.row.SingularOps_DDRM.singularValues(w);
      java.util.Arrays.sort(s);
      assertEquals(1, s[3], 1e-12);
      assertEquals(kappa, Math.pow(s[3] / s[0], 2), 1e-9 * kappa);
    }
    assertTrue(p.name().endsWith("conditioning=" + kappa + ")"), p::name);
    assertThrows(IllegalArgumentException.class, () -> new Quadratic(3, 4, 0.01, Quadratic.Distribution.GAUSSIAN, 0.5));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Double> kappas() {
    return net.jqwik.api.Arbitraries.of(1.0, 10.0, 1e3, 1e6);
  }

  @Test
  void gradientMatchesCentralDifferences() {
    for (Quadratic.Distribution d : Quadratic.Distribution.values()) {
      Quadratic.Instance q = new Quadratic(4, 3, 1, d).sample(5);
      TestData.assertGradientMatches(t -> q.loss(t, 0), q.init(), 1e-7);
    }
  }

  @Property(tries = 10)
  void sameSeedGivesTheSameTaskAndOtherSeedsOtherTasks(@ForAll long seed) {
    Quadratic p = new Quadratic(5, 3, 0.01, Quadratic.Distribution.UNIFORM);
    Quadratic.Instance a = p.sample(seed), b = p.sample(seed), c = p.sample(seed + 1);
    assertTrue(a.w().allClose(b.w(), 0, 0) && a.y().allClose(b.y(), 0, 0) && a.x0().allClose(b.x0(), 0, 0));
    assertEquals(a.loss(a.init(), 0).item(), b.loss(b.init(), 9).item());
    assertFalse(a.w().allClose(c.w(), 0, 0));
  }

  @Test
  void gradientDescentDrivesTheLossDown() {
    Quadratic.Instance q = Quadratic.defaults().sample(3);
    double before = q.loss(q.init(), 0).item();
    // the loss is a mean over 128 functions, so each one's gradient is scaled by 1/128: steps are large
    Tree end = TestData.descend(q, 1.0, 200);
    double after = q.loss(end, 200).item();
    assertTrue(after < 0.1 * before, () -> before + " → " + after);
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Quadratic(0, 10, 0.01, Quadratic.Distribution.UNIFORM));
    assertThrows(IllegalArgumentException.class, () -> new Quadratic(1, 10, -1, Quadratic.Distribution.UNIFORM));
  }
}
