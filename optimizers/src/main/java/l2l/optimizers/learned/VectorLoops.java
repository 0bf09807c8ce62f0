package l2l.optimizers.learned;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import l2l.autodiff.VectorExp;

/**
 * {@link Loops} with the JDK's vector API: exp runs as a SIMD intrinsic, several lanes at a time.
 * Loaded only when the module {@code jdk.incubator.vector} is present. The tails shorter than a
 * vector use the scalar formulas.
 */
final class VectorLoops implements Loops {
  private static final VectorSpecies<Double> S = VectorExp.SPECIES;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  static VectorLoops create() {
    VectorLoops v = new VectorLoops();
    double[] probe = {0.5, -0.25, 0.125, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    v.sum(probe.length, probe, 0);
    return v;
  }

  @Override
  public String describe() {
    return "SIMD (vector API, " + S.length() + " double / " + F.length() + " float lanes)";
  }

  private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
  private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);

  /** a[off..off+n) = exp(scale · clamp(a + bias, lo, hi)), in place. */
  private static void expInPlace(double[] a, int off, int n, double bias, double lo, double hi, double scale) {
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      VectorExp.exp(DoubleVector.fromArray(S, a, off + r).add(bias).max(lo).min(hi).mul(scale)).intoArray(a, off + r);
    }
    for (; r < n; r++) a[off + r] = ScalarLoops.exp(scale * Math.max(lo, Math.min(hi, a[off + r] + bias)));
  }

  /**
   * The same sequence of operations as {@link ScalarLoops#gates}, element by element, in three
   * small passes (small loop bodies keep the JIT's inlining, and so its SIMD code, intact).
   */
  @Override
  public void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, double[] c, double[] tc, double[] h, int off, int n) {
    expInPlace(acts, iOff, n, bi, -40.0, 40.0, -1.0);
    expInPlace(acts, jOff, n, bj, -20.0, 20.0, -2.0);
    expInPlace(acts, fOff, n, bf, -40.0, 40.0, -1.0);
    expInPlace(acts, oOff, n, bo, -40.0, 40.0, -1.0);
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector di = DoubleVector.fromArray(S, acts, iOff + r).add(1.0);
      DoubleVector dj = DoubleVector.fromArray(S, acts, jOff + r).add(1.0);
      DoubleVector df = DoubleVector.fromArray(S, acts, fOff + r).add(1.0);
      DoubleVector dO = DoubleVector.fromArray(S, acts, oOff + r).add(1.0);
      DoubleVector p1 = di.mul(dj);
      DoubleVector p2 = p1.mul(df);
      DoubleVector inv = ONE.div(p2.mul(dO));
      DoubleVector o = inv.mul(p2);
      inv = inv.mul(dO);
      DoubleVector f = inv.mul(p1);
      inv = inv.mul(df);
      DoubleVector i = inv.mul(dj);
      DoubleVector j = inv.mul(di).mul(2.0).sub(1.0);
      i.intoArray(acts, iOff + r);
      j.intoArray(acts, jOff + r);
      f.intoArray(acts, fOff + r);
      o.intoArray(acts, oOff + r);
      f.mul(DoubleVector.fromArray(S, cPrev, off + r)).add(i.mul(j)).intoArray(c, off + r);
    }
    for (; r < n; r++) {
      double di = 1.0 + acts[iOff + r], dj = 1.0 + acts[jOff + r], df = 1.0 + acts[fOff + r], dO = 1.0 + acts[oOff + r];
      double p1 = di * dj, p2 = p1 * df, p3 = p2 * dO;
      double inv = 1.0 / p3;
      double o = inv * p2;
      inv = inv * dO;
      double f = inv * p1;
      inv = inv * df;
      double i = inv * dj;
      double j = 2.0 * (inv * di) - 1.0;
      acts[iOff + r] = i;
      acts[jOff + r] = j;
      acts[fOff + r] = f;
      acts[oOff + r] = o;
      c[off + r] = f * cPrev[off + r] + i * j;
    }
    System.arraycopy(c, off, tc, off, n);
    expInPlace(tc, off, n, 0.0, -20.0, 20.0, -2.0);
    r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector t = TWO.div(DoubleVector.fromArray(S, tc, off + r).add(1.0)).sub(1.0);
      t.intoArray(tc, off + r);
      DoubleVector.fromArray(S, acts, oOff + r).mul(t).intoArray(h, off + r);
    }
    for (; r < n; r++) {
      double t = 2.0 / (1.0 + tc[off + r]) - 1.0;
      tc[off + r] = t;
      h[off + r] = acts[oOff + r] * t;
    }
  }

  @Override
  public void gatesBackward(double[] acts, int iOff, int jOff, int fOff, int oOff, double[] cPrev, double[] tc,
      double[] dh, double[] dc, int off, double[] dGates, int n) {
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector i = DoubleVector.fromArray(S, acts, iOff + r);
      DoubleVector j = DoubleVector.fromArray(S, acts, jOff + r);
      DoubleVector f = DoubleVector.fromArray(S, acts, fOff + r);
      DoubleVector o = DoubleVector.fromArray(S, acts, oOff + r);
      DoubleVector t = DoubleVector.fromArray(S, tc, off + r);
      DoubleVector dhv = DoubleVector.fromArray(S, dh, off + r);
      DoubleVector one = t.broadcast(1.0);
      DoubleVector dcv = DoubleVector.fromArray(S, dc, off + r).add(dhv.mul(o).mul(one.sub(t.mul(t))));
      dcv.mul(j).mul(i).mul(one.sub(i)).intoArray(dGates, iOff + r);
      dcv.mul(i).mul(one.sub(j.mul(j))).intoArray(dGates, jOff + r);
      dcv.mul(DoubleVector.fromArray(S, cPrev, off + r)).mul(f).mul(one.sub(f)).intoArray(dGates, fOff + r);
      dhv.mul(t).mul(o).mul(one.sub(o)).intoArray(dGates, oOff + r);
      dcv.mul(f).intoArray(dc, off + r);
    }
    if (r < n) {
      new ScalarLoops().gatesBackward(acts, iOff + r, jOff + r, fOff + r, oOff + r, cPrev, tc, dh, dc, off + r, dGates,
          n - r);
    }
  }

  /** The sum of the lanes, left to right (reduceLanes may change its order between compiled and interpreted code). */
  private static double lanesInOrder(DoubleVector v) {
    double[] lanes = v.toArray();
    double s = 0;
    for (double d : lanes) s += d;
    return s;
  }

  @Override
  public void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff) {
    int i = 0;
    DoubleVector va = DoubleVector.broadcast(S, a);
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    int i = 0;
    DoubleVector acc = DoubleVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      acc = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), acc);
    }
    double s = lanesInOrder(acc);
    for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
    return s;
  }

  @Override
  public double sum(int n, double[] x, int off) {
    int i = 0;
    DoubleVector acc = DoubleVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += S.length()) acc = acc.add(DoubleVector.fromArray(S, x, off + i));
    double s = lanesInOrder(acc);
    for (; i < n; i++) s += x[off + i];
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Single precision: the same operations as ScalarLoops' float methods. Each method holds at most
  // one inlined exp, so that the JIT's inlining budget covers all of its vector operations (past
  // the budget, vector operations fall back to slow boxed code).

  private static final ScalarLoops SCALAR = new ScalarLoops();
  private static final FloatVector ONE_F = FloatVector.broadcast(F, 1f);
  private static final FloatVector TWO_F = FloatVector.broadcast(F, 2f);
  private static final FloatVector LOG2E_V = FloatVector.broadcast(F, ScalarLoops.LOG2E_F);
  private static final FloatVector SHIFT_V = FloatVector.broadcast(F, ScalarLoops.SHIFT_F);
  private static final FloatVector Q0 = FloatVector.broadcast(F, ScalarLoops.POLY_F[0]);
  private static final FloatVector Q1 = FloatVector.broadcast(F, ScalarLoops.POLY_F[1]);
  private static final FloatVector Q2 = FloatVector.broadcast(F, ScalarLoops.POLY_F[2]);
  private static final FloatVector Q3 = FloatVector.broadcast(F, ScalarLoops.POLY_F[3]);
  private static final FloatVector Q4 = FloatVector.broadcast(F, ScalarLoops.POLY_F[4]);
  private static final FloatVector MINUS_LN2_HI_F = FloatVector.broadcast(F, -ScalarLoops.LN2_HI_F);
  private static final FloatVector MINUS_LN2_LO_F = FloatVector.broadcast(F, -ScalarLoops.LN2_LO_F);

  /** {@link ScalarLoops#exp(float)} lane by lane, written out so that the JIT inlines it whole. */
  static FloatVector exp(FloatVector x) {
    FloatVector t = x.fma(LOG2E_V, SHIFT_V);
    FloatVector k = t.sub(ScalarLoops.SHIFT_F);
    FloatVector r = k.fma(MINUS_LN2_HI_F, x);
    r = k.fma(MINUS_LN2_LO_F, r);
    FloatVector p = Q0.fma(r, Q1);
    p = p.fma(r, Q2);
    p = p.fma(r, Q3);
    p = p.fma(r, Q4);
    p = p.fma(r, ONE_F);
    p = p.fma(r, ONE_F);
    IntVector bits = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }

  @Override
  public void exp(float[] a, int off, int len, float bound, float scale) {
    int r = 0;
    for (int end = F.loopBound(len); r < end; r += F.length()) {
      exp(FloatVector.fromArray(F, a, off + r).max(-bound).min(bound).mul(scale)).intoArray(a, off + r);
    }
    for (r += off; r < off + len; r++) a[r] = ScalarLoops.exp(scale * Math.max(-bound, Math.min(bound, a[r])));
  }

  @Override
  public void cell(float[] acts, int hn, float[] cPrev, float[] c, float[] tc, int from, int to) {
    int r = from;
    for (int end = from + F.loopBound(to - from); r < end; r += F.length()) {
      FloatVector di = FloatVector.fromArray(F, acts, r).add(1f);
      FloatVector df = FloatVector.fromArray(F, acts, hn + r).add(1f);
      FloatVector dO = FloatVector.fromArray(F, acts, 2 * hn + r).add(1f);
      FloatVector dj = FloatVector.fromArray(F, acts, 3 * hn + r).add(1f);
      FloatVector p1 = di.mul(dj);
      FloatVector p2 = p1.mul(df);
      FloatVector inv = ONE_F.div(p2.mul(dO));
      FloatVector o = inv.mul(p2);
      inv = inv.mul(dO);
      FloatVector f = inv.mul(p1);
      inv = inv.mul(df);
      FloatVector i = inv.mul(dj);
      FloatVector j = inv.mul(di).mul(2f).sub(1f);
      i.intoArray(acts, r);
      f.intoArray(acts, hn + r);
      o.intoArray(acts, 2 * hn + r);
      j.intoArray(acts, 3 * hn + r);
      FloatVector cn = f.mul(FloatVector.fromArray(F, cPrev, r)).add(i.mul(j));
      cn.intoArray(c, r);
      cn.intoArray(tc, r);
    }
    if (r < to) SCALAR.cell(acts, hn, cPrev, c, tc, r, to);
  }

  @Override
  public void hidden(float[] acts, int hn, float[] tc, float[] hOut, int hOff, int from, int to) {
    int r = from;
    for (int end = from + F.loopBound(to - from); r < end; r += F.length()) {
      FloatVector t = TWO_F.div(FloatVector.fromArray(F, tc, r).add(1f)).sub(1f);
      t.intoArray(tc, r);
      FloatVector.fromArray(F, acts, 2 * hn + r).mul(t).intoArray(hOut, hOff + r);
    }
    if (r < to) SCALAR.hidden(acts, hn, tc, hOut, hOff, r, to);
  }

  @Override
  public void gatesBackward(float[] acts, int hn, float[] cPrev, float[] tc, float[] dh, float[] dc, float[] dGates,
      int from, int to) {
    int r = from;
    for (int end = from + F.loopBound(to - from); r < end; r += F.length()) {
      FloatVector i = FloatVector.fromArray(F, acts, r);
      FloatVector f = FloatVector.fromArray(F, acts, hn + r);
      FloatVector o = FloatVector.fromArray(F, acts, 2 * hn + r);
      FloatVector j = FloatVector.fromArray(F, acts, 3 * hn + r);
      FloatVector t = FloatVector.fromArray(F, tc, r);
      FloatVector dhv = FloatVector.fromArray(F, dh, r);
      FloatVector dcv = FloatVector.fromArray(F, dc, r).add(dhv.mul(o).mul(ONE_F.sub(t.mul(t))));
      dcv.mul(j).mul(i).mul(ONE_F.sub(i)).intoArray(dGates, r);
      dcv.mul(FloatVector.fromArray(F, cPrev, r)).mul(f).mul(ONE_F.sub(f)).intoArray(dGates, hn + r);
      dhv.mul(t).mul(o).mul(ONE_F.sub(o)).intoArray(dGates, 2 * hn + r);
      dcv.mul(i).mul(ONE_F.sub(j.mul(j))).intoArray(dGates, 3 * hn + r);
      dcv.mul(f).intoArray(dc, r);
    }
    if (r < to) SCALAR.gatesBackward(acts, hn, cPrev, tc, dh, dc, dGates, r, to);
  }

  @Override
  public void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    FloatVector va = FloatVector.broadcast(F, a);
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    FloatVector acc = FloatVector.zero(F);
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc);
    }
    float s = 0;
    for (float lane : acc.toArray()) s += lane;
    for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
    return s;
  }
}
