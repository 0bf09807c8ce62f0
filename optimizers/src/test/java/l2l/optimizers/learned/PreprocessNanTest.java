package l2l.optimizers.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** The traced (tensor) and untraced (array) log-and-sign preprocessing agree, NaN and ∞ included. */
class PreprocessNanTest {

  @Test
  void tracedAndUntracedLogAndSignAgreeOnWhereNaNIsAndOnEveryOtherValueToRounding() {
    double[] g = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0.0, 1e-30, -3, 250};
    Preprocess.Stateless p = (Preprocess.Stateless) Preprocess.logAndSign(5);
    double[] traced = p.apply(Tensor.row(g)).toArray(), untraced = new double[2 * g.length];
    p.apply(g, 0, g.length, untraced);
    for (int i = 0; i < traced.length; i++) {
      String where = "feature " + i / g.length + " of g = " + g[i % g.length] + ": traced " + traced[i] + ", untraced "
          + untraced[i];
      assertEquals(Double.isNaN(untraced[i]), Double.isNaN(traced[i]), where);
      if (!Double.isNaN(traced[i])) assertEquals(untraced[i], traced[i], 1e-15 * Math.max(1, Math.abs(traced[i])), where);
    }
    assertTrue(Double.isNaN(traced[0]) && Double.isNaN(traced[g.length]), "a NaN gradient gives NaN features");
  }
}
