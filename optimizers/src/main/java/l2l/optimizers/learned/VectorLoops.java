package l2l.optimizers.learned;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Loops} with the JDK's vector API: exp runs as a SIMD intrinsic, several lanes at a time.
 * Loaded only when the module {@code jdk.incubator.vector} is present. The tails shorter than a
 * vector use the scalar formulas.
 */
final class VectorLoops implements Loops {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  static VectorLoops create() {
    VectorLoops v = new VectorLoops();
    double[] probe = {0.5, -0.25, 0.125, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    v.sum(probe.length, probe, 0);
    return v;
  }

  @Override
  public String describe() {
    return "SIMD (vector API, " + S.length() + " lanes)";
  }

  /** {@link ScalarLoops#exp} lane by lane, with the same exactly rounded operations. */
  static DoubleVector exp(DoubleVector x) {
    DoubleVector t = x.mul(ScalarLoops.LOG2E).add(ScalarLoops.SHIFT);
    DoubleVector k = t.sub(ScalarLoops.SHIFT);
    DoubleVector r = k.fma(x.broadcast(-ScalarLoops.LN2_HI), x);
    r = k.fma(x.broadcast(-ScalarLoops.LN2_LO), r);
    DoubleVector p = x.broadcast(ScalarLoops.TAYLOR[0]);
    for (int i = 1; i < ScalarLoops.TAYLOR.length; i++) p = p.fma(r, x.broadcast(ScalarLoops.TAYLOR[i]));
    DoubleVector one = x.broadcast(1.0);
    p = p.fma(r, one);
    p = p.fma(r, one);
    LongVector bits = t.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52);
    return p.mul(bits.reinterpretAsDoubles());
  }

  private static DoubleVector sigmoid(DoubleVector x) {
    DoubleVector e = exp(x.max(-40.0).min(40.0).neg());
    return e.broadcast(1.0).div(e.add(1.0));
  }

  private static DoubleVector tanh(DoubleVector x) {
    DoubleVector e = exp(x.max(-20.0).min(20.0).mul(-2.0));
    return e.broadcast(2.0).div(e.add(1.0)).sub(1.0);
  }

  @Override
  public void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, double[] c, double[] tc, double[] h, int off, int n) {
    int r = 0;
    for (int bound = S.loopBound(n); r < bound; r += S.length()) {
      DoubleVector i = sigmoid(DoubleVector.fromArray(S, acts, iOff + r).add(bi));
      DoubleVector j = tanh(DoubleVector.fromArray(S, acts, jOff + r).add(bj));
      DoubleVector f = sigmoid(DoubleVector.fromArray(S, acts, fOff + r).add(bf));
      DoubleVector o = sigmoid(DoubleVector.fromArray(S, acts, oOff + r).add(bo));
      i.intoArray(acts, iOff + r);
      j.intoArray(acts, jOff + r);
      f.intoArray(acts, fOff + r);
      o.intoArray(acts, oOff + r);
      DoubleVector cn = f.mul(DoubleVector.fromArray(S, cPrev, off + r)).add(i.mul(j));
      DoubleVector t = tanh(cn);
      cn.intoArray(c, off + r);
      t.intoArray(tc, off + r);
      o.mul(t).intoArray(h, off + r);
    }
    if (r < n) {
      new ScalarLoops().gates(acts, iOff + r, jOff + r, fOff + r, oOff + r, bi, bj, bf, bo, cPrev, c, tc, h, off + r,
          n - r);
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
}
