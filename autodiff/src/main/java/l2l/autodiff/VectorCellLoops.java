package l2l.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CellLoops} on the JDK's vector API: the same operations as {@link ScalarCellLoops},
 * several units at a time; the tail of a row shorter than a vector runs the scalar code.
 */
final class VectorCellLoops implements CellLoops {
  private static final VectorSpecies<Double> S = VectorExp.SPECIES;

  VectorCellLoops() {
    // fail here, not in the middle of a computation, if the vector API cannot be used
    VectorExp.exp(DoubleVector.broadcast(S, 0.5));
  }

  @Override
  public void forward(int n, int h, double[] g, int gOff, double[] bias, double[] scale, double[] c, int cOff,
      double[] acts, boolean keep, double[] hOut, int hOff, int hStride, double[] cOut, int cOutOff, int cStride) {
    int w = 4 * h, wb = S.loopBound(w), hb = S.loopBound(h);
    for (int r = 0; r < n; r++) {
      int go = gOff + r * w, ao = keep ? r * 5 * h : 0, co = cOff + r * h;
      int ho = hOff + r * hStride, cOo = cOutOff + r * cStride;
      int k = 0;
      for (; k < wb; k += S.length()) {
        DoubleVector p = DoubleVector.fromArray(S, g, go + k).add(DoubleVector.fromArray(S, bias, k))
            .mul(DoubleVector.fromArray(S, scale, k));
        VectorExp.exp(p.max(-BOUND).min(BOUND)).intoArray(acts, ao + k);
      }
      for (; k < w; k++) acts[ao + k] = ScalarCellLoops.clampedExp((g[go + k] + bias[k]) * scale[k]);
      int u = 0;
      for (; u < hb; u += S.length()) {
        DoubleVector i = DoubleVector.broadcast(S, 1.0).div(DoubleVector.fromArray(S, acts, ao + u).add(1.0));
        DoubleVector j = DoubleVector.broadcast(S, 2.0).div(DoubleVector.fromArray(S, acts, ao + h + u).add(1.0)).sub(1.0);
        DoubleVector f = DoubleVector.broadcast(S, 1.0).div(DoubleVector.fromArray(S, acts, ao + 2 * h + u).add(1.0));
        DoubleVector o = DoubleVector.broadcast(S, 1.0).div(DoubleVector.fromArray(S, acts, ao + 3 * h + u).add(1.0));
        DoubleVector c2 = f.mul(DoubleVector.fromArray(S, c, co + u)).add(i.mul(j));
        DoubleVector e = VectorExp.exp(c2.mul(-2.0).max(-BOUND).min(BOUND));
        DoubleVector tc = DoubleVector.broadcast(S, 2.0).div(e.add(1.0)).sub(1.0);
        i.intoArray(acts, ao + u);
        j.intoArray(acts, ao + h + u);
        f.intoArray(acts, ao + 2 * h + u);
        o.intoArray(acts, ao + 3 * h + u);
        tc.intoArray(acts, ao + 4 * h + u);
        o.mul(tc).intoArray(hOut, ho + u);
        c2.intoArray(cOut, cOo + u);
      }
      ScalarCellLoops.rowTail(h, u, ao, co, c, acts, hOut, ho, cOut, cOo);
    }
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
