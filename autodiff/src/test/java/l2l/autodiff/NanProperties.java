package l2l.autodiff;

import static l2l.autodiff.Autodiff.grad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * NaN propagates through the selecting ops (relu, max, min, clamp) and changes nothing else
 * about them; the derivative of x⁰ is 0 everywhere, and pow's derivative is p·xᵖ⁻¹.
 */
class NanProperties {

  private static final double LO = 0, HI = 1;
  private static final Tensor WEIGHTS = Tensor.fromRowMajor(2, 3, new double[] {1, -2, 3, -4, 5, -6});

  /** The selecting ops, each with its definition from before NaN propagated. */
  enum Op {
    RELU, MAX, MIN, MAX_SCALAR, MIN_SCALAR, CLAMP;

    Tensor apply(Tensor a, Tensor b) {
      return switch (this) {
        case RELU -> a.relu();
        case MAX -> a.max(b);
        case MIN -> a.min(b);
        case MAX_SCALAR -> a.max(b.toArray()[0]);
        case MIN_SCALAR -> a.min(b.toArray()[0]);
        case CLAMP -> a.clamp(LO, HI);
      };
    }

    Tensor old(Tensor a, Tensor b) {
      return switch (this) {
        case RELU -> Tensor.where(a.gt(0), a, Tensor.scalar(0));
        case MAX -> Tensor.where(a.ge(b), a, b);
        case MIN -> Tensor.where(a.le(b), a, b);
        case MAX_SCALAR -> MAX.old(a, Tensor.scalar(b.toArray()[0]));
        case MIN_SCALAR -> MIN.old(a, Tensor.scalar(b.toArray()[0]));
        case CLAMP -> MIN.old(MAX.old(a, Tensor.scalar(LO)), Tensor.scalar(HI));
      };
    }

    /** The other input's value that meets entry i of a (0 when there is none). */
    double other(Tensor b, int i) {
      return switch (this) {
        case RELU, CLAMP -> 0;
        case MAX, MIN -> b.toArray()[i];
        case MAX_SCALAR, MIN_SCALAR -> b.toArray()[0];
      };
    }
  }

  /** 2×3 tensors whose entries are often NaN or tied with the other input or a bound. */
  @Provide
  Arbitrary<Tensor> entries() {
    return Arbitraries.oneOf(Arbitraries.of(Double.NaN, -1.0, 0.0, 0.5, 1.0, 2.0), Arbitraries.doubles().between(-3, 3))
        .array(double[].class).ofSize(6).map(d -> Tensor.fromRowMajor(2, 3, d));
  }

  private static boolean nanAt(Op op, Tensor a, Tensor b, int i) {
    return Double.isNaN(a.toArray()[i]) || Double.isNaN(op.other(b, i));
  }

  @Property(tries = 200)
  void nanInAnInputGivesNanAndEveryOtherValueIsTheOldOne(@ForAll Op op, @ForAll("entries") Tensor a,
      @ForAll("entries") Tensor b) {
    double[] out = op.apply(a, b).toArray(), old = op.old(a, b).toArray();
    for (int i = 0; i < out.length; i++) {
      if (nanAt(op, a, b, i)) {
        assertTrue(Double.isNaN(out[i]), op + " of " + a + " and " + b + " at " + i + ": " + out[i]);
      } else {
        assertEquals(old[i], out[i], 0.0, op + " at " + i);
      }
    }
  }

  @Property(tries = 200)
  void awayFromNanTheDerivativesAreTheOldOnes(@ForAll Op op, @ForAll("entries") Tensor a,
      @ForAll("entries") Tensor b) {
    double[] da = grad((Tensor x) -> op.apply(x, b).mul(WEIGHTS).sum()).apply(a).toArray();
    double[] oldDa = grad((Tensor x) -> op.old(x, b).mul(WEIGHTS).sum()).apply(a).toArray();
    double[] db = grad((Tensor y) -> op.apply(a, y).mul(WEIGHTS).sum()).apply(b).toArray();
    double[] oldDb = grad((Tensor y) -> op.old(a, y).mul(WEIGHTS).sum()).apply(b).toArray();
    for (int i = 0; i < da.length; i++) {
      if (!nanAt(op, a, b, i)) {
        assertEquals(oldDa[i], da[i], 0.0, op + ": d/da at " + i + " of " + a + " and " + b);
        assertEquals(oldDb[i], db[i], 0.0, op + ": d/db at " + i + " of " + a + " and " + b);
      }
    }
  }

  @Property(tries = 50)
  void powZeroHasDerivativeZeroEverywhere(@ForAll("powBases") double x) {
    Tensor x0 = Tensor.scalar(x);
    assertEquals(0.0, grad((Tensor v) -> v.pow(0)).apply(x0).item(), 0.0);
    assertEquals(0.0, grad(grad((Tensor v) -> v.pow(0))).apply(x0).item(), 0.0);
  }

  @Property(tries = 100)
  void powDerivativeIsPTimesXToThePMinusOne(@ForAll("exponents") double p, @ForAll("powBases") double x) {
    double expected = p == 0 ? 0 : p * Math.pow(x, p - 1);
    double got = grad((Tensor v) -> v.pow(p)).apply(Tensor.scalar(x)).item();
    assertEquals(expected, got, 1e-14 * Math.abs(expected), "p = " + p + ", x = " + x);
  }

  @Provide
  Arbitrary<Double> powBases() {
    return Arbitraries.oneOf(Arbitraries.of(0.0, 1.0, 2.0), Arbitraries.doubles().between(0, 3));
  }

  @Provide
  Arbitrary<Double> exponents() {
    return Arbitraries.oneOf(Arbitraries.of(-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
        Arbitraries.doubles().between(-3, 3));
  }
}
