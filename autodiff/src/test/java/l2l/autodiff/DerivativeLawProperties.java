package l2l.autodiff;

import static l2l.autodiff.Autodiff.grad;
import static l2l.autodiff.Autodiff.stopGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

/** Laws of nested and composed derivatives. */
class DerivativeLawProperties {

  @Example
  void nestedDerivativesDoNotConfuseTheirPerturbations() {
    // D(x ↦ x · D(y ↦ x + y)(1))(1) = 1; a tagless implementation gives 2.
    Function<Tensor, Tensor> outer = x -> x.mul(grad((Tensor y) -> x.add(y)).apply(Tensor.scalar(1)));
    assertEquals(1.0, grad(outer).apply(Tensor.scalar(1)).item(), 0.0);
  }

  @Property(tries = 50)
  void nestedDerivativeOfAProductOfClosuresIsExact(@ForAll @DoubleRange(min = -3, max = 3) double x0,
      @ForAll @DoubleRange(min = -3, max = 3) double y0) {
    // d/dx [x · d/dy (x·y)] = d/dx [x · x] = 2x, whatever y is.
    Function<Tensor, Tensor> f = x -> x.mul(grad((Tensor y) -> x.mul(y)).apply(Tensor.scalar(y0)));
    assertEquals(2 * x0, grad(f).apply(Tensor.scalar(x0)).item(), 1e-12);
  }

  @Property(tries = 50)
  void secondDerivativeOfAPolynomialIsExact(@ForAll @DoubleRange(min = -2, max = 2) double x0) {
    // f = x⁴ − 3x³ + x: f″ = 12x² − 18x.
    Function<Tensor, Tensor> f = x -> x.pow(4).sub(x.pow(3).mul(3)).add(x);
    double f2 = grad(grad(f)).apply(Tensor.scalar(x0)).item();
    assertEquals(12 * x0 * x0 - 18 * x0, f2, 1e-9);
    double f3 = grad(grad(grad(f))).apply(Tensor.scalar(x0)).item();
    assertEquals(24 * x0 - 18, f3, 1e-9);
  }

  @Property(tries = 60)
  void gradientIsLinear(@ForAll long seed, @ForAll @DoubleRange(min = -3, max = 3) double a,
      @ForAll @DoubleRange(min = -3, max = 3) double b) {
    SplittableRandom r = new SplittableRandom(seed);
    Function<Tensor, Tensor> f = CompositionGradientProperties.expression(r, 3).andThen(Tensor::sum);
    Function<Tensor, Tensor> g = CompositionGradientProperties.expression(r, 3).andThen(Tensor::sum);
    Tensor x = Tensor.uniform(3, 2, -1, 1, r);
    Tensor combined = grad((Tensor v) -> f.apply(v).mul(a).add(g.apply(v).mul(b))).apply(x);
    Tensor separate = grad(f).apply(x).mul(a).add(grad(g).apply(x).mul(b));
    assertTrue(GradCheck.maxError(combined, separate) < 1e-12, () -> combined + " vs " + separate);
  }

  @Property(tries = 50)
  void stopGradientCutsExactlyTheStoppedPath(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor x = Tensor.uniform(2, 3, -1, 1, r);
    // f(x) = Σ x ⊙ sg(x)²: only the first factor is differentiated, so ∇f = x².
    Tensor g = grad((Tensor v) -> v.mul(stopGradient(v).square()).sum()).apply(x);
    assertTrue(g.allClose(x.square(), 1e-14, 0), () -> g + " vs " + x.square());
    // without the stop, ∇f = 3x².
    Tensor full = grad((Tensor v) -> v.mul(v.square()).sum()).apply(x);
    assertTrue(full.allClose(x.square().mul(3), 1e-14, 1e-15));
  }

  @Property(tries = 30)
  void stoppedGradientsHaveZeroDerivativeAndTheirValueIsKept(@ForAll long seed) {
    Tensor x = Tensor.uniform(3, 3, -1, 1, new SplittableRandom(seed));
    Tensor[] seen = new Tensor[1];
    Tensor g = grad((Tensor v) -> {
      seen[0] = stopGradient(v.exp());
      return seen[0].sum();
    }).apply(x);
    assertEquals(0.0, g.maxAbs());
    assertTrue(seen[0].allClose(x.exp(), 0, 0));
  }

  @Property(tries = 30)
  void gradientOfAFunctionThatIgnoresItsArgumentIsZero(@ForAll long seed) {
    Tensor x = Tensor.uniform(2, 2, -1, 1, new SplittableRandom(seed));
    Tensor c = Tensor.scalar(3);
    assertEquals(0.0, grad((Tensor v) -> c.square()).apply(x).maxAbs());
  }

  @Example
  void gradientOfANonScalarFunctionIsAClearError() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(ShapeException.class,
        () -> grad((Tensor v) -> v.mul(2)).apply(Tensor.zeros(2, 3)));
    assertTrue(e.getMessage().contains("1×1") && e.getMessage().contains("2×3"), e.getMessage());
  }

  @Example
  void vjpOfAVectorFunctionMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(7);
    Tensor x = Tensor.uniform(3, 2, -1, 1, r);
    Tensor ct = Tensor.uniform(2, 2, -1, 1, r);
    Tensor m = Tensor.uniform(3, 2, -1, 1, r);
    Function<Tensor, Tensor> f = v -> Tensor.matmul(v.tanh(), m, true, false);
    Tensor analytic = Autodiff.vjp(f, x, ct);
    Tensor numeric = GradCheck.numericVjp(f, x, ct, 1e-5);
    assertTrue(GradCheck.maxError(analytic, numeric) < 1e-8);
  }

  @Example
  void theSquareRootsSlopeAtZeroIsZeroSoAZeroMomentGivesNoNaN() {
    // x ↦ x / (√(x²) + 1): at x = 0 the chain rule meets √'s infinite slope times (x²)' = 0
    Function<Tensor, Tensor> f = v -> v.div(v.square().sqrt().add(1)).sum();
    Tensor x = Tensor.fromRowMajor(1, 3, new double[] {0, 0.5, -2});
    Tensor g = grad(f).apply(x);
    assertTrue(g.toArray()[0] == 1, "slope at 0: " + g);
    assertTrue(GradCheck.maxError(g.sliceCols(1, 3), GradCheck.numericGrad(f, x, 1e-6).sliceCols(1, 3)) < 1e-8);
    assertTrue(grad((Tensor v) -> v.sqrt().sum()).apply(Tensor.zeros(1, 2)).maxAbs() == 0);
  }

  @Example
  void untracedOpsRecordNoGraph() {
    Tensor a = Tensor.uniform(4, 4, -1, 1, new SplittableRandom(1));
    Tensor b = a.matmul(a).tanh().add(a).sum();
    assertTrue(!b.isTraced() && b.node == null);
  }

  @Example
  void aBackwardPassRecordsNoGraphWhenThereIsNoEnclosingLevel() {
    Tensor x = Tensor.uniform(3, 3, -1, 1, new SplittableRandom(2));
    Tensor g = grad((Tensor v) -> v.matmul(v).sigmoid().sum()).apply(x);
    assertTrue(g.node == null, "a first-order gradient must be an untraced tensor");
  }

  @Property(tries = 40)
  void finiteDifferencesResolveASharpBendAndStillCatchAWrongGradient(
      @ForAll @DoubleRange(min = 1e-5, max = 1e-3) @Scale(8) double g0, @ForAll @DoubleRange(min = 0.5, max = 2) double wrong) {
    // g / √(0.01 g² + 1e-8) (RMSprop's first step) bends on the scale 1e-3 with slopes near 1e4, where central
    // differences carry a truncation error a fixed tolerance would have to guess
    Function<Tree, Tensor> f = t -> t.tensor().div(t.tensor().mul(t.tensor()).mul(0.01).add(1e-8).sqrt()).sum();
    Tree x = Tree.leaf(Tensor.scalar(g0));
    Tree right = Autodiff.gradTree(f).apply(x);
    assertEquals(0.0, GradCheck.errorBeyondResolution(right, f, x, 1e-6, 1e-6));
    Tree off = Tree.leaf(right.tensor().mul(1 + wrong / 100));
    assertTrue(GradCheck.errorBeyondResolution(off, f, x, 1e-6, 1e-6) > 0, "a slope off by " + wrong + "% passed");
  }
}
