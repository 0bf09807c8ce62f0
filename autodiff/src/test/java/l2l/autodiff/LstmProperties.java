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

/** The fused LSTM cell and layer against the same computations written with ordinary tensor ops. */
class LstmProperties {

  /** The cell in ordinary ops, written here independently of {@link Lstm#cellDefinition}: [h'; c']. */
  static Tensor composedCell(Tensor gates, Tensor bias, Tensor c, double forgetBias) {
    int h = c.rows();
    Tensor p = gates.add(bias.reshape(4 * h, 1));
    Tensor i = p.sliceRows(0, h).sigmoid();
    Tensor j = p.sliceRows(h, 2 * h).tanh();
    Tensor f = p.sliceRows(2 * h, 3 * h).add(forgetBias).sigmoid();
    Tensor o = p.sliceRows(3 * h, 4 * h).sigmoid();
    Tensor c2 = f.mul(c).add(i.mul(j));
    return Tensor.concatRows(o.mul(c2.tanh()), c2);
  }

  /** The layer in ordinary ops: the cell of wᵀ·[x; h] with the state's c. */
  static Tensor composedLayer(Tensor x, Tensor hc, Tensor w, Tensor bias, double forgetBias) {
    int h = hc.rows() / 2;
    Tensor z = Tensor.concatRows(x, hc.sliceRows(0, h));
    return composedCell(w.t().matmul(z), bias, hc.sliceRows(h, 2 * h), forgetBias);
  }

  private static Tree cellInputs(SplittableRandom r, int n, int h, double spread) {
    return Tree.of("gates", Tensor.uniform(4 * h, n, -spread, spread, r), "bias", Tensor.uniform(1, 4 * h, -1, 1, r))
        .with("c", Tensor.uniform(h, n, -2, 2, r));
  }

  private static Tree layerInputs(SplittableRandom r, int n, int in, int h) {
    return Tree.of("x", Tensor.uniform(in, n, -2, 2, r), "hc", Tensor.uniform(2 * h, n, -1, 1, r))
        .with("w", Tensor.uniform(in + h, 4 * h, -1, 1, r)).with("b", Tensor.uniform(1, 4 * h, -1, 1, r));
  }

  /** A smooth, non-linear read-out of a cell's output, so that second derivatives involve every path. */
  private static Function<Tree, Tensor> cellReadOut(boolean fused, Tensor weights, double forgetBias) {
    return t -> readOut(fused ? Lstm.cell(t.tensor("gates"), t.tensor("bias"), t.tensor("c"), forgetBias)
        : composedCell(t.tensor("gates"), t.tensor("bias"), t.tensor("c"), forgetBias), weights);
  }

  private static Function<Tree, Tensor> layerReadOut(boolean fused, Tensor weights, double forgetBias) {
    return t -> readOut(fused ? Lstm.layer(t.tensor("x"), t.tensor("hc"), t.tensor("w"), t.tensor("b"), forgetBias)
        : composedLayer(t.tensor("x"), t.tensor("hc"), t.tensor("w"), t.tensor("b"), forgetBias), weights);
  }

  private static Tensor readOut(Tensor y, Tensor weights) {
    return y.mul(weights).sum().add(y.square().sum().mul(0.3));
  }

  @Property(tries = 60)
  void fusedCellEqualsTheCellInOrdinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 5) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    // pre-activations up to ±30 reach the saturated ends of σ and tanh
    Tree in = cellInputs(r, n, h, 30);
    double forgetBias = r.nextDouble(-1, 2);
    Tensor fused = Lstm.cell(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), forgetBias);
    Tensor composed = composedCell(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), forgetBias);
    assertTrue(GradCheck.maxError(fused, composed) < 1e-14, "max error " + GradCheck.maxError(fused, composed));
    Tensor definition = Lstm.cellDefinition(in.tensor("gates"), in.tensor("bias"), in.tensor("c"), forgetBias);
    assertTrue(GradCheck.maxError(definition, composed) < 1e-15);
    assertFalse(fused.isTraced());
  }

  @Property(tries = 60)
  void fusedCellGradientEqualsTheGradientOfTheOrdinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 5) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree in = cellInputs(r, n, h, 4);
    Tensor weights = Tensor.uniform(2 * h, n, -1, 1, r);
    Tree fused = Autodiff.gradTree(cellReadOut(true, weights, 1.0)).apply(in);
    Tree composed = Autodiff.gradTree(cellReadOut(false, weights, 1.0)).apply(in);
    assertTrue(GradCheck.maxError(fused, composed) < 1e-12, "max error " + GradCheck.maxError(fused, composed));
  }

  @Property(tries = 60)
  void fusedLayerAndItsGradientEqualTheLayerInOrdinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 4) int in, @ForAll @IntRange(min = 1, max = 5) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree x = layerInputs(r, n, in, h);
    Tensor weights = Tensor.uniform(2 * h, n, -1, 1, r);
    Tensor fused = Lstm.layer(x.tensor("x"), x.tensor("hc"), x.tensor("w"), x.tensor("b"), 0.5);
    Tensor composed = composedLayer(x.tensor("x"), x.tensor("hc"), x.tensor("w"), x.tensor("b"), 0.5);
    assertTrue(GradCheck.maxError(fused, composed) < 1e-13, "values: max error " + GradCheck.maxError(fused, composed));
    Tree gf = Autodiff.gradTree(layerReadOut(true, weights, 0.5)).apply(x);
    Tree gc = Autodiff.gradTree(layerReadOut(false, weights, 0.5)).apply(x);
    assertTrue(GradCheck.maxError(gf, gc) < 1e-11, "gradients: max error " + GradCheck.maxError(gf, gc));
  }

  @Property(tries = 40)
  void aLayerReadingTheFirstRowsOfItsInputEqualsOneGivenThoseRows(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 4) int in,
      @ForAll @IntRange(min = 1, max = 3) int extra, @ForAll @IntRange(min = 1, max = 4) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree t = layerInputs(r, n, in, h).with("below", Tensor.uniform(extra, n, -1, 1, r));
    Tensor weights = Tensor.uniform(2 * h, n, -1, 1, r);
    Function<Tree, Tensor> taller = p -> readOut(Lstm.layer(Tensor.concatRows(p.tensor("x"), p.tensor("below")), in,
        p.tensor("hc"), p.tensor("w"), p.tensor("b"), 1.0), weights);
    Function<Tree, Tensor> exact = p -> readOut(Lstm.layer(p.tensor("x"), p.tensor("hc"), p.tensor("w"), p.tensor("b"),
        1.0), weights);
    assertEquals(exact.apply(t).item(), taller.apply(t).item(), 0.0);
    Tree g = Autodiff.gradTree(taller).apply(t);
    assertTrue(GradCheck.maxError(g.without("below"), Autodiff.gradTree(exact).apply(t.without("below"))) == 0);
    assertEquals(0.0, g.tensor("below").maxAbs(), 0.0, "rows the layer does not read get no gradient");
  }

  @Property(tries = 40)
  void fusedGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n,
      @ForAll @IntRange(min = 1, max = 3) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree cell = cellInputs(r, n, h, 3);
    Function<Tree, Tensor> f = cellReadOut(true, Tensor.uniform(2 * h, n, -1, 1, r), 1.0);
    // central differences with step 1e-5 on values of order 1: error ~1e-10
    double err = GradCheck.maxError(Autodiff.gradTree(f).apply(cell), GradCheck.numericGrad(f, cell, 1e-5));
    assertTrue(err < 1e-7, "cell: max error " + err);
    Tree layer = layerInputs(r, n, 2, h);
    Function<Tree, Tensor> g = layerReadOut(true, Tensor.uniform(2 * h, n, -1, 1, r), 1.0);
    err = GradCheck.maxError(Autodiff.gradTree(g).apply(layer), GradCheck.numericGrad(g, layer, 1e-5));
    assertTrue(err < 1e-6, "layer: max error " + err);
  }

  @Property(tries = 30)
  void secondDerivativesOfTheFusedOpsEqualThoseOfTheOrdinaryOps(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 3) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor weights = Tensor.uniform(2 * h, n, -1, 1, r);
    Tree cell = cellInputs(r, n, h, 3);
    Tree layer = layerInputs(r, n, 2, h);
    for (boolean isLayer : new boolean[] {false, true}) {
      Tree in = isLayer ? layer : cell;
      Tree v = in.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
      // Hessian-vector products: the gradient of ⟨∇f, v⟩
      Function<Boolean, Tree> hvp = fused -> Autodiff.gradTree((Tree t) -> Autodiff.gradTree(
          isLayer ? layerReadOut(fused, weights, 0.5) : cellReadOut(fused, weights, 0.5)).apply(t).dot(v)).apply(in);
      Tree a = hvp.apply(true), b = hvp.apply(false);
      assertTrue(GradCheck.maxError(a, b) < 1e-10, (isLayer ? "layer" : "cell") + ": max error " + GradCheck.maxError(a, b));
    }
  }

  @Example
  void shapesThatDoNotFitAreRefusedNamingTheInputAndWhatWasExpected() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> Lstm.cell(Tensor.zeros(10, 4), Tensor.zeros(1, 12), Tensor.zeros(3, 4), 1.0));
    assertTrue(e.getMessage().contains("12×4") && e.getMessage().contains("10×4"), e.getMessage());
    ShapeException eb = assertThrows(ShapeException.class,
        () -> Lstm.cell(Tensor.zeros(12, 4), Tensor.zeros(4, 12), Tensor.zeros(3, 4), 1.0));
    assertTrue(eb.getMessage().contains("bias"), eb.getMessage());
    ShapeException ew = assertThrows(ShapeException.class,
        () -> Lstm.layer(Tensor.zeros(2, 4), Tensor.zeros(6, 4), Tensor.zeros(4, 12), Tensor.zeros(1, 12), 1.0));
    assertTrue(ew.getMessage().contains("5×12") && ew.getMessage().contains("4×12"), ew.getMessage());
  }

  @Example
  void saturatedPreActivationsGiveFiniteValuesAndGradients() {
    Tensor gates = Tensor.of(new double[][] {{800, -800}, {-800, 800}, {800, -800}, {-800, 800}});
    Tree in = Tree.of("gates", gates, "bias", Tensor.zeros(1, 4)).with("c", Tensor.row(1, -1));
    Tree g = Autodiff.gradTree(cellReadOut(true, Tensor.ones(2, 2), 1.0)).apply(in);
    assertTrue(g.leaves().forAll(Tensor::allFinite));
    Tensor y = Lstm.cell(gates, Tensor.zeros(1, 4), in.tensor("c"), 1.0);
    assertTrue(y.allFinite());
    // column 0: i = f = 1, j = −1, o = 0, c = 1, so c' = 1·1 + 1·(−1) = 0 and h' = 0
    assertEquals(0.0, y.get(1, 0), 0.0);
    assertEquals(0.0, y.get(0, 0), 0.0);
  }

  private static Autodiff.Pullback layerPullback(Tree in, double forgetBias) {
    return Autodiff.vjp(t -> Tree.leaf(Lstm.layer(t.tensor("x"), t.tensor("hc"), t.tensor("w"), t.tensor("b"),
        forgetBias)), in);
  }

  @Property(tries = 30)
  void aLastPullbackRecyclesBuffersWithoutChangingAnyCotangent(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 4) int h) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree[] in = new Tree[4];
    Tree[] ct = new Tree[4];
    for (int k = 0; k < 4; k++) {
      in[k] = layerInputs(r, n, 2, h);
      ct[k] = Tree.leaf(Tensor.uniform(2 * h, n, -1, 1, r));
    }
    // a diverged step: its buffers hold NaN when they are taken again
    in[0] = in[0].with("x", in[0].tensor("x").mul(Double.NaN));
    Tree[] expected = new Tree[4];
    for (int k = 0; k < 4; k++) expected[k] = layerPullback(in[k], 1.0).apply(ct[k]);
    // interleaved as an engine runs them: recorded ahead, applied last, their buffers taken by later forwards
    Autodiff.Pullback p0 = layerPullback(in[0], 1.0), p1 = layerPullback(in[1], 1.0);
    Tree[] got = new Tree[4];
    got[0] = p0.applyLast(ct[0]);
    Autodiff.Pullback p2 = layerPullback(in[2], 1.0);
    got[1] = p1.applyLast(ct[1]);
    Autodiff.Pullback p3 = layerPullback(in[3], 1.0);
    got[3] = p3.applyLast(ct[3]);
    got[2] = p2.applyLast(ct[2]);
    for (int k = 0; k < 4; k++) {
      double[] a = got[k].flatten().toArray(), e = expected[k].flatten().toArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(Double.doubleToLongBits(e[i]), Double.doubleToLongBits(a[i]), "pullback " + k + ", entry " + i);
      }
    }
    assertTrue(java.util.Arrays.equals(layerPullback(in[2], 1.0).value().tensor().toArray(),
        p2.value().tensor().toArray()), "a value changed after its buffers were recycled");
  }

  @Example
  void aPullbackCannotBeAppliedAfterItsLastApplication() {
    Tree in = layerInputs(new SplittableRandom(3), 5, 2, 3);
    Autodiff.Pullback p = layerPullback(in, 1.0);
    Tree ct = Tree.leaf(Tensor.ones(6, 5));
    p.apply(ct);
    p.applyLast(ct);
    assertThrows(IllegalStateException.class, () -> p.apply(ct));
  }
}
