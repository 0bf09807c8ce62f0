package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Iterator;
import l2l.optimizers.Optimizers;
import org.junit.jupiter.api.Test;

/** {@link Minimize#states}: the stream's states, one at a time, without memoization. */
class MinimizeTest {
  @Test
  void theUnmemoizedStatesAreTheStreamsStates() {
    MetaTask meta = Fixtures.meta(Fixtures.RAW, 2);
    Iterator<Minimize.State<MetaTask.State>> a = Minimize.minimize(meta, Optimizers.adam(0.01)).iterator();
    Iterator<Minimize.State<MetaTask.State>> b = Minimize.states(meta, Optimizers.adam(0.01));
    for (int t = 0; t < 6; t++) {
      Minimize.State<MetaTask.State> x = a.next(), y = b.next();
      assertEquals(x.step(), y.step());
      assertArrayEquals(x.params().flatten().toArray(), y.params().flatten().toArray(), 0.0);
      assertArrayEquals(x.result().grad().flatten().toArray(), y.result().grad().flatten().toArray(), 0.0);
      assertEquals(x.loss(), y.loss());
    }
  }
}
