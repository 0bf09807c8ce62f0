package l2l.optimizers.learned;

/** {@link Loops} in plain Java. */
final class ScalarLoops implements Loops {
  @Override
  public String describe() {
    return "scalar";
  }

  static final float LOG2E_F = 1.44269504f;
  /** ln 2 split so that k·LN2_HI_F is exact for |k| &lt; 2⁹ (Cephes' constants). */
  static final float LN2_HI_F = 0.693359375f;
  static final float LN2_LO_F = -2.12194440e-4f;
  static final float SHIFT_F = 0x1.8p23f;
  /**
   * e^r ≈ 1 + r + r²·q(r) on |r| ≤ ln2/2: the coefficients of q, highest first (a weighted minimax
   * fit, relative error 3e-9 before rounding).
   */
  static final float[] POLY_F = {0.001381461275741458f, 0.008368710055947304f, 0.04166838899254799f,
      0.1666652113199234f, 0.4999999403953552f};

  /**
   * eˣ in single precision for |x| ≤ 80 (within 1 ulp), by the same scheme as {@code l2l.autodiff.FastExp}:
   * Cody–Waite reduction and a polynomial, only exactly rounded operations, so scalar and SIMD code
   * give the same bits.
   */
  static float exp(float x) {
    float t = Math.fma(x, LOG2E_F, SHIFT_F);
    float k = t - SHIFT_F;
    float r = Math.fma(k, -LN2_HI_F, x);
    r = Math.fma(k, -LN2_LO_F, r);
    float p = POLY_F[0];
    for (int i = 1; i < POLY_F.length; i++) p = Math.fma(p, r, POLY_F[i]);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) + 127) << 23);
  }

  /** The logistic function in single precision, its argument clamped to ±20. */
  static float sigmoid(float x) {
    return 1f / (1f + exp(-Math.max(-20f, Math.min(20f, x))));
  }

  /** tanh in single precision via exp, its argument clamped to ±10 (beyond which tanh is ±1 in float). */
  static float tanh(float x) {
    return 2f / (1f + exp(-2f * Math.max(-10f, Math.min(10f, x)))) - 1f;
  }

  @Override
  public void exp(float[] a, int off, int len, float bound, float scale) {
    for (int r = off; r < off + len; r++) a[r] = exp(scale * Math.max(-bound, Math.min(bound, a[r])));
  }

  @Override
  public void cell(float[] acts, int hn, float[] cPrev, float[] c, float[] tc, int from, int to) {
    for (int r = from; r < to; r++) {
      float di = 1f + acts[r], df = 1f + acts[hn + r], dO = 1f + acts[2 * hn + r], dj = 1f + acts[3 * hn + r];
      // the four reciprocals from one division (the product is below 6e34)
      float p1 = di * dj, p2 = p1 * df, p3 = p2 * dO;
      float inv = 1f / p3;
      float o = inv * p2;
      inv = inv * dO;
      float f = inv * p1;
      inv = inv * df;
      float i = inv * dj;
      float j = 2f * (inv * di) - 1f;
      acts[r] = i;
      acts[hn + r] = f;
      acts[2 * hn + r] = o;
      acts[3 * hn + r] = j;
      float cn = f * cPrev[r] + i * j;
      c[r] = cn;
      tc[r] = cn;
    }
  }

  @Override
  public void hidden(float[] acts, int hn, float[] tc, float[] hOut, int hOff, int from, int to) {
    for (int r = from; r < to; r++) {
      float t = 2f / (1f + tc[r]) - 1f;
      tc[r] = t;
      hOut[hOff + r] = acts[2 * hn + r] * t;
    }
  }

  @Override
  public void gatesBackward(float[] acts, int hn, float[] cPrev, float[] tc, float[] dh, float[] dc, float[] dGates,
      int from, int to) {
    for (int r = from; r < to; r++) {
      float i = acts[r], f = acts[hn + r], o = acts[2 * hn + r], j = acts[3 * hn + r];
      float t = tc[r];
      float dhv = dh[r];
      float dcv = dc[r] + dhv * o * (1f - t * t);
      dGates[r] = dcv * j * i * (1f - i);
      dGates[hn + r] = dcv * cPrev[r] * f * (1f - f);
      dGates[2 * hn + r] = dhv * t * o * (1f - o);
      dGates[3 * hn + r] = dcv * i * (1f - j * j);
      dc[r] = dcv * f;
    }
  }

  @Override
  public void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    float s = 0;
    for (int i = 0; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
    return s;
  }
}
