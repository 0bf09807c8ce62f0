package l2l.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CellLoops} on the JDK's vector API: the same operations as {@link ScalarCellLoops},
 * several units at a time; the tail of a row shorter than a vector runs the scalar code.
 */
final class VectorCellLoops implements CellLoops {
  private static final VectorSpecies<Double> S = VectorExp.SPECIES;
  private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
  private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);

  VectorCellLoops() {
    // fail here, not in the middle of a computation, if the vector API cannot be used
    VectorExp.exp(DoubleVector.broadcast(S, 0.5));
  }

  /**
   * The forward pass in four small loops per row (exp of the pre-activations, the gates and c',
   * exp(−2c'), tanh(c') and h'), each with at most one inlined {@link VectorExp#exp}: one loop
   * body holding two of them grows too large for the JIT, which then falls back to slow boxed
   * vector code.
   */
  @Override
  public void forward(int n, int h, double[] g, int gOff, double[] bias, double[] scale, double[] c, int cOff,
      double[] acts, boolean keep, double[] hOut, int hOff, int hStride, double[] cOut, int cOutOff, int cStride) {
    double[] zeros = new double[4 * h];
    for (int r = 0; r < n; r++) {
      int go = gOff + r * 4 * h, ao = keep ? r * 5 * h : 0, co = cOff + r * h;
      int ho = hOff + r * hStride, cOo = cOutOff + r * cStride;
      expPass(g, go, bias, 0, scale, 0, acts, ao, 4 * h);
      gatesPass(h, acts, ao, c, co, cOut, cOo);
      // exp(−2c') into the tanh slot: (c' + 0)·(−2), the scalar code's −2·c' to the bit
      expPass(cOut, cOo, zeros, 0, scale, h, acts, ao + 4 * h, h);
      hiddenPass(h, acts, ao, hOut, ho);
    }
  }

  /** dst[dOff + k] = exp(clamp((src[sOff + k] + bias[bOff + k])·scale[kOff + k], ±40)), k &lt; len. */
  private static void expPass(double[] src, int sOff, double[] bias, int bOff, double[] scale, int kOff, double[] dst,
      int dOff, int len) {
    int k = 0;
    for (int bound = S.loopBound(len); k < bound; k += S.length()) {
      DoubleVector p = DoubleVector.fromArray(S, src, sOff + k).add(DoubleVector.fromArray(S, bias, bOff + k))
          .mul(DoubleVector.fromArray(S, scale, kOff + k));
      VectorExp.exp(p.max(-BOUND).min(BOUND)).intoArray(dst, dOff + k);
    }
    for (; k < len; k++) {
      dst[dOff + k] = ScalarCellLoops.clampedExp((src[sOff + k] + bias[bOff + k]) * scale[kOff + k]);
    }
  }

  /** From the exps in acts[ao..ao+4h): the activated gates back into acts, c' = f·c + i·j into cOut. */
  private static void gatesPass(int h, double[] acts, int ao, double[] c, int co, double[] cOut, int cOo) {
    int u = 0;
    for (int bound = S.loopBound(h); u < bound; u += S.length()) {
      DoubleVector i = ONE.div(DoubleVector.fromArray(S, acts, ao + u).add(1.0));
      DoubleVector j = TWO.div(DoubleVector.fromArray(S, acts, ao + h + u).add(1.0)).sub(1.0);
      DoubleVector f = ONE.div(DoubleVector.fromArray(S, acts, ao + 2 * h + u).add(1.0));
      DoubleVector o = ONE.div(DoubleVector.fromArray(S, acts, ao + 3 * h + u).add(1.0));
      i.intoArray(acts, ao + u);
      j.intoArray(acts, ao + h + u);
      f.intoArray(acts, ao + 2 * h + u);
      o.intoArray(acts, ao + 3 * h + u);
      f.mul(DoubleVector.fromArray(S, c, co + u)).add(i.mul(j)).intoArray(cOut, cOo + u);
    }
    ScalarCellLoops.gatesTail(h, u, acts, ao, c, co, cOut, cOo);
  }

  /** From exp(−2c') in the tanh slot: tanh(c') into it, h' = o·tanh(c') into hOut. */
  private static void hiddenPass(int h, double[] acts, int ao, double[] hOut, int ho) {
    int u = 0;
    for (int bound = S.loopBound(h); u < bound; u += S.length()) {
      DoubleVector tc = TWO.div(DoubleVector.fromArray(S, acts, ao + 4 * h + u).add(1.0)).sub(1.0);
      tc.intoArray(acts, ao + 4 * h + u);
      DoubleVector.fromArray(S, acts, ao + 3 * h + u).mul(tc).intoArray(hOut, ho + u);
    }
    ScalarCellLoops.hiddenTail(h, u, acts, ao, hOut, ho);
  }

  @Override
  public void backward(int n, int h, double[] acts, double[] c, double[] ct, double[] dGates, double[] dc) {
    int hb = S.loopBound(h);
    for (int r = 0; r < n; r++) {
      int ao = r * 5 * h, co = r * h, yo = r * 2 * h, go = r * 4 * h;
      int u = 0;
      for (; u < hb; u += S.length()) {
        DoubleVector i = DoubleVector.fromArray(S, acts, ao + u);
        DoubleVector j = DoubleVector.fromArray(S, acts, ao + h + u);
        DoubleVector f = DoubleVector.fromArray(S, acts, ao + 2 * h + u);
        DoubleVector o = DoubleVector.fromArray(S, acts, ao + 3 * h + u);
        DoubleVector tc = DoubleVector.fromArray(S, acts, ao + 4 * h + u);
        DoubleVector dh = DoubleVector.fromArray(S, ct, yo + u);
        DoubleVector d = DoubleVector.fromArray(S, ct, yo + h + u).add(dh.mul(o).mul(tc.mul(tc).neg().add(1.0)));
        d.mul(j).mul(i.mul(i.neg().add(1.0))).intoArray(dGates, go + u);
        d.mul(i).mul(j.mul(j).neg().add(1.0)).intoArray(dGates, go + h + u);
        d.mul(DoubleVector.fromArray(S, c, co + u)).mul(f.mul(f.neg().add(1.0))).intoArray(dGates, go + 2 * h + u);
        dh.mul(tc).mul(o.mul(o.neg().add(1.0))).intoArray(dGates, go + 3 * h + u);
        if (dc != null) d.mul(f).intoArray(dc, co + u);
      }
      ScalarCellLoops.backwardTail(h, u, ao, co, yo, go, acts, c, ct, dGates, dc);
    }
  }
}
