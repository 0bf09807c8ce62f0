package l2l.autodiff;

/** {@link CellLoops} in plain Java. */
final class ScalarCellLoops implements CellLoops {

  static double clampedExp(double x) {
    return FastExp.exp(Math.max(-BOUND, Math.min(BOUND, x)));
  }

  /** The activations and outputs of units [u0, h) of one row; acts[ao..ao+4h) holds the exps. */
  static void rowTail(int h, int u0, int ao, int co, double[] c, double[] acts, double[] hOut, int ho, double[] cOut,
      int cOo) {
    for (int u = u0; u < h; u++) {
      double i = 1.0 / (1.0 + acts[ao + u]);
      double j = 2.0 / (1.0 + acts[ao + h + u]) - 1.0;
      double f = 1.0 / (1.0 + acts[ao + 2 * h + u]);
      double o = 1.0 / (1.0 + acts[ao + 3 * h + u]);
      double c2 = f * c[co + u] + i * j;
      double tc = 2.0 / (1.0 + clampedExp(-2.0 * c2)) - 1.0;
      acts[ao + u] = i;
      acts[ao + h + u] = j;
      acts[ao + 2 * h + u] = f;
      acts[ao + 3 * h + u] = o;
      acts[ao + 4 * h + u] = tc;
      hOut[ho + u] = o * tc;
      cOut[cOo + u] = c2;
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
      int go = gOff + r * 4 * h, ao = keep ? r * 5 * h : 0;
      for (int k = 0; k < 4 * h; k++) acts[ao + k] = clampedExp((g[go + k] + bias[k]) * scale[k]);
      rowTail(h, 0, ao, cOff + r * h, c, acts, hOut, hOff + r * hStride, cOut, cOutOff + r * cStride);
    }
  }

  @Override
  public void backward(int n, int h, double[] acts, double[] c, double[] ct, double[] dGates, double[] dc) {
    for (int r = 0; r < n; r++) backwardTail(h, 0, r * 5 * h, r * h, r * 2 * h, r * 4 * h, acts, c, ct, dGates, dc);
  }
}
