package l2l.autodiff;

/**
 * A reproducible eˣ for |x| ≤ 700 (relative error about 2e-16): Cody–Waite reduction
 * x = k·ln2 + r and a Taylor polynomial in r, with only exactly rounded operations (+, ×, fma).
 * Unlike {@code Math.exp} and the vector API's EXP, it gives the same bits compiled or
 * interpreted, scalar or SIMD: {@link VectorExp} computes the same sequence lane by lane.
 * Fused kernels (the LSTM cell here, the learned optimizer's kernels) use it.
 */
public final class FastExp {
  private FastExp() {}

  /** log₂ e. */
  public static final double LOG2E = 1.4426950408889634;
  /** The high part of ln 2 (k·LN2_HI is exact for the k that occur). */
  public static final double LN2_HI = 0.6931471803691238;
  /** ln 2 − LN2_HI. */
  public static final double LN2_LO = 1.9082149292705877e-10;
  /** 1.5·2⁵²: adding it rounds to an integer, kept in the low bits. */
  public static final double SHIFT = 0x1.8p52;
  /** 1/n! for n = 13 down to 2. */
  static final double[] TAYLOR = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
      1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5};

  /**
   * Whether SIMD kernels may use the JDK's vector API ({@link VectorExp}): the JVM runs with
   * {@code --add-modules jdk.incubator.vector} and the system property {@code l2l.simd} is not
   * {@code scalar}.
   */
  public static boolean vectorApiEnabled() {
    return !"scalar".equals(System.getProperty("l2l.simd"))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** eˣ for |x| ≤ 700; clamp the argument first (outside that range the result is wrong). */
  public static double exp(double x) {
    double t = x * LOG2E + SHIFT;
    double k = t - SHIFT;
    double r = Math.fma(k, -LN2_HI, x);
    r = Math.fma(k, -LN2_LO, r);
    double p = TAYLOR[0];
    for (int i = 1; i < TAYLOR.length; i++) p = Math.fma(p, r, TAYLOR[i]);
    p = Math.fma(p, r, 1.0);
    p = Math.fma(p, r, 1.0);
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) + 1023) << 52);
  }
}
