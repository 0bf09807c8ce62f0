package l2l.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CellLoops} with the JDK's vector API: exp runs as a SIMD intrinsic, several lanes at a
 * time. Loaded only when the module {@code jdk.incubator.vector} is present. The tails shorter
 * than a vector use the scalar formulas.
 */
final class VectorCellLoops implements CellLoops {
  private static final VectorSpecies<Double> S = VectorExp.SPECIES;

  static VectorCellLoops create() {
    VectorCellLoops v = new VectorCellLoops();
    double[] probe = {0.5, -0.25, 0.125, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    v.sum(probe.length, probe, 0);
    return v;
  }

  @Override
  public String describe() {
    return "SIMD (vector API, " + S.length() + " double lanes)";
  }

  private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
  private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);

  /** a[off..off+n) = exp(scale · clamp(a + bias, lo, hi)), in place. */
  private static void expInPlace(double[] a, int off, int n, double bias, double lo, double hi, double scale) {
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      VectorExp.exp(DoubleVector.fromArray(S, a, off + r).add(bias).max(lo).min(hi).mul(scale)).intoArray(a, off + r);
    }
    for (; r < n; r++) a[off + r] = ScalarCellLoops.exp(scale * Math.max(lo, Math.min(hi, a[off + r] + bias)));
  }

  /**
   * The same sequence of operations as {@link ScalarCellLoops#gates}, element by element, in three
   * small passes (small loop bodies keep the JIT's inlining, and so its SIMD code, intact).
   */
  @Override
  public void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, int cpOff, double[] c, int cOff, double[] tc, int tcOff, double[] h, int hOff, int n) {
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
      f.mul(DoubleVector.fromArray(S, cPrev, cpOff + r)).add(i.mul(j)).intoArray(c, cOff + r);
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
      c[cOff + r] = f * cPrev[cpOff + r] + i * j;
    }
    System.arraycopy(c, cOff, tc, tcOff, n);
    expInPlace(tc, tcOff, n, 0.0, -20.0, 20.0, -2.0);
    r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector t = TWO.div(DoubleVector.fromArray(S, tc, tcOff + r).add(1.0)).sub(1.0);
      t.intoArray(tc, tcOff + r);
      DoubleVector.fromArray(S, acts, oOff + r).mul(t).intoArray(h, hOff + r);
    }
    for (; r < n; r++) {
      double t = 2.0 / (1.0 + tc[tcOff + r]) - 1.0;
      tc[tcOff + r] = t;
      h[hOff + r] = acts[oOff + r] * t;
    }
  }

  @Override
  public void gatesBackward(double[] acts, int iOff, int jOff, int fOff, int oOff, double[] cPrev, int cpOff, double[] tc, int tcOff,
      double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates, int n) {
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector i = DoubleVector.fromArray(S, acts, iOff + r);
      DoubleVector j = DoubleVector.fromArray(S, acts, jOff + r);
      DoubleVector f = DoubleVector.fromArray(S, acts, fOff + r);
      DoubleVector o = DoubleVector.fromArray(S, acts, oOff + r);
      DoubleVector t = DoubleVector.fromArray(S, tc, tcOff + r);
      DoubleVector dhv = DoubleVector.fromArray(S, dh, dhOff + r);
      DoubleVector one = t.broadcast(1.0);
      DoubleVector dcv = DoubleVector.fromArray(S, dc, dcOff + r).add(dhv.mul(o).mul(one.sub(t.mul(t))));
      dcv.mul(j).mul(i).mul(one.sub(i)).intoArray(dGates, iOff + r);
      dcv.mul(i).mul(one.sub(j.mul(j))).intoArray(dGates, jOff + r);
      dcv.mul(DoubleVector.fromArray(S, cPrev, cpOff + r)).mul(f).mul(one.sub(f)).intoArray(dGates, fOff + r);
      dhv.mul(t).mul(o).mul(one.sub(o)).intoArray(dGates, oOff + r);
      dcv.mul(f).intoArray(dc, dcOff + r);
    }
    if (r < n) {
      new ScalarCellLoops().gatesBackward(acts, iOff + r, jOff + r, fOff + r, oOff + r, cPrev, cpOff + r, tc, tcOff + r,
          dh, dhOff + r, dc, dcOff + r, dGates, n - r);
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
}
