package l2l.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastExp#exp} lane by lane on the JDK's vector API, with the same exactly rounded
 * operations, so SIMD and scalar code give the same bits. Needs the JVM option
 * {@code --add-modules jdk.incubator.vector}; only code that checked for the module loads it.
 */
public final class VectorExp {
  private VectorExp() {}

  /** The preferred double species of this machine. */
  public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private static final DoubleVector[] TAYLOR = new DoubleVector[FastExp.TAYLOR.length];
  private static final DoubleVector ONE = DoubleVector.broadcast(SPECIES, 1.0);
  private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(SPECIES, -FastExp.LN2_HI);
  private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(SPECIES, -FastExp.LN2_LO);

  static {
    for (int i = 0; i < TAYLOR.length; i++) TAYLOR[i] = DoubleVector.broadcast(SPECIES, FastExp.TAYLOR[i]);
  }

  /**
   * eˣ per lane for |x| ≤ 700 (species {@link #SPECIES}). Written out (no loop, no helpers) so
   * that the JIT inlines it whole: a vector op that is not inlined falls back to slow boxed code.
   */
  public static DoubleVector exp(DoubleVector x) {
    DoubleVector t = x.mul(FastExp.LOG2E).add(FastExp.SHIFT);
    DoubleVector k = t.sub(FastExp.SHIFT);
    DoubleVector r = k.fma(MINUS_LN2_HI, x);
    r = k.fma(MINUS_LN2_LO, r);
    DoubleVector p = TAYLOR[0].fma(r, TAYLOR[1]);
    p = p.fma(r, TAYLOR[2]);
    p = p.fma(r, TAYLOR[3]);
    p = p.fma(r, TAYLOR[4]);
    p = p.fma(r, TAYLOR[5]);
    p = p.fma(r, TAYLOR[6]);
    p = p.fma(r, TAYLOR[7]);
    p = p.fma(r, TAYLOR[8]);
    p = p.fma(r, TAYLOR[9]);
    p = p.fma(r, TAYLOR[10]);
    p = p.fma(r, TAYLOR[11]);
    p = p.fma(r, ONE);
    p = p.fma(r, ONE);
    LongVector bits = t.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52);
    return p.mul(bits.reinterpretAsDoubles());
  }
}
