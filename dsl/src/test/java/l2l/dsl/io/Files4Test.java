package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;

/** Small optimizer files for tests, and exact comparison. */
final class Files4Test {
  private Files4Test() {}

  static final LstmConfig SMALL = LstmConfig.mnist().withHidden(3, 2).withPreprocess(Preprocess.logAndSign(5));

  static OptimizerFile.Training training() {
    return new OptimizerFile.Training("quadratic:batch=8,dim=5", "quadratic(batch=8, dim=5, init-std=0.01, dist=uniform)",
        20, 5, "first-order", "adam:lr=0.001", 12, 7, 10, 0.125, 3, "2025-01-02T03:04:05Z", "test");
  }

  /** φ of the architecture with awkward doubles: tiny, huge, negative zero, subnormal. */
  static Tree phi(LstmConfig c, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] awkward = {-0.0, Double.MIN_VALUE, 1e-300, -1.7976931348623157e308, 0.1, 1.0 / 3, 123456789.123456789};
    return CoordinatewiseLstm.of(c).init(seed).map(t -> {
      double[] v = t.toArray();
      for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(4) == 0 ? awkward[rng.nextInt(awkward.length)] : rng.nextGaussian();
      return Tensor.fromRowMajor(t.rows(), t.cols(), v);
    });
  }

  static OptimizerFile small(long seed) {
    return new OptimizerFile(SMALL, phi(SMALL, seed), training());
  }

  /** Equal structure and the same bits in every leaf. */
  static void assertSameBits(Tree a, Tree b) {
    assertEquals(a.paths(), b.paths());
    assertEquals(a.toString(), b.toString());
    for (int i = 0; i < a.leafCount(); i++) {
      double[] x = a.leaves().get(i).toArray(), y = b.leaves().get(i).toArray();
      long[] bx = new long[x.length], by = new long[y.length];
      for (int k = 0; k < x.length; k++) bx[k] = Double.doubleToRawLongBits(x[k]);
      for (int k = 0; k < y.length; k++) by[k] = Double.doubleToRawLongBits(y[k]);
      assertArrayEquals(bx, by, "leaf " + a.paths().get(i));
    }
  }

  static boolean sameBits(Tree a, Tree b) {
    try {
      assertSameBits(a, b);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  static boolean identical(OptimizerFile a, OptimizerFile b) {
    return a.architecture().equals(b.architecture()) && a.training().equals(b.training()) && sameBits(a.phi(), b.phi());
  }
}
