package l2l.dsl.report;

import java.util.Locale;

/** Number formats for tables and messages. */
public final class Fmt {
  private Fmt() {}

  /** Four significant digits, e.g. "0.04968", "1.234e-05", "NaN", "∞". */
  public static String g(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }

  /**
   * A difference in its standard errors, "+1.3" or "-2.0"; beyond a thousand (e.g. when every task
   * is the same and the error is rounding) "> +1000" or "< -1000"; "–" when undefined.
   */
  public static String sigmas(double mean, double se) {
    if (Double.isNaN(mean) || Double.isNaN(se) || (mean == 0 && se == 0)) return "–";
    double z = mean / se;
    if (Math.abs(z) >= 1000) return z < 0 ? "< -1000" : "> +1000";
    return String.format(Locale.ROOT, "%+.1f", z);
  }

  /** A duration in seconds as "42 s", "3 min 05 s", "1 h 02 min". */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) return "?";
    long s = Math.round(seconds);
    if (s < 60) return seconds < 10 ? String.format(Locale.ROOT, "%.1f s", seconds) : s + " s";
    if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
