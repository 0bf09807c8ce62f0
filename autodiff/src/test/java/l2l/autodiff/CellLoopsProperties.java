package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The LSTM cell's double-precision loops: accuracy, and the same bits from the SIMD and the scalar code. */
class CellLoopsProperties {

  @Property(tries = 2000)
  void expIsAccurateToTwoUlps(@ForAll @DoubleRange(min = -700, max = 700) double x) {
    double want = Math.exp(x);
    double got = ScalarCellLoops.exp(x);
    assertTrue(Math.abs(got - want) <= 2 * Math.ulp(want), () -> "exp(" + x + ") = " + got + ", want " + want);
  }

  @Example
  void sigmoidAndTanhSaturateExactly() {
    assertEquals(1.0, ScalarCellLoops.sigmoid(1e6));
    assertEquals(0.0, ScalarCellLoops.sigmoid(-1e6), 5e-18);
    assertEquals(1.0, ScalarCellLoops.tanh(50));
    assertEquals(-1.0, ScalarCellLoops.tanh(-50));
    assertEquals(0.0, ScalarCellLoops.tanh(0));
    assertEquals(Math.tanh(0.3), ScalarCellLoops.tanh(0.3), 3e-16);
  }

  @Example
  void theJvmUnderTestRunsTheSimdLoops() {
    // surefire starts the test JVM with --add-modules jdk.incubator.vector
    assertTrue(CellLoops.INSTANCE instanceof VectorCellLoops, CellLoops.INSTANCE.describe());
  }

  @Property(tries = 200)
  void simdAndScalarElementwiseLoopsGiveTheSameBits(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int n) {
    if (!(CellLoops.INSTANCE instanceof VectorCellLoops)) return;
    SplittableRandom r = new SplittableRandom(seed);
    double[] acts = new double[4 * n];
    for (int i = 0; i < acts.length; i++) acts[i] = (r.nextDouble() - 0.5) * (r.nextBoolean() ? 4 : 200);
    double[] cPrev = random(r, n), dh = random(r, n), dc = random(r, n);
    CellLoops[] impls = {CellLoops.INSTANCE, new ScalarCellLoops()};
    double[][] results = new double[2][];
    double[] dots = new double[2];
    for (int k = 0; k < 2; k++) {
      double[] a = acts.clone(), c = new double[n], tc = new double[n], h = new double[n];
      impls[k].gates(a, 0, n, 2 * n, 3 * n, 0.1, -0.2, 1.3, 0.4, cPrev, 0, c, 0, tc, 0, h, 0, n);
      double[] dcc = dc.clone(), dg = new double[4 * n];
      impls[k].gatesBackward(a, 0, n, 2 * n, 3 * n, cPrev, 0, tc, 0, dh, 0, dcc, 0, dg, n);
      double[] y = dh.clone();
      impls[k].axpy(n, 0.7, cPrev, 0, y, 0);
      results[k] = concat(a, c, tc, h, dcc, dg, y);
      dots[k] = impls[k].dot(n, cPrev, 0, dh, 0);
    }
    assertArrayEquals(results[1], results[0]);
    // reductions add in another order (lane by lane), so they agree only to rounding
    assertEquals(dots[1], dots[0], 1e-13);
  }

  private static double[] random(SplittableRandom r, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = r.nextDouble() * 2 - 1;
    return d;
  }

  private static double[] concat(double[]... parts) {
    int len = 0;
    for (double[] p : parts) len += p.length;
    double[] out = new double[len];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
