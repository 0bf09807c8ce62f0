package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fused LSTM cell against the same cell written with ordinary tensor ops. */
class LstmProperties {

  /** The cell in ordinary ops: [h' | c']. */
  static Tensor composedCell(Tensor gates, Tensor bias, Tensor c, double forgetBias) {
    int h = c.cols();
    Tensor p = gates.add(bias);
    Tensor i = p.sliceCols(0, h).sigmoid();
    Tensor j = p.sliceCols(h, 2 * h).tanh();
    Tensor f = p.sliceCols(2 * h, 3 * h).add(forgetBias).sigmoid();
    Tensor o = p.sliceCols(3 * h, 4 * h).sigmoid();
    Tensor c2 = f.mul(c).add(i.mul(j));
    return Tensor.concatCols(o.mul(c2.tanh()), c2);
  }

  private static Tree inputs(SplittableRandom r, int n, int h, double spread) {
    return Tree.of("gates", Tensor.uniform(n, 4 * h, -spread, spread, r), "bias", Tensor.uniform(1, 4 * h, -1, 1, r))
        .with("c", Tensor.uniform(n, h, -2, 2, r));
  }

  private static Function<Tree, Tensor> weighted(boolean fused, Tensor weights, double forgetBias) {
    return t -> {
      Tensor y = fused
          ? Lstm.cell(t.tensor("gates"), t.tensor("bias"), t.tensor("c"), forgetBias)
          : composedCell(t.tensor("gates"), t.tensor("bias"), t.tensor("c"), forgetBias);
      // a smooth, non-linear read-out so that second derivatives involve every path
      return y.mul(weights).sum().add(y.square().sum().mul(0.3));
    };
  }

  @Property(tries = 60)
  void fusedCellEqualsTheCellInOrdinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
      @ForAll @IntRange(min = 1, max = 5) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    // pre-activations up to ±30 reach the saturated ends of σ and tanh
    Tree in = inputs(r, n, h, 30);
    double forgetBias = r.nextDouble(-1, 2);
    Tensor fused = Lstm.cell(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), forgetBias);
    Tensor composed = composedCell(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), forgetBias);
    assertTrue(GradCheck.maxError(fused, composed) < 1e-14, "max error " + GradCheck.maxError(fused, composed));
    assertFalse(fused.isTraced());
  }

  @Property(tries = 60)
  void fusedGradientEqualsTheGradientOfTheOrdinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
      @ForAll @IntRange(min = 1, max = 5) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree in = inputs(r, n, h, 4);
    Tensor weights = Tensor.uniform(n, 2 * h, -1, 1, r);
    Tree fused = Autodiff.gradTree(weighted(true, weights, 1.0)).apply(in);
    Tree composed = Autodiff.gradTree(weighted(false, weights, 1.0)).apply(in);
    assertTrue(GradCheck.maxError(fused, composed) < 1e-12, "max error " + GradCheck.maxError(fused, composed));
  }

  @Property(tries = 40)
  void fusedGradientMatchesFiniteDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n,
      @ForAll @IntRange(min = 1, max = 3) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree in = inputs(r, n, h, 3);
    Function<Tree, Tensor> f = weighted(true, Tensor.uniform(n, 2 * h, -1, 1, r), 1.0);
    // central differences with step 1e-5 on values of order 1: error ~1e-10
    double err = GradCheck.maxError(Autodiff.gradTree(f).apply(in), GradCheck.numericGrad(f, in, 1e-5));
    assertTrue(err < 1e-7, "max error " + err);
  }

  @Property(tries = 30)
  void secondDerivativesOfTheFusedCellEqualThoseOfTheOrdinaryOps(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 3) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree in = inputs(r, n, h, 3);
    Tensor weights = Tensor.uniform(n, 2 * h, -1, 1, r);
    Tree v = in.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    // Hessian-vector products: the gradient of ⟨∇f, v⟩
    Function<Boolean, Tree> hvp = fused -> Autodiff.gradTree((Tree t) -> {
      Tree g = Autodiff.gradTree(weighted(fused, weights, 0.5)).apply(t);
      return g.zip(v, Tensor::mul).leaves().foldLeft(Tensor.scalar(0), (a, x) -> a.add(x.sum()));
    }).apply(in);
    Tree a = hvp.apply(true), b = hvp.apply(false);
    assertTrue(GradCheck.maxError(a, b) < 1e-11, "max error " + GradCheck.maxError(a, b));
  }

  @Property(tries = 40)
  void simdAndScalarCellLoopsGiveTheSameBits(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
      @ForAll @IntRange(min = 1, max = 13) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] g = Tensor.uniform(n, 4 * h, -50, 50, r).toArray(), bias = Tensor.uniform(1, 4 * h, -1, 1, r).toArray();
    double[] scale = new double[4 * h];
    for (int k = 0; k < 4 * h; k++) scale[k] = k / h == 1 ? -2 : -1;
    double[] c = Tensor.uniform(n, h, -3, 3, r).toArray(), ct = Tensor.uniform(n, 2 * h, -1, 1, r).toArray();
    CellLoops[] loops = {new ScalarCellLoops(), new VectorCellLoops()};
    double[][] acts = new double[2][n * 5 * h], y = new double[2][n * 2 * h];
    double[][] dg = new double[2][n * 4 * h], dc = new double[2][n * h];
    for (int m = 0; m < 2; m++) {
      double[] yScratch = new double[n * 2 * h];
      loops[m].forward(n, h, g, 0, bias, scale, c, 0, new double[5 * h], false, yScratch, 0, 2 * h, yScratch, h, 2 * h);
      loops[m].forward(n, h, g, 0, bias, scale, c, 0, acts[m], true, y[m], 0, 2 * h, y[m], h, 2 * h);
      assertTrue(java.util.Arrays.equals(yScratch, y[m]), "the output does not depend on keeping the activations");
      loops[m].backward(n, h, acts[m], c, ct, dg[m], dc[m]);
    }
    assertTrue(java.util.Arrays.equals(y[0], y[1]) && java.util.Arrays.equals(acts[0], acts[1]), "forward");
    assertTrue(java.util.Arrays.equals(dg[0], dg[1]) && java.util.Arrays.equals(dc[0], dc[1]), "backward");
  }

  @Example
  void stepComputesGatesFromInputAndHiddenState() {
    SplittableRandom r = new SplittableRandom(4);
    Tensor x = Tensor.uniform(5, 2, -1, 1, r), h = Tensor.uniform(5, 3, -1, 1, r), c = Tensor.uniform(5, 3, -1, 1, r);
    Tensor w = Tensor.uniform(5, 12, -1, 1, r), b = Tensor.uniform(1, 12, -1, 1, r);
    Lstm.State s = Lstm.step(x, h, c, w, b, 1.0);
    Tensor expected = composedCell(Tensor.concatCols(x, h).matmul(w), b, c, 1.0);
    assertTrue(GradCheck.maxError(s.h(), expected.sliceCols(0, 3)) < 1e-14);
    assertTrue(GradCheck.maxError(s.c(), expected.sliceCols(3, 6)) < 1e-14);
  }

  @Property(tries = 30)
  void cellOnArraysGivesTheValuesOfTheCellOp(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n,
      @ForAll @IntRange(min = 1, max = 11) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree in = inputs(r, n, h, 10);
    Tensor y = Lstm.cell(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), 0.7);
    // the arrays at offsets inside larger buffers
    double[] gates = new double[3 + n * 4 * h], c = new double[5 + n * h];
    in.tensor("gates").copyTo(gates, 3);
    in.tensor("c").copyTo(c, 5);
    double[] hOut = new double[2 + n * h], cOut = new double[1 + n * h];
    Lstm.cellRows(n, h, gates, 3, in.tensor("bias").toArray(), 0.7, c, 5, hOut, 2, cOut, 1);
    for (int row = 0; row < n; row++) {
      for (int u = 0; u < h; u++) {
        assertEquals(y.get(row, u), hOut[2 + row * h + u], 0.0);
        assertEquals(y.get(row, h + u), cOut[1 + row * h + u], 0.0);
      }
    }
  }

  @Example
  void shapesThatDoNotFitAreRefusedNamingTheInputAndWhatWasExpected() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> Lstm.cell(Tensor.zeros(4, 10), Tensor.zeros(1, 12), Tensor.zeros(4, 3), 1.0));
    assertTrue(e.getMessage().contains("4×12") && e.getMessage().contains("4×10"), e.getMessage());
    ShapeException er = assertThrows(ShapeException.class, () -> Lstm.cellRows(2, 3, new double[24], 1,
        new double[12], 1.0, new double[6], 0, new double[6], 0, new double[6], 0));
    assertTrue(er.getMessage().contains("gates") && er.getMessage().contains("24"), er.getMessage());
    ShapeException eb = assertThrows(ShapeException.class,
        () -> Lstm.cell(Tensor.zeros(4, 12), Tensor.zeros(4, 12), Tensor.zeros(4, 3), 1.0));
    assertTrue(eb.getMessage().contains("bias"), eb.getMessage());
  }

  @Example
  void saturatedPreActivationsGiveFiniteValuesAndGradients() {
    Tensor gates = Tensor.of(new double[][] {{800, -800, 800, -800}, {-800, 800, -800, 800}});
    Tree in = Tree.of("gates", gates, "bias", Tensor.zeros(1, 4)).with("c", Tensor.of(new double[][] {{1}, {-1}}));
    Tree g = Autodiff.gradTree(weighted(true, Tensor.ones(2, 2), 1.0)).apply(in);
    assertTrue(g.leaves().forAll(Tensor::allFinite));
    Tensor y = Lstm.cell(gates, Tensor.zeros(1, 4), in.tensor("c"), 1.0);
    assertTrue(y.allFinite());
    // row 0: i = f = 1, j = −1, o = 0, c = 1, so c' = 1·1 + 1·(−1) = 0 and h' = 0
    assertEquals(0.0, y.get(0, 1), 0.0);
    assertEquals(0.0, y.get(0, 0), 0.0);
  }
}
