package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import io.vavr.collection.Set;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import org.junit.jupiter.api.Test;

/** Comparison: identical tasks for every entry, disjoint tuning and test tasks, tuned baselines, the table. */
class ComparisonTest {
  static final double[] GRID = Tuning.halfDecades(1e-3, 1);

  /** An optimizer that records the θ₀ of every run it starts (runs go in parallel). */
  record Spy(Optimizer inner, ConcurrentLinkedQueue<List<Double>> starts) implements Optimizer {
    @Override
    public Tree init(Tree params) {
      starts.add(List.ofAll(params.flatten().toArray()));
      return inner.init(params);
    }

    @Override
    public Update update(Tree grads, Tree state, Tree params) {
      return inner.update(grads, state, params);
    }
  }

  @Test
  void everyEntryRunsOnTheSameTasksWithTheSameStartingPoints() {
    long[] test = Comparison.testSeeds(3, 5);
    Spy a = new Spy(Optimizers.adam(0.1), new ConcurrentLinkedQueue<>());
    Spy b = new Spy(Optimizers.sgd(0.01), new ConcurrentLinkedQueue<>());
    Spy c = new Spy(Optimizers.adam(0.1), new ConcurrentLinkedQueue<>());
    List<Evaluation.Summary> s = Comparison.run(Fixtures.TINY, 15, test,
        List.of(Comparison.Entry.of("a", a), Comparison.Entry.of("b", b), Comparison.Entry.of("c", c)));
    Set<List<Double>> expected = HashSet.ofAll(Arrays.stream(test).mapToObj(
        seed -> List.ofAll(Fixtures.TINY.sample(seed).init().flatten().toArray())));
    assertEquals(5, expected.size());
    for (Spy spy : List.of(a, b, c)) {
      assertEquals(5, spy.starts().size());
      assertEquals(expected, HashSet.ofAll(spy.starts()), "the same θ₀'s, one per test seed");
    }
    assertArrayEquals(s.get(0).meanCurve(), s.get(2).meanCurve(), 0.0, "the same rule on the same tasks, the same curve");
    assertEquals(List.of("a", "b", "c"), s.map(Evaluation.Summary::name));
  }

  @Test
  void tuningTasksAndTestTasksAreDisjoint() {
    Set<Long> tuning = HashSet.ofAll(Arrays.stream(Comparison.tuningSeeds(1, 200)).boxed().toList());
    Set<Long> test = HashSet.ofAll(Arrays.stream(Comparison.testSeeds(1, 200)).boxed().toList());
    assertEquals(200, tuning.size());
    assertTrue(tuning.intersect(test).isEmpty());
  }

  @Test
  void tunedBaselinesAreTheFourPaperBaselinesEachAtItsBestLearningRate() {
    long[] tuning = Comparison.tuningSeeds(2, 3);
    List<Tuning.Result> tuned = Comparison.tuneBaselines(Fixtures.TINY, 20, tuning, GRID);
    List<Comparison.Entry> entries = Comparison.entries(tuned);
    assertEquals(List.of("SGD", "NAG", "RMSprop", "Adam"), entries.map(Comparison.Entry::name));
    for (int i = 0; i < 4; i++) {
      assertEquals(tuned.get(i).bestLr(), entries.get(i).lr());
      double direct = Evaluation.meanFinalLoss(Fixtures.TINY, entries.get(i).optimizer(), 20, tuning);
      assertEquals(tuned.get(i).bestScore(), direct, 0.0, entries.get(i).name() + " is built at its best lr");
    }
    assertTrue(entries.get(1).optimizer().describe().contains("beta=0.9"), entries.get(1).optimizer().describe());
    assertTrue(entries.get(2).optimizer().describe().contains("alpha=0.99"), entries.get(2).optimizer().describe());
    assertTrue(entries.get(3).optimizer().describe().contains("b2=0.999"), entries.get(3).optimizer().describe());
  }

  @Test
  void theTableHasAHeaderAndOneRowPerEntryWithItsNumbers() {
    List<Comparison.Entry> entries = List.of(Comparison.Entry.of("learned", Optimizers.adam(0.1)),
        new Comparison.Entry("Adam", Optimizers.adam(0.01), 0.01));
    List<Evaluation.Summary> s = Comparison.run(Fixtures.TINY, 30, Comparison.testSeeds(4, 4), entries);
    String table = Comparison.table(entries, s, 10, 20, 99);
    String[] lines = table.split("\n");
    assertEquals(3, lines.length, table);
    assertTrue(lines[0].contains("f(θ_10)") && lines[0].contains("f(θ_20)") && !lines[0].contains("f(θ_99)"), lines[0]);
    assertTrue(lines[1].startsWith("learned") && lines[1].contains("–"), lines[1]);
    assertTrue(lines[2].startsWith("Adam") && lines[2].contains("0.0100"), lines[2]);
    assertTrue(lines[2].contains(String.format(java.util.Locale.ROOT, "%.3f", Math.log10(s.get(1).meanFinal()))), table);
  }
}
