package l2l.optimizers.learned;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Loops} with the JDK's vector API: exp runs as a SIMD intrinsic, several lanes at a time.
 * Loaded only when the module {@code jdk.incubator.vector} is present. The tails shorter than a
 * vector use the scalar formulas.
 */
final class VectorLoops implements Loops {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  static VectorLoops create() {
    VectorLoops v = new VectorLoops();
    float[] probe = {0.5f, -0.25f, 0.125f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    v.exp(probe, 0, probe.length, 10f, -1f);
    return v;
  }

  @Override
  public String describe() {
    return "SIMD (vector API, " + F.length() + " float lanes)";
  }

  // The same operations as ScalarLoops' float methods. Each method holds at most
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
