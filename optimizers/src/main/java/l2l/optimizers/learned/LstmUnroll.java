package l2l.optimizers.learned;

import java.util.Arrays;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Lstm;
import l2l.autodiff.LstmKernels;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * The first-order meta-gradient of one truncation of the coordinatewise LSTM optimizer, computed
 * by hand-written backpropagation through time over blocks of coordinates.
 *
 * <p>With the optimizee's gradient treated as a constant input (the paper's first-order
 * meta-gradient), the meta-loss L = Σ_{t=0}^{T} f(θ_t) with θ_{t+1} = θ_t + Δ_t has
 * ∂L/∂Δ_s = Σ_{t&gt;s} ∇f(θ_t): no graph of the optimizee is needed, only its gradients. What remains
 * is the LSTM's own backward pass, in which coordinates are independent, so each block of rows
 * runs its whole backward pass on one thread. The result equals the general autodiff path (the
 * tests check it) at a fraction of the cost.
 *
 * <p>The LSTM's arithmetic runs in double precision, or, with {@link Precision#FLOAT32}, in single
 * precision (about twice as fast; θ, the optimizee's gradients and the meta-gradient stay double).
 * Either way the coordinates are split into the same fixed blocks and the blocks' gradients are
 * added in block order, so the result has the same bits at any thread count.
 *
 * <p>An instance keeps work buffers between calls (it is not thread-safe); {@link #run} is
 * otherwise a pure function of its arguments.
 */
public final class LstmUnroll {
  /** The optimizee's loss and gradient at θ on step t. */
  @FunctionalInterface
  public interface Oracle {
    /** f(θ) and ∇f(θ) at step t. */
    ValueAndGrad<Tree> at(Tree theta, int step);
  }

  /**
   * The outcome of a truncation.
   *
   * @param metaLoss Σ_{t=0}^{T} ℓ(f(θ_t)) (ℓ the step loss, the identity by default)
   * @param phiGrad ∂metaLoss/∂φ (first order), with φ's structure
   * @param theta θ_T
   * @param state the LSTM state after T steps
   * @param losses f(θ_0), …, f(θ_T)
   * @param last f and ∇f at θ_T (step first + T), to start the next truncation with
   */
  public record Result(double metaLoss, Tree phiGrad, Tree theta, Tree state, double[] losses, ValueAndGrad<Tree> last) {}

  private final LstmConfig config;
  private final int n;
  private final int steps;
  private final int layers;
  private final Precision precision;
  private final Block[] blocks;
  private final FloatUnroll single;

  /** Buffers for one block of rows. */
  private static final class Block {
    final int r0, rows;
    final double[][][] z, acts, cPrev, tanhC; // [step][layer]
    final double[][] top; // [step] input of the output layer
    final double[][] h, c; // [layer] current state
    final double[][] dh, dc, dGates, dz; // [layer]
    final double[] x, dOut, dTop;
    double[][] dW, db;
    double[] dWOut, dbOut;

    Block(LstmConfig cfg, int r0, int rows, int steps) {
      this.r0 = r0;
      this.rows = rows;
      int layers = cfg.hidden().size();
      z = new double[steps][layers][];
      acts = new double[steps][layers][];
      cPrev = new double[steps][layers][];
      tanhC = new double[steps][layers][];
      top = new double[steps][rows * cfg.outputInputWidth()];
      h = new double[layers][];
      c = new double[layers][];
      dh = new double[layers][];
      dc = new double[layers][];
      dGates = new double[layers][];
      dz = new double[layers][];
      for (int l = 0; l < layers; l++) {
        int in = cfg.inputWidth(l), hw = cfg.hidden().get(l);
        for (int t = 0; t < steps; t++) {
          z[t][l] = new double[rows * (in + hw)];
          acts[t][l] = new double[rows * 4 * hw];
          cPrev[t][l] = new double[rows * hw];
          tanhC[t][l] = new double[rows * hw];
        }
        h[l] = new double[rows * hw];
        c[l] = new double[rows * hw];
        dh[l] = new double[rows * hw];
        dc[l] = new double[rows * hw];
        dGates[l] = new double[rows * 4 * hw];
        dz[l] = new double[rows * (in + hw)];
      }
      x = new double[rows * cfg.preprocess().width()];
      dOut = new double[rows];
      dTop = new double[rows * cfg.outputInputWidth()];
    }
  }

  /**
   * Buffers for truncations of {@code steps} steps over {@code coordinates} coordinates, in double
   * precision.
   *
   * @throws IllegalArgumentException for stateful inputs, the tanh head or LSTM+GAC (use
   *     {@link Engine#reverseMode}), or nonpositive sizes
   */
  public LstmUnroll(LstmConfig config, int coordinates, int steps) {
    this(config, coordinates, steps, Precision.DOUBLE);
  }

  /**
   * Buffers for truncations of {@code steps} steps over {@code coordinates} coordinates, with the
   * LSTM's arithmetic in the given precision.
   *
   * @throws IllegalArgumentException for stateful inputs, the tanh head or LSTM+GAC (use
   *     {@link Engine#reverseMode}), or nonpositive sizes
   */
  public LstmUnroll(LstmConfig config, int coordinates, int steps, Precision precision) {
    if (!LstmEngine.covers(config)) {
      throw new IllegalArgumentException("LstmUnroll covers the LSTM with stateless inputs, the linear head and no"
          + " averaged cells, not " + config.describe() + "; use Engine.reverseMode");
    }
    if (coordinates < 1 || steps < 1) {
      throw new IllegalArgumentException("LstmUnroll: coordinates and steps must be ≥ 1, got " + coordinates + " and "
          + steps);
    }
    this.config = config;
    this.n = coordinates;
    this.steps = steps;
    this.layers = config.hidden().size();
    this.precision = java.util.Objects.requireNonNull(precision, "precision");
    if (precision == Precision.FLOAT32) {
      blocks = null;
      single = new FloatUnroll(config, n, steps);
      return;
    }
    single = null;
    int nb = RowParallel.blocks(n);
    blocks = new Block[nb];
    for (int b = 0; b < nb; b++) {
      int r0 = RowParallel.start(n, b);
      blocks[b] = new Block(config, r0, RowParallel.start(n, b + 1) - r0, steps);
    }
  }

  /** The precision of the LSTM's arithmetic. */
  public Precision precision() {
    return precision;
  }

  /** The number of coordinates these buffers are for. */
  public int coordinates() {
    return n;
  }

  /** The number of steps per truncation. */
  public int steps() {
    return steps;
  }

  /**
   * Runs a truncation of {@link #steps()} steps from θ and the LSTM state, starting at optimizee
   * step {@code firstStep}.
   *
   * @param first f and ∇f at θ on {@code firstStep} if already known (e.g. the previous
   *     truncation's {@link Result#last}), else null
   */
  public Result run(Tree phi, Oracle oracle, Tree theta, Tree state, int firstStep, ValueAndGrad<Tree> first) {
    return run(phi, oracle, theta, state, firstStep, first, StepLoss.LINEAR);
  }

  /**
   * As {@link #run(Tree, Oracle, Tree, Tree, int, ValueAndGrad)}, with the meta-loss
   * Σ_t ℓ(f(θ_t)) for the given step loss ℓ; then ∂L/∂Δ_s = Σ_{t&gt;s} ℓ′(f(θ_t))·∇f(θ_t).
   */
  public Result run(Tree phi, Oracle oracle, Tree theta, Tree state, int firstStep, ValueAndGrad<Tree> first,
      StepLoss stepLoss) {
    if (theta.size() != n) {
      throw new IllegalArgumentException("LstmUnroll: buffers are for " + n + " coordinates, θ has " + theta.size());
    }
    double[][] w = new double[layers][], b = new double[layers][];
    double[][] h0s = new double[layers][], c0s = new double[layers][];
    for (int l = 0; l < layers; l++) {
      String name = CoordinatewiseLstm.layerName(l);
      w[l] = phi.tensor(name + "/w").toArray();
      b[l] = phi.tensor(name + "/b").toArray();
      int hw = config.hidden().get(l);
      Tensor hc = state.tensor(name);
      if (hc.rows() != 2 * hw || hc.cols() != n) {
        throw new IllegalArgumentException("LstmUnroll: the state of layer " + l + " is " + hc.shape() + ", not "
            + 2 * hw + "×" + n);
      }
      double[] h0 = Lstm.hidden(hc).t().toArray(), c0 = Lstm.memory(hc).t().toArray();
      h0s[l] = h0;
      c0s[l] = c0;
      if (single == null) {
        for (Block blk : blocks) {
          LstmKernels.toBlock(h0, hw, blk.r0, blk.rows, blk.h[l], 0);
          LstmKernels.toBlock(c0, hw, blk.r0, blk.rows, blk.c[l], 0);
        }
      }
    }
    double[] wOut = phi.tensor("out/w").toArray();
    double bOut = phi.tensor("out/b").item();
    double scale = config.scale();
    if (single != null) single.load(w, b, wOut, bOut, h0s, c0s);
    int nBlocks = single != null ? single.blocks() : blocks.length;

    double[][] grads = new double[steps + 1][];
    double[] losses = new double[steps + 1];
    ValueAndGrad<Tree> vg = first != null ? first : oracle.at(theta, firstStep);
    losses[0] = vg.value().item();
    grads[0] = vg.grad().flatten().toArray();
    double[] th = theta.flatten().toArray();
    double[] delta = new double[n];
    Tree current = theta;
    for (int t = 0; t < steps; t++) {
      int step = t;
      double[] g = grads[t];
      if (single != null) {
        RowParallel.forEachBlock(nBlocks, bi -> single.forward(bi, step, g, delta));
      } else {
        RowParallel.forEachBlock(nBlocks, bi -> forwardBlock(blocks[bi], step, g, w, b, wOut, bOut, scale, delta));
      }
      for (int i = 0; i < n; i++) th[i] += delta[i];
      current = theta.unflatten(Tensor.fromRowMajor(n, 1, th));
      vg = oracle.at(current, firstStep + t + 1);
      losses[t + 1] = vg.value().item();
      grads[t + 1] = vg.grad().flatten().toArray();
    }
    double metaLoss = 0;
    for (double v : losses) metaLoss += stepLoss.value(v);

    // ∂L/∂Δ_s = Σ_{t>s} g_t
    double[][] adj = new double[steps][];
    double[] acc = new double[n];
    for (int s = steps - 1; s >= 0; s--) {
      double[] gn = grads[s + 1];
      double slope = stepLoss.slope(losses[s + 1]);
      for (int i = 0; i < n; i++) acc[i] += slope * gn[i];
      adj[s] = acc.clone();
    }
    if (single != null) {
      RowParallel.forEachBlock(nBlocks, bi -> single.backward(bi, adj));
    } else {
      RowParallel.forEachBlock(nBlocks, bi -> backwardBlock(blocks[bi], adj, w, wOut, scale));
    }

    double[][] dWs = new double[layers][], dbs = new double[layers][];
    for (int l = 0; l < layers; l++) {
      int in = config.inputWidth(l), hw = config.hidden().get(l);
      dWs[l] = new double[(in + hw) * 4 * hw];
      dbs[l] = new double[4 * hw];
    }
    int width = config.outputInputWidth();
    double[] dWOut = new double[width], dbOut = new double[1];
    if (single != null) {
      single.addGradients(dWs, dbs, dWOut, dbOut);
    } else {
      for (Block blk : blocks) {
        for (int l = 0; l < layers; l++) {
          add(dWs[l], blk.dW[l]);
          add(dbs[l], blk.db[l]);
        }
        add(dWOut, blk.dWOut);
        add(dbOut, blk.dbOut);
      }
    }
    Tree grad = Tree.empty();
    for (int l = 0; l < layers; l++) {
      int in = config.inputWidth(l), hw = config.hidden().get(l);
      grad = grad.with(CoordinatewiseLstm.layerName(l), Tree.of("w", Tensor.fromRowMajor(in + hw, 4 * hw, dWs[l]),
          "b", Tensor.fromRowMajor(1, 4 * hw, dbs[l])));
    }
    grad = grad.with("out", Tree.of("w", Tensor.fromRowMajor(width, 1, dWOut), "b", Tensor.scalar(dbOut[0])));

    Tree nextState = Tree.empty();
    for (int l = 0; l < layers; l++) {
      int hw = config.hidden().get(l);
      double[] h = new double[n * hw], c = new double[n * hw];
      if (single != null) {
        single.state(l, h, c);
      } else {
        for (Block blk : blocks) {
          LstmKernels.fromBlock(blk.h[l], 0, hw, blk.r0, blk.rows, h);
          LstmKernels.fromBlock(blk.c[l], 0, hw, blk.r0, blk.rows, c);
        }
      }
      nextState = nextState.with(CoordinatewiseLstm.layerName(l),
          Tensor.concatRows(Tensor.fromRowMajor(n, hw, h).t(), Tensor.fromRowMajor(n, hw, c).t()));
    }
    return new Result(metaLoss, grad, current, nextState, losses, vg);
  }

  private static void add(double[] into, double[] from) {
    for (int i = 0; i < into.length; i++) into[i] += from[i];
  }

  private void forwardBlock(Block blk, int t, double[] g, double[][] w, double[][] b, double[] wOut, double bOut,
      double scale, double[] delta) {
    int rows = blk.rows;
    int in = config.preprocess().width();
    double[] x;
    if (layers > 0) {
      ((Preprocess.Stateless) config.preprocess()).apply(g, blk.r0, blk.r0 + rows, blk.z[t][0]);
    } else {
      ((Preprocess.Stateless) config.preprocess()).apply(g, blk.r0, blk.r0 + rows, blk.top[t]);
    }
    for (int l = 0; l < layers; l++) {
      int hw = config.hidden().get(l);
      double[] z = blk.z[t][l];
      System.arraycopy(blk.h[l], 0, z, in * rows, hw * rows);
      double[] cp = blk.cPrev[t][l];
      System.arraycopy(blk.c[l], 0, cp, 0, hw * rows);
      LstmKernels.forward(rows, in, hw, z, cp, w[l], b[l], config.forgetBias(), blk.acts[t][l], blk.c[l],
          blk.tanhC[t][l], blk.h[l]);
      if (l + 1 < layers) {
        System.arraycopy(blk.h[l], 0, blk.z[t][l + 1], 0, hw * rows);
      } else {
        System.arraycopy(blk.h[l], 0, blk.top[t], 0, hw * rows);
      }
      in = hw;
    }
    x = blk.top[t];
    double[] out = blk.dOut;
    LstmKernels.output(rows, in, x, wOut, bOut, scale, out);
    System.arraycopy(out, 0, delta, blk.r0, rows);
  }

  private void backwardBlock(Block blk, double[][] adj, double[][] w, double[] wOut, double scale) {
    int rows = blk.rows;
    blk.dW = new double[layers][];
    blk.db = new double[layers][];
    for (int l = 0; l < layers; l++) {
      int in = config.inputWidth(l), hw = config.hidden().get(l);
      blk.dW[l] = new double[(in + hw) * 4 * hw];
      blk.db[l] = new double[4 * hw];
      Arrays.fill(blk.dh[l], 0);
      Arrays.fill(blk.dc[l], 0);
    }
    int width = config.outputInputWidth();
    blk.dWOut = new double[width];
    blk.dbOut = new double[1];
    for (int s = steps - 1; s >= 0; s--) {
      double[] a = adj[s];
      for (int r = 0; r < rows; r++) blk.dOut[r] = scale * a[blk.r0 + r];
      LstmKernels.outputBackward(rows, width, blk.top[s], wOut, blk.dOut, blk.dWOut, blk.dbOut,
          layers > 0 ? blk.dTop : null);
      // dh[l] holds the carry ∂L/∂h_l from step s+1; add the contribution from above
      double[] fromAbove = blk.dTop;
      for (int l = layers - 1; l >= 0; l--) {
        int in = config.inputWidth(l), hw = config.hidden().get(l);
        double[] dh = blk.dh[l];
        for (int i = 0; i < rows * hw; i++) dh[i] += fromAbove[i];
        LstmKernels.backward(rows, in, hw, blk.z[s][l], blk.acts[s][l], blk.cPrev[s][l], blk.tanhC[s][l], w[l], dh,
            blk.dc[l], blk.dGates[l], blk.dz[l], blk.dW[l], blk.db[l]);
        System.arraycopy(blk.dz[l], in * rows, dh, 0, hw * rows);
        fromAbove = blk.dz[l];
      }
    }
  }
}
