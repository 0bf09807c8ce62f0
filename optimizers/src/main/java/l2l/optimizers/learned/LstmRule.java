package l2l.optimizers.learned;

import io.vavr.collection.List;
import l2l.autodiff.Gemm;
import l2l.autodiff.Lstm;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * The coordinatewise LSTM with fixed φ, as an {@link Optimizer}. Its state holds each layer's
 * hidden and cell state, one row per coordinate ({@code lstm0/h, lstm0/c, …}). When nothing is
 * traced it runs array kernels over blocks of coordinates on {@link RowParallel}'s threads;
 * otherwise it is made of tensor ops (the fused {@link Lstm#cell} for plain layers) and is
 * differentiable in φ, the gradients and the state.
 */
record LstmRule(LstmConfig config, Tree phi) implements Optimizer {

  @Override
  public Tree init(Tree params) {
    int n = params.size();
    Tree s = Tree.empty();
    for (int l = 0; l < config.hidden().size(); l++) {
      int h = config.hidden().get(l);
      s = s.with(CoordinatewiseLstm.layerName(l), Tree.of("h", Tensor.zeros(n, h), "c", Tensor.zeros(n, h)));
    }
    return s;
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    params.requireSameStructure(grads, "LSTM optimizer: the gradients do not fit the parameters");
    int n = params.size();
    for (int l = 0; l < config.hidden().size(); l++) {
      Tensor h = state.tensor(CoordinatewiseLstm.layerName(l) + "/h");
      if (h.rows() != n) {
        throw new IllegalArgumentException("LSTM optimizer: the state holds " + h.rows()
            + " coordinates but the parameters have " + n + " (was the state made by init for these parameters?)");
      }
    }
    boolean traced = grads.leaves().exists(Tensor::isTraced) || state.leaves().exists(Tensor::isTraced)
        || phi.leaves().exists(Tensor::isTraced);
    return traced || config.hasGlobalAveraging() ? traced(grads, state, params) : fast(grads, state, params);
  }

  private Update traced(Tree grads, Tree state, Tree params) {
    Tensor x = config.preprocess().apply(grads.flatten());
    Tree next = Tree.empty();
    for (int l = 0; l < config.hidden().size(); l++) {
      String name = CoordinatewiseLstm.layerName(l);
      int h = config.hidden().get(l);
      Tensor hPrev = state.tensor(name + "/h");
      Tensor cPrev = state.tensor(name + "/c");
      int g = config.averagedCells(l);
      if (g == 0) {
        // the fused cell: one pass forward and back, differentiable to any order
        Lstm.State s = Lstm.step(x, hPrev, cPrev, phi.tensor(name + "/w"), phi.tensor(name + "/b"), config.forgetBias());
        next = next.with(name, Tree.of("h", s.h(), "c", s.c()));
        x = s.h();
        continue;
      }
      Tensor gates = Tensor.concatCols(x, hPrev).matmul(phi.tensor(name + "/w")).add(phi.tensor(name + "/b"));
      Tensor i = gates.sliceCols(0, h).sigmoid();
      Tensor j = gates.sliceCols(h, 2 * h).tanh();
      Tensor f = gates.sliceCols(2 * h, 3 * h).add(config.forgetBias()).sigmoid();
      Tensor o = gates.sliceCols(3 * h, 4 * h).sigmoid();
      Tensor c = f.mul(cPrev).add(i.mul(j));
      Tensor averaged = c.sliceCols(h - g, h).colMeans().broadcastTo(c.rows(), g);
      c = g == h ? averaged : Tensor.concatCols(c.sliceCols(0, h - g), averaged);
      Tensor hn = o.mul(c.tanh());
      next = next.with(name, Tree.of("h", hn, "c", c));
      x = hn;
    }
    Tensor delta = x.matmul(phi.tensor("out/w")).add(phi.tensor("out/b")).mul(config.scale());
    return new Update(params.unflatten(delta), next);
  }

  /** Work arrays of one thread for {@link #fast}, grown on demand. */
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

  private static double[] scratch(int which, int size) {
    double[][] s = SCRATCH.get();
    if (s[which].length < size) s[which] = new double[size];
    return s[which];
  }

  /**
   * The untraced step on plain arrays, block by block on {@link RowParallel}'s threads. The state
   * stays row-major (one row per coordinate) throughout: each layer multiplies the block's rows of
   * [x, hPrev] by W in one product and runs the fused cell ({@link Lstm#cellRows}) straight into
   * the next state's rows.
   */
  private Update fast(Tree grads, Tree state, Tree params) {
    int n = params.size();
    double[] g = grads.flatten().toArray();
    int layers = config.hidden().size();
    double[][] w = new double[layers][], b = new double[layers][];
    double[][] hPrev = new double[layers][], cPrev = new double[layers][];
    double[][] hNext = new double[layers][], cNext = new double[layers][];
    for (int l = 0; l < layers; l++) {
      String name = CoordinatewiseLstm.layerName(l);
      int h = config.hidden().get(l);
      w[l] = phi.tensor(name + "/w").toArray();
      b[l] = phi.tensor(name + "/b").toArray();
      hPrev[l] = state.tensor(name + "/h").toArray();
      cPrev[l] = state.tensor(name + "/c").toArray();
      hNext[l] = new double[n * h];
      cNext[l] = new double[n * h];
    }
    double[] wOut = phi.tensor("out/w").toArray();
    double bOut = phi.tensor("out/b").item();
    int width = config.outputInputWidth();
    double scale = config.scale();
    double[] delta = new double[n];
    RowParallel.forEachBlock(RowParallel.blocks(n), blk -> {
      int r0 = RowParallel.start(n, blk), rows = RowParallel.start(n, blk + 1) - r0;
      int in = config.preprocess().width();
      double[] features = scratch(0, rows * in);
      config.preprocess().apply(g, r0, r0 + rows, features);
      // the current input, row-major: the features (transposed below) or the previous layer's h'
      double[] x = features;
      int xOff = 0;
      boolean featureMajor = true;
      for (int l = 0; l < layers; l++) {
        int h = config.hidden().get(l), zw = in + h;
        double[] z = scratch(1, rows * zw), gates = scratch(2, rows * 4 * h);
        for (int r = 0; r < rows; r++) {
          if (featureMajor) {
            for (int k = 0; k < in; k++) z[r * zw + k] = x[k * rows + r];
          } else {
            System.arraycopy(x, xOff + r * in, z, r * zw, in);
          }
          System.arraycopy(hPrev[l], (r0 + r) * h, z, r * zw + in, h);
        }
        Gemm.gemm(false, false, rows, 4 * h, zw, 1.0, z, w[l], 0.0, gates);
        Lstm.cellRows(rows, h, gates, 0, b[l], config.forgetBias(), cPrev[l], r0 * h, hNext[l], r0 * h, cNext[l],
            r0 * h);
        x = hNext[l];
        xOff = r0 * h;
        featureMajor = false;
        in = h;
      }
      for (int r = 0; r < rows; r++) {
        double acc = bOut;
        if (featureMajor) {
          for (int k = 0; k < width; k++) acc += wOut[k] * x[k * rows + r];
        } else {
          for (int k = 0; k < width; k++) acc += wOut[k] * x[xOff + r * width + k];
        }
        delta[r0 + r] = acc * scale;
      }
    });
    Tree next = Tree.empty();
    for (int l = 0; l < layers; l++) {
      int h = config.hidden().get(l);
      next = next.with(CoordinatewiseLstm.layerName(l),
          Tree.of("h", Tensor.fromRowMajor(n, h, hNext[l]), "c", Tensor.fromRowMajor(n, h, cNext[l])));
    }
    return new Update(params.unflatten(Tensor.fromRowMajor(n, 1, delta)), next);
  }

  /** The layer widths, for messages. */
  List<Integer> widths() {
    return config.hidden();
  }

  /** The architecture (not φ's values). */
  @Override
  public String toString() {
    return "learned(" + config.describe() + ")";
  }
}
