package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random compositions of ops (expression trees of depth up to 5 over a 3×2 input, mixing
 * elementwise functions, broadcasting arithmetic, matrix products, reductions and shape ops),
 * differentiated in reverse mode and checked against central differences (step 1e-5, tolerance
 * 1e-6 relative to max(1, |value|)). Every generated expression is smooth and bounded: inputs of
 * exp and log are first squashed by tanh or made positive by softplus.
 */
class CompositionGradientProperties {

  /** A random smooth expression of x (3×2) that returns a 3×2 tensor. */
  static Function<Tensor, Tensor> expression(SplittableRandom r, int depth) {
    if (depth == 0) {
      if (r.nextInt(4) == 0) {
        Tensor c = Tensor.uniform(3, 2, -1, 1, r);
        return x -> c;
      }
      return x -> x;
    }
    Function<Tensor, Tensor> a = expression(r, depth - 1);
    Function<Tensor, Tensor> b = expression(r, depth - 1);
    Tensor m = Tensor.uniform(2, 2, -1, 1, r);
    Tensor row = Tensor.uniform(1, 2, -1, 1, r);
    return switch (r.nextInt(16)) {
      case 0 -> x -> a.apply(x).add(b.apply(x));
      case 1 -> x -> a.apply(x).sub(b.apply(x)).mul(0.5);
      case 2 -> x -> a.apply(x).mul(b.apply(x));
      case 3 -> x -> a.apply(x).div(b.apply(x).square().add(1));
      case 4 -> x -> a.apply(x).tanh();
      case 5 -> x -> a.apply(x).sigmoid();
      case 6 -> x -> a.apply(x).tanh().exp();
      case 7 -> x -> a.apply(x).softplus().add(0.5).log();
      case 8 -> x -> a.apply(x).square().add(1).sqrt();
      case 9 -> x -> a.apply(x).matmul(m);
      case 10 -> x -> Tensor.matmul(a.apply(x), m, false, true).add(row);
      case 11 -> x -> a.apply(x).t().t().mul(b.apply(x).sum().tanh());
      case 12 -> x -> a.apply(x).sub(a.apply(x).rowMeans()).add(b.apply(x).colSums().tanh());
      case 13 -> x -> a.apply(x).sub(a.apply(x).logSumExpRows());
      case 14 -> x -> Tensor.concatCols(a.apply(x).sliceCols(1, 2), b.apply(x).sliceCols(0, 1));
      default -> x -> Tensor.concatRows(a.apply(x).sliceRows(0, 2), b.apply(x).sliceRows(2, 3)).reshape(2, 3).reshape(3, 2);
    };
  }

  @Property(tries = 250)
  void gradientOfRandomCompositionsMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int depth) {
    SplittableRandom r = new SplittableRandom(seed);
    Function<Tensor, Tensor> e = expression(r, depth);
    Tensor w = Tensor.uniform(3, 2, -1, 1, r);
    Function<Tensor, Tensor> f = x -> e.apply(x).mul(w).sum();
    Tensor x = Tensor.uniform(3, 2, -1.5, 1.5, r);
    Tensor analytic = Autodiff.grad(f).apply(x);
    Tensor numeric = GradCheck.numericGrad(f, x, 1e-5);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < 1e-6, () -> "error " + err + ": " + analytic + " vs " + numeric);
  }

  @Property(tries = 120)
  void hessianVectorProductsOfRandomCompositionsMatchCentralDifferencesOfGradients(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int depth) {
    SplittableRandom r = new SplittableRandom(seed);
    Function<Tensor, Tensor> e = expression(r, depth);
    Tensor w = Tensor.uniform(3, 2, -1, 1, r);
    Function<Tensor, Tensor> f = x -> e.apply(x).mul(w).sum();
    Tensor x = Tensor.uniform(3, 2, -1.5, 1.5, r);
    Tensor v = Tensor.uniform(3, 2, -1, 1, r);
    Tensor analytic = Autodiff.hessianVectorProduct(f, x, v);
    Tensor numeric = GradCheck.numericGrad((Tensor y) -> Autodiff.grad(f).apply(y).mul(v).sum(), x, 1e-5);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < 1e-5, () -> "error " + err + ": " + analytic + " vs " + numeric);
  }
}
