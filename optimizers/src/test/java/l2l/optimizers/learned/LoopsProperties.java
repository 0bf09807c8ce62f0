package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/** The single-precision LSTM loops: accuracy, and the same bits from the SIMD and the scalar code. */
class LoopsProperties {

  @Example
  void theJvmUnderTestRunsTheSimdLoops() {
    // surefire starts the test JVM with --add-modules jdk.incubator.vector
    assertTrue(Loops.INSTANCE instanceof VectorLoops, Loops.INSTANCE.describe());
  }

  @Property(tries = 2000)
  void float32ExpIsAccurateToTwoUlps(@ForAll @FloatRange(min = -80, max = 80) float x) {
    double want = Math.exp(x);
    float got = ScalarLoops.exp(x);
    assertTrue(Math.abs(got - want) <= 2 * Math.ulp((float) want), () -> "exp(" + x + ") = " + got + ", want " + want);
  }

  @Example
  void float32SigmoidAndTanhSaturateWithinSinglePrecision() {
    assertEquals(1f, ScalarLoops.sigmoid(1e6f));
    assertEquals(0f, ScalarLoops.sigmoid(-1e6f), 3e-9f);
    assertEquals(1f, ScalarLoops.tanh(50f));
    assertEquals(-1f, ScalarLoops.tanh(-50f));
    assertEquals(0f, ScalarLoops.tanh(0f));
    assertEquals(Math.tanh(0.3), ScalarLoops.tanh(0.3f), 1e-7);
  }

  @Property(tries = 200)
  void float32SimdAndScalarElementwiseLoopsGiveTheSameBits(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 70) int n) {
    if (!(Loops.INSTANCE instanceof VectorLoops)) return;
    SplittableRandom r = new SplittableRandom(seed);
    int hn = h * n;
    float[] acts = new float[4 * hn];
    for (int i = 0; i < acts.length; i++) acts[i] = (float) ((r.nextDouble() - 0.5) * (r.nextBoolean() ? 4 : 100));
    float[] cPrev = randomFloats(r, hn), dh = randomFloats(r, hn), dc = randomFloats(r, hn);
    Loops[] impls = {Loops.INSTANCE, new ScalarLoops()};
    float[][] results = new float[2][];
    float[] dots = new float[2];
    for (int k = 0; k < 2; k++) {
      Loops loops = impls[k];
      float[] a = acts.clone(), c = new float[hn], tc = new float[hn], hOut = new float[hn + 3];
      loops.exp(a, 0, 3 * hn, 20f, -1f);
      loops.exp(a, 3 * hn, hn, 10f, -2f);
      int mid = r.nextInt(hn + 1); // two ranges, as the chunked callers do
      loops.cell(a, hn, cPrev, c, tc, 0, mid);
      loops.cell(a, hn, cPrev, c, tc, mid, hn);
      loops.exp(tc, 0, hn, 10f, -2f);
      loops.hidden(a, hn, tc, hOut, 3, 0, mid);
      loops.hidden(a, hn, tc, hOut, 3, mid, hn);
      float[] dcc = dc.clone(), dg = new float[4 * hn];
      loops.gatesBackward(a, hn, cPrev, tc, dh, dcc, dg, 0, mid);
      loops.gatesBackward(a, hn, cPrev, tc, dh, dcc, dg, mid, hn);
      float[] y = dh.clone();
      loops.axpy(hn, 0.7f, cPrev, 0, y, 0);
      results[k] = concat(a, c, tc, hOut, dcc, dg, y);
      dots[k] = loops.dot(hn, cPrev, 0, dh, 0);
    }
    assertArrayEquals(results[1], results[0]);
    // reductions add in another order (lane by lane), so they agree only to rounding
    assertEquals(dots[1], dots[0], 1e-5f * hn);
  }

  @Property(tries = 200)
  void float32GatesMatchTheLstmFormulasWithinSinglePrecision(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] pre = new float[4 * n];
    for (int i = 0; i < pre.length; i++) pre[i] = (float) ((r.nextDouble() - 0.5) * 10);
    float[] cPrev = randomFloats(r, n), a = pre.clone(), c = new float[n], tc = new float[n], hOut = new float[n];
    Loops.INSTANCE.exp(a, 0, 3 * n, 20f, -1f);
    Loops.INSTANCE.exp(a, 3 * n, n, 10f, -2f);
    Loops.INSTANCE.cell(a, n, cPrev, c, tc, 0, n);
    Loops.INSTANCE.exp(tc, 0, n, 10f, -2f);
    Loops.INSTANCE.hidden(a, n, tc, hOut, 0, 0, n);
    for (int k = 0; k < n; k++) {
      double i = 1 / (1 + Math.exp(-pre[k])), f = 1 / (1 + Math.exp(-pre[n + k])), o = 1 / (1 + Math.exp(-pre[2 * n + k]));
      double j = Math.tanh(pre[3 * n + k]);
      double cn = f * cPrev[k] + i * j;
      assertEquals(i, a[k], 1e-6);
      assertEquals(f, a[n + k], 1e-6);
      assertEquals(o, a[2 * n + k], 1e-6);
      assertEquals(j, a[3 * n + k], 1e-6);
      assertEquals(cn, c[k], 1e-6);
      assertEquals(Math.tanh(cn), tc[k], 1e-6);
      assertEquals(o * Math.tanh(cn), hOut[k], 1e-6);
    }
  }

  private static float[] randomFloats(SplittableRandom r, int n) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
    return d;
  }

  private static float[] concat(float[]... parts) {
    int len = 0;
    for (float[] p : parts) len += p.length;
    float[] out = new float[len];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
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
