package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.OpCases.OpCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every op's reverse-mode derivatives against central finite differences (step 1e-5), on
 * generated shapes (1 to 5 per axis, with broadcasting) and values inside each op's smooth domain.
 * Tolerance: entrywise error relative to max(1, |value|) below 1e-6 for first derivatives and
 * 1e-5 for second derivatives.
 */
class OpGradientProperties {
  static final double H = 1e-5;
  static final double FIRST_ORDER_TOLERANCE = 1e-6;
  static final double SECOND_ORDER_TOLERANCE = 1e-5;

  @Provide
  Arbitrary<OpCase> ops() {
    return Arbitraries.of(OpCases.all());
  }

  /** The op as a scalar function of its differentiable inputs: x ↦ Σ op(x) ⊙ w. */
  private static Function<Tree, Tensor> weighted(OpCase c, Tensor[] in, Tensor w) {
    return t -> {
      Tensor[] args = in.clone();
      for (int i = 0; i < args.length; i++) {
        if (!OpCases.isData(c, i)) args[i] = t.tensor("x" + i);
      }
      return c.op().apply(args).mul(w).sum();
    };
  }

  private static Tree differentiable(OpCase c, Tensor[] in) {
    Tree t = Tree.empty();
    for (int i = 0; i < in.length; i++) {
      if (!OpCases.isData(c, i)) t = t.with("x" + i, in[i]);
    }
    return t;
  }

  @Property(tries = 800)
  void gradientOfEveryOpMatchesCentralDifferences(@ForAll("ops") OpCase c, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor out = c.op().apply(in);
    Tensor w = Tensor.uniform(out.rows(), out.cols(), -1, 1, r);
    Function<Tree, Tensor> f = weighted(c, in, w);
    Tree x = differentiable(c, in);
    Tree analytic = Autodiff.gradTree(f).apply(x);
    Tree numeric = GradCheck.numericGrad(f, x, H);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < FIRST_ORDER_TOLERANCE, () -> c + ": error " + err + "\nanalytic " + analytic.leaves()
        + "\nnumeric " + numeric.leaves());
  }

  @Property(tries = 500)
  void hessianVectorProductOfEveryOpMatchesCentralDifferencesOfItsGradient(@ForAll("ops") OpCase c,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor out = c.op().apply(in);
    Tensor w = Tensor.uniform(out.rows(), out.cols(), -1, 1, r);
    Function<Tree, Tensor> f = weighted(c, in, w);
    Tree x = differentiable(c, in);
    Tree v = x.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Function<Tree, Tensor> directional = t -> Autodiff.gradTree(f).apply(t).dot(v);
    Tree analytic = Autodiff.gradTree(directional).apply(x);
    Tree numeric = GradCheck.numericGrad(directional, x, H);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < SECOND_ORDER_TOLERANCE, () -> c + ": error " + err + "\nanalytic " + analytic.leaves()
        + "\nnumeric " + numeric.leaves());
  }

  @Property(tries = 200)
  void untracedOpsComputeTheSameValuesAsTracedOnes(@ForAll("ops") OpCase c, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor plain = c.op().apply(in);
    Tensor[] traced = new Tensor[1];
    Autodiff.gradTree((Tree t) -> {
      traced[0] = c.op().apply(weightedInputs(c, in, t)).detach();
      return traced[0].sum();
    }).apply(differentiable(c, in));
    assertTrue(plain.allClose(traced[0], 0, 0), () -> c + ": " + plain + " vs " + traced[0]);
  }

  private static Tensor[] weightedInputs(OpCase c, Tensor[] in, Tree t) {
    Tensor[] args = in.clone();
    for (int i = 0; i < args.length; i++) {
      if (!OpCases.isData(c, i)) args[i] = t.tensor("x" + i);
    }
    return args;
  }
}
