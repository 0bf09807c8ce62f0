package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.HashMap;
import org.junit.jupiter.api.Test;

/** The registry: names, options and their errors (only data-free problems are built here). */
class ProblemsTest {

  @Test
  void registryKnowsThePapersProblems() {
    for (String n : new String[] {"simple", "simple-multi", "quadratic", "quadratic-gaussian", "rosenbrock",
        "noisy-quadratic", "mnist", "mnist-40", "mnist-2layer", "mnist-relu", "fashion-mnist", "cifar", "conv",
        "neural-art"}) {
      assertTrue(Problems.names().contains(n), n);
      assertTrue(Problems.help().contains(n), n);
    }
  }

  @Test
  void specsBuildProblemsWithTheirOptionsAndRememberTheSpec() {
    assertEquals(Quadratic.defaults(), parsed("quadratic"));
    assertEquals(new Quadratic(16, 3, 0.5, Quadratic.Distribution.GAUSSIAN),
        parsed("quadratic:batch=16, dim=3,init-std=0.5,dist=gaussian"));
    assertEquals(Quadratic.gaussian(), parsed("quadratic-gaussian"));
    assertEquals(new SimpleMulti(4), Problems.create("simple-multi", HashMap.of("dims", "4")));
    assertEquals(new Rosenbrock(5, 1, 100, 0), parsed("rosenbrock:dims=5"));
    assertEquals(new Simple(), parsed("SIMPLE"));
    Problem p = Problems.parse(" quadratic:dim=3 ");
    assertEquals("quadratic:dim=3", Problems.specOf(p).get());
    assertEquals(new Quadratic(128, 3, 0.01, Quadratic.Distribution.UNIFORM).name(), p.name());
    assertTrue(Problems.specOf(Quadratic.defaults()).isEmpty(), "a problem made otherwise has no spec");
  }

  private static Problem parsed(String spec) {
    return ((Problems.Specified) Problems.parse(spec)).problem();
  }

  @Test
  void unknownNamesAndOptionsAreErrorsListingTheKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Problems.parse("quadric"));
    assertTrue(e.getMessage().contains("unknown problem 'quadric'") && e.getMessage().contains("quadratic, "),
        e::getMessage);
    e = assertThrows(IllegalArgumentException.class, () -> Problems.parse("quadratic:size=3"));
    assertTrue(e.getMessage().contains("no option size") && e.getMessage().contains("batch, dim, init-std, dist"),
        e::getMessage);
    e = assertThrows(IllegalArgumentException.class, () -> Problems.parse("quadratic:batch=many"));
    assertTrue(e.getMessage().contains("batch must be an integer, got 'many'"), e::getMessage);
    e = assertThrows(IllegalArgumentException.class, () -> Problems.parse("quadratic:dist=cauchy"));
    assertTrue(e.getMessage().contains("uniform or gaussian"), e::getMessage);
    e = assertThrows(IllegalArgumentException.class, () -> Problems.parse("quadratic:batch"));
    assertTrue(e.getMessage().contains("key=value"), e::getMessage);
    assertTrue(Problems.tryParse("nothing").isFailure());
  }

  @Test
  void listOptionsSplitOnXAndPlus() {
    var o = new Problems.Options("p", HashMap.of("a", "20x20", "b", "none", "c", "astronaut+camera", "d", "2x"));
    assertEquals(io.vavr.collection.List.of(20, 20), o.integers("a"));
    assertTrue(o.integers("b").isEmpty());
    assertEquals(io.vavr.collection.List.of("astronaut", "camera"), o.names("c"));
    assertEquals(io.vavr.collection.List.of(2), o.integers("d"));
  }
}
