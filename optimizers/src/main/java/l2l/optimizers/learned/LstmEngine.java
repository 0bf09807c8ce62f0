package l2l.optimizers.learned;

import java.lang.ref.SoftReference;
import l2l.autodiff.Tensor;

/**
 * The engine the coordinatewise LSTM registers when its inputs are stateless and its head
 * linear: first-order truncations run {@link LstmUnroll}'s hand-written backward pass, in double or
 * in single precision; everything else (the second-order meta-gradient, φ traced at an enclosing
 * level) goes to the general {@link Engine#reverseMode}, in double. Properties check that both
 * give the same numbers. Each thread keeps its last buffers (softly referenced, so memory pressure
 * frees them).
 */
final class LstmEngine implements Engine {
  private final CoordinatewiseLstm lstm;
  private final Precision precision;
  private final Engine general;
  private final ThreadLocal<SoftReference<LstmUnroll>> buffers = new ThreadLocal<>();

  LstmEngine(CoordinatewiseLstm lstm, Precision precision) {
    this.lstm = lstm;
    this.precision = precision;
    this.general = Engine.reverseMode(lstm);
  }

  /** Whether the hand-written pass covers this architecture. */
  static boolean covers(LstmConfig c) {
    return c.preprocess() instanceof Preprocess.Stateless && c.head() == LstmConfig.Head.LINEAR
        && !c.hasGlobalAveraging() && c.base().isNone();
  }

  @Override
  public Result run(Truncation t) {
    if (t.exact() || t.phi().leaves().exists(Tensor::isTraced)) return general.run(t);
    int n = t.theta().size();
    SoftReference<LstmUnroll> ref = buffers.get();
    LstmUnroll unroll = ref == null ? null : ref.get();
    if (unroll == null || unroll.coordinates() != n || unroll.steps() != t.steps()) {
      unroll = new LstmUnroll(lstm.config(), n, t.steps(), precision);
      buffers.set(new SoftReference<>(unroll));
    }
    LstmUnroll.Result r = unroll.run(t.phi(), t.loss()::valueAndGrad, t.theta(), t.state(), t.first(),
        t.known().getOrNull(), t.stepLoss());
    return new Result(Tensor.scalar(r.metaLoss()), r.phiGrad(), r.theta(), r.state(), r.losses(), r.last());
  }

  @Override
  public String describe() {
    return "hand-written LSTM unroll (" + precision.label() + ")";
  }
}
