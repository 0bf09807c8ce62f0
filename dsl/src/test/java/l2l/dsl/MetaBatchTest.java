package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Iterator;
import io.vavr.collection.List;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Optimizers;
import l2l.optimizers.Transforms;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.RowParallel;
import org.junit.jupiter.api.Test;

/** Meta-batches: B = 1 is the meta task, a meta-step sums the tasks in order, the same bits at any thread count. */
class MetaBatchTest {
  private static final MetaTask META = Fixtures.meta(Fixtures.RAW, 4);

  private static double[] bits(Tree t) {
    return t.flatten().toArray();
  }

  @Test
  void aMetaBatchOfOneIsTheMetaTaskBitForBit() {
    for (MetaTask t : new MetaTask[] {META, META.withMetaGradient(new MetaGradient.Pes(0.01, 2))}) {
      Optimizer adam = Transforms.applyIfFinite(Optimizers.adam(0.01));
      Iterator<Minimize.State<MetaTask.State>> one = Minimize.states(t, adam);
      Iterator<Minimize.State<MetaBatch.State>> batch = Minimize.states(new MetaBatch(t, 1, MetaBatch.Workers.LOCAL),
          adam);
      for (int step = 0; step < 3 * t.truncationsPerEpoch() + 1; step++) {
        Minimize.State<MetaTask.State> a = one.next();
        Minimize.State<MetaBatch.State> b = batch.next();
        assertArrayEquals(bits(a.params()), bits(b.params()), 0.0, t.metaGradient().label() + " step " + step);
        assertEquals(a.loss(), b.loss(), 0.0);
        assertEquals(a.result().next().epoch(), b.result().next().epoch());
        assertEquals(a.result().next().lastLoss(), b.result().next().lastLoss(), 0.0);
      }
    }
  }

  @Test
  void aMetaStepSumsTheMetaLossesAndGradientsOfItsTasksInTaskOrder() {
    MetaBatch batch = new MetaBatch(META, 3, MetaBatch.Workers.LOCAL);
    Tree phi = META.init();
    MetaBatch.State s = batch.startOfEpoch(1);
    MetaTask.State[] alone = {META.startOfEpoch(3), META.startOfEpoch(4), META.startOfEpoch(5)};
    for (int k = 0; k < META.truncationsPerEpoch(); k++) {
      Objective.Step<MetaBatch.State> r = batch.step(phi, s, k);
      Tensor loss = null;
      Tree grad = null;
      for (int b = 0; b < 3; b++) {
        Objective.Step<MetaTask.State> x = META.step(phi, alone[b], k);
        loss = loss == null ? x.loss() : loss.add(x.loss());
        grad = grad == null ? x.grad() : grad.plus(x.grad());
        alone[b] = x.next();
      }
      assertEquals(loss.item(), r.loss().item(), 0.0, "truncation " + k);
      assertArrayEquals(bits(grad), bits(r.grad()), 0.0);
      s = r.next();
    }
    assertEquals(new MetaBatch.State(2, 0, s.tasks()), s, "the epoch ends after its truncations");
  }

  @Test
  void aTaskThatDivergesSkipsItsMetaStepAndSitsOutTheRestOfTheEpoch() {
    java.util.List<List<Integer>> asked = new java.util.ArrayList<>();
    MetaBatch.Workers breakTask1 = (task, size, phi, tasks) -> {
      asked.add(tasks.map(MetaTask.State::epoch));
      return MetaBatch.Workers.LOCAL.step(task, size, phi, tasks).zipWith(tasks, (r, in) -> in.epoch() != 1 ? r
          : new Objective.Step<>(Tensor.scalar(Double.NaN), r.grad().times(Double.NaN),
              new MetaTask.State(2, 0, null, null, null, null, r.next().losses(), Double.NaN, null, null)));
    };
    MetaBatch batch = new MetaBatch(META, 3, breakTask1);
    MetaBatch.State s = batch.start();
    Objective.Step<MetaBatch.State> first = batch.step(META.init(), s, 0);
    assertTrue(Double.isNaN(first.loss().item()));
    s = first.next();
    while (s.epoch() == 0) s = batch.step(META.init(), s, 0).next();
    assertEquals(List.of(0, 1, 2), asked.get(0));
    assertEquals(List.of(0, 2), asked.get(1), "task 1 sits out");
    assertEquals(META.truncationsPerEpoch(), asked.size(), "the others finish the epoch");
  }

  @Test
  void aMetaBatchRunHasTheSameBitsOnOneThreadAndOnTwo() {
    MetaTraining.Plan plan = Fixtures.plan(2, 2).withMetaBatch(4);
    int threads = RowParallel.threads();
    try {
      RowParallel.setThreads(1);
      Tree one = MetaTraining.run(META, Optimizers.adam(0.01), plan).phi();
      RowParallel.setThreads(2);
      Tree two = MetaTraining.run(META, Optimizers.adam(0.01), plan).phi();
      assertArrayEquals(bits(one), bits(two), 0.0);
      assertTrue(!java.util.Arrays.equals(bits(one), bits(MetaTraining.run(META, Optimizers.adam(0.01),
          plan.withMetaBatch(1)).phi())), "a meta-batch of 4 is another run than one of 1");
    } finally {
      RowParallel.setThreads(threads);
    }
  }

  @Test
  void aResumedMetaBatchRunEndsWhereAnUninterruptedOneEnds() {
    MetaTraining.Plan plan = Fixtures.plan(4, 2).withMetaBatch(2);
    MetaTraining.Snapshot whole = MetaTraining.run(META, Optimizers.adam(0.01), plan);
    MetaTraining.Snapshot cut = MetaTraining.run(META, Optimizers.adam(0.01), plan.withEpochs(2));
    MetaTraining.Snapshot resumed = MetaTraining.resume(META, Optimizers.adam(0.01), plan, cut);
    assertArrayEquals(bits(whole.phi()), bits(resumed.phi()), 0.0);
    assertArrayEquals(bits(whole.metaOptState()), bits(resumed.metaOptState()), 0.0);
  }
}
