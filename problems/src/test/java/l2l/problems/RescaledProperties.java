package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Random scaling: f_c(θ) = f(c ⊙ θ) from θ₀ / c, factors in [1/R, R] drawn from the seed. */
class RescaledProperties {
  private static final Problem INNER = new Rosenbrock(4, 1, 100, 0.5);

  @Property(tries = 40)
  void aRescaledTaskStartsAtTheSameLossAndItsGradientIsTheFactorsTimesTheInnerGradientAtCTheta(@ForAll long seed,
      @ForAll @DoubleRange(min = 1, max = 1000) double range) {
    Task inner = INNER.sample(seed), scaled = new Rescaled(INNER, range).sample(seed);
    double f0 = inner.loss(inner.init(), 0).item();
    assertEquals(f0, scaled.loss(scaled.init(), 0).item(), 1e-10 * (1 + Math.abs(f0)));
    Tree c = inner.init().zip(scaled.init(), Tensor::div);   // c = θ₀ / (θ₀ / c)
    Tree theta = scaled.init().map(t -> t.add(0.1));
    Tree g = Autodiff.gradTree(p -> scaled.loss(p, 0)).apply(theta);
    Tree expected = Autodiff.gradTree(p -> inner.loss(p, 0)).apply(theta.zip(c, Tensor::mul)).zip(c, Tensor::mul);
    for (int i = 0; i < g.leaves().size(); i++) {
      assertTrue(g.leaves().get(i).allClose(expected.leaves().get(i), 1e-9, 1e-9), g + " vs " + expected);
    }
    for (Tensor t : c.leaves()) {
      for (double x : t.toArray()) assertTrue(x >= 1 / range * (1 - 1e-9) && x <= range * (1 + 1e-9), "factor " + x);
    }
  }

  @Property(tries = 20)
  void rangeOneIsTheProblemItselfBitForBitAndTheSameSeedGivesTheSameFactors(@ForAll long seed) {
    Task inner = INNER.sample(seed), one = new Rescaled(INNER, 1).sample(seed);
    assertTrue(inner.init().tensor("x").allClose(one.init().tensor("x"), 0, 0));
    assertEquals(inner.loss(inner.init(), 3).item(), one.loss(one.init(), 3).item());
    Task a = new Rescaled(INNER, 10).sample(seed), b = new Rescaled(INNER, 10).sample(seed);
    assertTrue(a.init().tensor("x").allClose(b.init().tensor("x"), 0, 0));
  }

  @Test
  void rescaleIsAnOptionOfEverySpecAlsoInsideMixturesAndABadOneIsNamed() {
    Problem p = ((Problems.Specified) Problems.parse("rosenbrock:dims=4,rescale=10")).problem();
    assertEquals(new Rescaled(new Rosenbrock(4, 1, 100, 0), 10), p);
    Mixture m = (Mixture) ((Problems.Specified) Problems.parse("mix:simple+quadratic:dim=3,rescale=5,weight=2")).problem();
    assertEquals(new Rescaled(new Quadratic(128, 3, 0.01, Quadratic.Distribution.UNIFORM), 5), m.problems().get(1));
    for (String[] bad : new String[][] {{"simple:rescale=0.5", "rescale must be a finite number ≥ 1, got 0.5"},
        {"simple:rescale=big", "option rescale must be a number, got 'big'"}}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Problems.parse(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), e::getMessage);
    }
  }
}
