package l2l.autodiff;


/** {@link CellLoops} in plain Java. */
final class ScalarCellLoops implements CellLoops {
  @Override
  public String describe() {
    return "scalar";
  }

  /**
   * eˣ for |x| ≤ 700: {@link FastExp#exp}, the same bits compiled or interpreted, scalar or SIMD
   * ({@link VectorCellLoops} uses {@link VectorExp}, the same sequence lane by lane).
   */
  static double exp(double x) {
    return FastExp.exp(x);
  }

  /** The logistic function with its argument clamped to ±40 (exact in double precision up to 4e-18). */
  static double sigmoid(double x) {
    return 1.0 / (1.0 + exp(-Math.max(-40.0, Math.min(40.0, x))));
  }

  /** tanh via exp, its argument clamped to ±20 (beyond which tanh is ±1 in double precision). */
  static double tanh(double x) {
    return 2.0 / (1.0 + exp(-2.0 * Math.max(-20.0, Math.min(20.0, x)))) - 1.0;
  }

  @Override
  public void gates(double[] acts, int iOff, int jOff, int fOff, int oOff, double bi, double bj, double bf, double bo,
      double[] cPrev, int cpOff, double[] c, int cOff, double[] tc, int tcOff, double[] h, int hOff, int n) {
    for (int r = 0; r < n; r++) {
      // e = exp(−clamp(a)), exp(−2·clamp(a)) for j: each gate is then 1/(1 + e) or 2/(1 + e) − 1
      double di = 1.0 + exp(-1.0 * Math.max(-40.0, Math.min(40.0, acts[iOff + r] + bi)));
      double dj = 1.0 + exp(-2.0 * Math.max(-20.0, Math.min(20.0, acts[jOff + r] + bj)));
      double df = 1.0 + exp(-1.0 * Math.max(-40.0, Math.min(40.0, acts[fOff + r] + bf)));
      double dO = 1.0 + exp(-1.0 * Math.max(-40.0, Math.min(40.0, acts[oOff + r] + bo)));
      // the four reciprocals from one division (each denominator is in [1, 2.4e17])
      double p1 = di * dj, p2 = p1 * df, p3 = p2 * dO;
      double inv = 1.0 / p3;
      double o = inv * p2;
      inv = inv * dO;
      double f = inv * p1;
      inv = inv * df;
      double rj = inv * di;
      double i = inv * dj;
      double j = 2.0 * rj - 1.0;
      acts[iOff + r] = i;
      acts[jOff + r] = j;
      acts[fOff + r] = f;
      acts[oOff + r] = o;
      double cn = f * cPrev[cpOff + r] + i * j;
      double t = 2.0 / (1.0 + exp(-2.0 * Math.max(-20.0, Math.min(20.0, cn)))) - 1.0;
      c[cOff + r] = cn;
      tc[tcOff + r] = t;
      h[hOff + r] = o * t;
    }
  }

  @Override
  public void gatesBackward(double[] acts, int iOff, int jOff, int fOff, int oOff, double[] cPrev, int cpOff, double[] tc, int tcOff,
      double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates, int n) {
    for (int r = 0; r < n; r++) {
      double i = acts[iOff + r], j = acts[jOff + r], f = acts[fOff + r], o = acts[oOff + r];
      double t = tc[tcOff + r];
      double dhv = dh[dhOff + r];
      double dcv = dc[dcOff + r] + dhv * o * (1 - t * t);
      dGates[iOff + r] = dcv * j * i * (1 - i);
      dGates[jOff + r] = dcv * i * (1 - j * j);
      dGates[fOff + r] = dcv * cPrev[cpOff + r] * f * (1 - f);
      dGates[oOff + r] = dhv * t * o * (1 - o);
      dc[dcOff + r] = dcv * f;
    }
  }

  @Override
  public void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    double s = 0;
    for (int i = 0; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
    return s;
  }

  @Override
  public double sum(int n, double[] x, int off) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[off + i];
    return s;
  }
}
