package l2l.optimizers.learned;

import l2l.autodiff.Lstm;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * The coordinatewise LSTM with fixed φ, as an {@link Optimizer} made of tensor ops: every
 * coordinate of θ is one column; each layer is the fused {@link Lstm#layer} on its packed state
 * {@code lstmL} ([h; c], 2h×n), and a linear map of the last h (through tanh for the bounded head)
 * gives the update; a stateful preprocessing keeps its state under {@code pre}, and the base step
 * (on θ and ∇ as one 1×n row) its state under {@code base}, its update combined with the LSTM's
 * (an accumulated log learning rate under {@code loglr}).
 * Differentiable in φ, the gradients and the state. LSTM+GAC layers average their last cells over
 * all coordinates before the tanh, in ordinary ops.
 */
record LstmRule(LstmConfig config, Tree phi) implements Optimizer {

  /** The name of the preprocessing's state in this rule's state (absent when it has none). */
  static final String PRE = "pre";
  /** The name of the base step's state in this rule's state (absent without a base). */
  static final String BASE = "base";
  /** The name of the accumulated log learning rate ℓ (1×n) in this rule's state (only with {@link LstmConfig.Base.Combine#ACCUMULATE}). */
  static final String LOG_RATE = "loglr";

  @Override
  public Tree init(Tree params) {
    int n = params.size();
    Tree pre = config.preprocess().init(n);
    Tree s = pre.leafCount() == 0 ? Tree.empty() : Tree.of(PRE, pre);
    if (!config.base().isNone()) s = s.with(BASE, config.base().optimizer().init(Tree.leaf(Tensor.zeros(1, n))));
    if (accumulates()) s = s.with(LOG_RATE, Tensor.zeros(1, n));
    for (int l = 0; l < config.hidden().size(); l++) {
      s = s.with(CoordinatewiseLstm.layerName(l), Tensor.zeros(2 * config.hidden().get(l), n));
    }
    return s;
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    params.requireSameStructure(grads, "LSTM optimizer: the gradients do not fit the parameters");
    int n = params.size();
    Tensor gradRow = grads.flatten().reshape(1, n);
    Preprocess.Step pre = config.preprocess().step(gradRow, state.has(PRE) ? state.get(PRE) : Tree.empty());
    Tensor x = pre.features();
    int in = x.rows();
    Tree next = pre.state().leafCount() == 0 ? Tree.empty() : Tree.of(PRE, pre.state());
    for (int l = 0; l < config.hidden().size(); l++) {
      String name = CoordinatewiseLstm.layerName(l);
      Tensor hc = state.tensor(name);
      if (hc.cols() != n) {
        throw new IllegalArgumentException("LSTM optimizer: the state holds " + hc.cols()
            + " coordinates but the parameters have " + n + " (was the state made by init for these parameters?)");
      }
      Tensor w = phi.tensor(name + "/w"), b = phi.tensor(name + "/b");
      int g = config.averagedCells(l);
      hc = g == 0 ? Lstm.layer(x, in, hc, w, b, config.forgetBias())
          : averagingLayer(in == x.rows() ? x : x.sliceRows(0, in), hc, w, b, g);
      next = next.with(name, hc);
      x = hc;
      in = hc.rows() / 2;
    }
    // the last h straight from its packed state [h; c]: the output weights padded with zeros for c
    Tensor w = phi.tensor("out/w");
    if (x.rows() > in) w = Tensor.concatRows(w, Tensor.zeros(x.rows() - in, 1));
    Tensor v = Tensor.matmul(w, x, true, false).add(phi.tensor("out/b"));
    Tensor delta = (config.head() == LstmConfig.Head.TANH ? v.tanh() : v).mul(config.scale());
    if (!config.base().isNone()) {
      Update base = config.base().optimizer().update(Tree.leaf(gradRow), state.get(BASE),
          Tree.leaf(params.flatten().reshape(1, n)));
      next = next.with(BASE, base.state());
      Tensor step = base.updates().tensor();
      delta = switch (config.base().combine()) {
        case ADD -> delta.add(step);
        case SCALE -> delta.exp().mul(step);
        case ACCUMULATE -> {
          Tensor logRate = state.tensor(LOG_RATE).add(delta);
          next = next.with(LOG_RATE, logRate);
          yield logRate.exp().mul(step);
        }
      };
    }
    return new Update(params.unflatten(delta.reshape(n, 1)), next);
  }

  private boolean accumulates() {
    return !config.base().isNone() && config.base().combine() == LstmConfig.Base.Combine.ACCUMULATE;
  }

  /** A layer whose last {@code g} cells are replaced by their mean over all coordinates before the tanh (GAC). */
  private Tensor averagingLayer(Tensor x, Tensor hc, Tensor w, Tensor b, int g) {
    int h = hc.rows() / 2;
    Tensor p = Tensor.matmul(w, Tensor.concatRows(x, Lstm.hidden(hc)), true, false).add(b.t());
    Tensor i = p.sliceRows(0, h).sigmoid();
    Tensor j = p.sliceRows(h, 2 * h).tanh();
    Tensor f = p.sliceRows(2 * h, 3 * h).add(config.forgetBias()).sigmoid();
    Tensor o = p.sliceRows(3 * h, 4 * h).sigmoid();
    Tensor c = f.mul(Lstm.memory(hc)).add(i.mul(j));
    Tensor averaged = c.sliceRows(h - g, h).rowMeans().broadcastTo(g, c.cols());
    c = g == h ? averaged : Tensor.concatRows(c.sliceRows(0, h - g), averaged);
    return Tensor.concatRows(o.mul(c.tanh()), c);
  }

  /** The architecture (not φ's values). */
  @Override
  public String toString() {
    return "learned(" + config.describe() + ")";
  }
}
