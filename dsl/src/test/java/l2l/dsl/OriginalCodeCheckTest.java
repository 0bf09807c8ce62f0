package l2l.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.problems.Simple;
import org.junit.jupiter.api.Test;

/**
 * A port of the original code's reproducibility check (meta_test.py, testResults): the
 * {@code simple} problem f = x² from x = 1, a learned optimizer with no LSTM layers and zero
 * weights (Δ = w·g + b), unroll 5, meta-Adam with learning rate 0.01, one epoch of two unrolls. The
 * original compares the cost f(x) at the end of the second unroll with 0.7325327 and x with
 * 0.8559, both to four places.
 *
 * <p>l2l computes in double precision and gets 0.73253262 (x = 0.85588120); the original's
 * seventh digit comes from float32 rounding (the same steps in float32 give 0.73253274, x =
 * 0.8558813). So the cost is checked to 1e-6 — every digit that double and float32 share — and
 * x to the printed four places.
 */
class OriginalCodeCheckTest {
  @Test
  void theLinearOptimizerOnSimpleReproducesTheOriginalCost() {
    for (MetaGradient mode : new MetaGradient[] {MetaGradient.FIRST_ORDER, MetaGradient.SECOND_ORDER}) {
      for (boolean fast : new boolean[] {true, false}) {
        CoordinatewiseLstm linear = CoordinatewiseLstm.of(LstmConfig.linear());
        MetaTask meta = Fixtures.task(fast ? linear : linear.generalEngineOnly(), new Simple(), 10, 5, mode, 0);
        Minimize.State<MetaTask.State> second = Minimize.minimize(meta, Optimizers.adam(0.01)).get(1);
        MetaTask.State after = second.result().next();
        String where = mode + (fast ? "" : ", general path");
        assertEquals(0.7325327, after.lastLoss(), 1e-6, where);
        assertEquals(0.8559, after.theta().tensor("x").item(), 5e-5, where);
        assertEquals(1, after.epoch(), "one epoch of two unrolls ends the epoch");
      }
    }
  }
}
