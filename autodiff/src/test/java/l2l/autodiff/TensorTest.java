package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Values, immutability and errors of tensors. */
class TensorTest {
  @Test
  void valuesOfOpsMatchDirectComputation() {
    Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
    Tensor b = Tensor.row(10, 20);
    assertArrayEquals(new double[] {11, 22, 13, 24}, a.add(b).toArray());
    assertArrayEquals(new double[] {7, 10, 15, 22}, a.matmul(a).toArray());
    assertArrayEquals(new double[] {10, 14, 14, 20}, Tensor.matmul(a, a, true, false).toArray());
    assertArrayEquals(new double[] {3, 7}, a.rowSums().toArray());
    assertArrayEquals(new double[] {4, 6}, a.colSums().toArray());
    assertEquals(2.5, a.mean().item());
    assertArrayEquals(new double[] {1, 3, 2, 4}, a.t().toArray());
    assertEquals(Math.log(Math.exp(1) + Math.exp(2)), a.logSumExpRows().get(0, 0), 1e-15);
  }

  @Test
  void batchedMatVecIsTheBlockwiseMatrixProduct() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    Tensor w = Tensor.uniform(3 * 2, 4, -1, 1, r);
    Tensor x = Tensor.uniform(3, 4, -1, 1, r);
    Tensor xt = Tensor.uniform(3, 2, -1, 1, r);
    Tensor y = Tensor.batchedMatVec(w, x, false);
    Tensor yt = Tensor.batchedMatVec(w, xt, true);
    for (int i = 0; i < 3; i++) {
      Tensor block = w.sliceRows(2 * i, 2 * i + 2);
      assertTrue(block.matmul(x.sliceRows(i, i + 1).t()).t().allClose(y.sliceRows(i, i + 1), 1e-15, 1e-15));
      assertTrue(xt.sliceRows(i, i + 1).matmul(block).allClose(yt.sliceRows(i, i + 1), 1e-15, 1e-15));
    }
    Tensor outer = Tensor.batchedOuter(xt, x);
    assertTrue(xt.sliceRows(1, 2).t().matmul(x.sliceRows(1, 2)).allClose(outer.sliceRows(2, 4), 0, 0));
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    Tensor logits = Tensor.of(new double[][] {{1000, 0, -1000}, {-1e5, 1e5, 0}});
    Tensor loss = logits.softmaxCrossEntropy(new int[] {0, 0});
    assertEquals(0.0, loss.get(0, 0), 1e-12);
    assertEquals(2e5, loss.get(1, 0), 1e-6);
    assertTrue(loss.allFinite());
  }

  @Test
  void softmaxCrossEntropyRejectsALabelOutOfRange() {
    Tensor logits = Tensor.zeros(2, 3);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> logits.softmaxCrossEntropy(new int[] {0, 3}));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("row 1"), e.getMessage());
  }

  @Test
  void nothingOutsideCanMutateATensor() {
    double[] src = {1, 2, 3};
    Tensor t = Tensor.row(src);
    src[0] = 100;
    t.toArray()[1] = 100;
    DMatrixRMaj m = t.toMatrix();
    m.set(0, 2, 100);
    assertArrayEquals(new double[] {1, 2, 3}, t.toArray());
    DMatrixRMaj e = new DMatrixRMaj(1, 1, true, 5);
    Tensor u = Tensor.of(e);
    e.set(0, 0, 6);
    assertEquals(5.0, u.item());
  }

  @Test
  void aShapeMismatchNamesTheOpAndBothShapes() {
    Tensor a = Tensor.zeros(2, 3);
    Tensor b = Tensor.zeros(4, 5);
    ShapeException mm = assertThrows(ShapeException.class, () -> a.matmul(b));
    assertTrue(mm.getMessage().startsWith("matmul") && mm.getMessage().contains("2×3") && mm.getMessage().contains("4×5"),
        mm.getMessage());
    ShapeException add = assertThrows(ShapeException.class, () -> a.add(b));
    assertTrue(add.getMessage().startsWith("add") && add.getMessage().contains("2×3") && add.getMessage().contains("4×5"),
        add.getMessage());
    ShapeException cat = assertThrows(ShapeException.class, () -> Tensor.concatRows(a, b));
    assertTrue(cat.getMessage().startsWith("concatRows") && cat.getMessage().contains("4×5"), cat.getMessage());
    ShapeException rs = assertThrows(ShapeException.class, () -> a.reshape(4, 2));
    assertTrue(rs.getMessage().startsWith("reshape") && rs.getMessage().contains("4×2"), rs.getMessage());
  }

  @Test
  void whereNeverMixesInfinitiesFromTheUnselectedSide() {
    Tensor mask = Tensor.row(1, 0);
    Tensor r = Tensor.where(mask, Tensor.row(1, Double.POSITIVE_INFINITY), Tensor.row(Double.NaN, 2));
    assertArrayEquals(new double[] {1, 2}, r.toArray());
  }

  @Test
  void sameSeedGivesTheSameRandomTensor() {
    Tensor a = Tensor.normal(3, 4, 0, 1, new java.util.SplittableRandom(42));
    Tensor b = Tensor.normal(3, 4, 0, 1, new java.util.SplittableRandom(42));
    assertArrayEquals(a.toArray(), b.toArray());
  }

  @Test
  void gaussianDrawsHaveUnitVariance() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    double s = 0, s2 = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double g = Tensor.gaussian(r);
      s += g;
      s2 += g * g;
    }
    assertEquals(0.0, s / n, 0.01);
    assertEquals(1.0, s2 / n, 0.01);
  }
}
