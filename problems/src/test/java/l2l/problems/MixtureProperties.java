package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A mixture draws each component with its weight, deterministically in the seed; its spec round-trips. */
class MixtureProperties {

  /** Component i is SimpleMulti(i + 1), so a task tells its component by its number of variables. */
  private static Mixture of(java.util.List<Double> weights) {
    return new Mixture(List.ofAll(weights), List.range(0, weights.size()).map(i -> (Problem) new SimpleMulti(i + 1)));
  }

  @Property(tries = 10)
  void eachComponentIsDrawnWithItsWeightWithinFourAndAHalfStandardErrors(
      @ForAll @Size(min = 1, max = 4) java.util.List<@DoubleRange(min = 0.05, max = 20) Double> weights,
      @ForAll long base) {
    Mixture m = of(weights);
    int n = 10_000;
    int[] count = new int[weights.size()];
    for (int k = 0; k < n; k++) count[m.sample(Seeds.derive(base, "test", k)).init().leafCount() - 1]++;
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    for (int i = 0; i < count.length; i++) {
      double p = weights.get(i) / total, se = Math.sqrt(p * (1 - p) / n);
      assertEquals(p, count[i] / (double) n, 4.5 * se + 1e-12, "component " + i + " of weights " + weights);
    }
  }

  @Property(tries = 50)
  void theSameSeedGivesTheSameComponentAndTask(@ForAll long seed) {
    Mixture m = Problems.mixture(new double[] {1, 2}, new Quadratic(2, 3, 1, Quadratic.Distribution.GAUSSIAN),
        new Rosenbrock(3, 1, 100, 0.5));
    Task a = m.sample(seed), b = m.sample(seed);
    assertEquals(m.component(seed), m.component(seed));
    assertEquals(a.getClass(), m.problems().get(m.component(seed)).sample(0).getClass());
    assertTrue(a.init().tensor("x").allClose(b.init().tensor("x"), 0, 0));
    assertEquals(a.loss(a.init(), 0).item(), b.loss(b.init(), 0).item());
  }

  @Test
  void mixSpecsParseWithWeightsAndRememberTheSpec() {
    Problem p = Problems.parse(" mix:quadratic:dim=3,weight=3+rosenbrock:dims=5+simple-multi:weight=0.5 ");
    Mixture m = (Mixture) ((Problems.Specified) p).problem();
    assertEquals(List.of(3.0, 1.0, 0.5), m.weights());
    assertEquals(List.of(new Quadratic(128, 3, 0.01, Quadratic.Distribution.UNIFORM), new Rosenbrock(5, 1, 100, 0),
        new SimpleMulti(2)), m.problems());
    assertEquals("mix:quadratic:dim=3,weight=3+rosenbrock:dims=5+simple-multi:weight=0.5", Problems.specOf(p).get());
    assertTrue(m.name().startsWith("mix(0.6667 quadratic(batch=128, dim=3"), m::name);
    assertEquals(new Quadratic(128, 10, 0.01, Quadratic.Distribution.UNIFORM, 100),
        ((Problems.Specified) Problems.parse("quadratic:conditioning=100")).problem());
    for (String[] bad : new String[][] {{"mix", "expected mix:SPEC+SPEC"}, {"mix:", "expected mix:SPEC+SPEC"},
        {"mix:quadratic:weight=-1", "weight must be a positive number, got -1"},
        {"mix:quadratic:weight=many", "option weight must be a number, got 'many'"},
        {"mix:quadratic+mix:simple", "cannot be a mixture"}, {"mix:quadratic+quadric", "unknown problem 'quadric'"},
        {"mix:quadratic:size=3", "problem quadratic has no option size"}}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Problems.parse(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), e::getMessage);
    }
  }
}
