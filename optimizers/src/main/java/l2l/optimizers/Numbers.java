package l2l.optimizers;

import java.math.BigDecimal;
import l2l.autodiff.Tensor;

/** Short number formatting for descriptions ("0.001", "1e-8", "50"). */
final class Numbers {
  private Numbers() {}

  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e-4 && a < 1e7) return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    String s = Double.toString(v); // d.dddE±n
    int e = s.indexOf('E');
    String mantissa = BigDecimal.valueOf(Double.parseDouble(s.substring(0, e))).stripTrailingZeros().toPlainString();
    return mantissa + "e" + s.substring(e + 1);
  }

  /** A hyperparameter: its value if 1×1 (marked when traced), else its shape. */
  static String num(Tensor t) {
    if (!t.isScalar()) return "tensor " + t.shape();
    return num(t.item()) + (t.isTraced() ? " (traced)" : "");
  }
}
