package l2l.autodiff;

/** {@link CellLoops} in plain Java. */
final class ScalarCellLoops implements CellLoops {

  static double clampedExp(double x) {
    return FastExp.exp(Math.max(-BOUND, Math.min(BOUND, x)));
  }

  /**
   * Units [u0, h) of one row: from the exps in acts[ao..ao+4h), the activated gates back into
   * acts and c' = f·c + i·j into cOut.
   */
  static void gatesTail(int h, int u0, double[] acts, int ao, double[] c, int co, double[] cOut, int cOo) {
    for (int u = u0; u < h; u++) {
      double i = 1.0 / (1.0 + acts[ao + u]);
      double j = 2.0 / (1.0 + acts[ao + h + u]) - 1.0;
      double f = 1.0 / (1.0 + acts[ao + 2 * h + u]);
      double o = 1.0 / (1.0 + acts[ao + 3 * h + u]);
      acts[ao + u] = i;
      acts[ao + h + u] = j;
      acts[ao + 2 * h + u] = f;
      acts[ao + 3 * h + u] = o;
      cOut[cOo + u] = f * c[co + u] + i * j;
    }
  }

  /** Units [u0, h) of one row: from exp(−2c') in the tanh slot, tanh(c') into it and h' = o·tanh(c'). */
  static void hiddenTail(int h, int u0, double[] acts, int ao, double[] hOut, int ho) {
    for (int u = u0; u < h; u++) {
      double tc = 2.0 / (1.0 + acts[ao + 4 * h + u]) - 1.0;
      acts[ao + 4 * h + u] = tc;
      hOut[ho + u] = acts[ao + 3 * h + u] * tc;
    }
  }

  /** The backward pass of units [u0, h) of one row. */
  static void backwardTail(int h, int u0, int ao, int co, int yo, int go, double[] acts, double[] c, double[] ct,
      double[] dGates, double[] dc) {
    for (int u = u0; u < h; u++) {
      double i = acts[ao + u], j = acts[ao + h + u], f = acts[ao + 2 * h + u], o = acts[ao + 3 * h + u];
      double tc = acts[ao + 4 * h + u];
      double dh = ct[yo + u];
      double d = ct[yo + h + u] + dh * o * (1.0 - tc * tc);
      dGates[go + u] = d * j * (i * (1.0 - i));
      dGates[go + h + u] = d * i * (1.0 - j * j);
      dGates[go + 2 * h + u] = d * c[co + u] * (f * (1.0 - f));
      dGates[go + 3 * h + u] = dh * tc * (o * (1.0 - o));
      if (dc != null) dc[co + u] = d * f;
    }
  }

  @Override
  public void forward(int n, int h, double[] g, int gOff, double[] bias, double[] scale, double[] c, int cOff,
      double[] acts, boolean keep, double[] hOut, int hOff, int hStride, double[] cOut, int cOutOff, int cStride) {
    for (int r = 0; r < n; r++) {
      int go = gOff + r * 4 * h, ao = keep ? r * 5 * h : 0, co = cOff + r * h;
      int ho = hOff + r * hStride, cOo = cOutOff + r * cStride;
      for (int k = 0; k < 4 * h; k++) acts[ao + k] = clampedExp((g[go + k] + bias[k]) * scale[k]);
      gatesTail(h, 0, acts, ao, c, co, cOut, cOo);
      for (int u = 0; u < h; u++) acts[ao + 4 * h + u] = clampedExp(-2.0 * cOut[cOo + u]);
      hiddenTail(h, 0, acts, ao, hOut, ho);
    }
  }

  @Override
  public void backward(int n, int h, double[] acts, double[] c, double[] ct, double[] dGates, double[] dc) {
    for (int r = 0; r < n; r++) backwardTail(h, 0, r * 5 * h, r * h, r * 2 * h, r * 4 * h, acts, c, ct, dGates, dc);
  }
}
