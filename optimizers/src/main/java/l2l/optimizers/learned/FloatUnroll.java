package l2l.optimizers.learned;

import java.util.Arrays;
import l2l.autodiff.Gemm;

/**
 * {@link LstmUnroll}'s per-block LSTM work in single precision ({@link Precision#FLOAT32}): the
 * same forward and first-order backward pass over the same blocks of coordinates, with
 * activations, gates and matrix products in float arrays. The inputs (the optimizee's gradients,
 * ∂L/∂Δ) arrive in double and are rounded to float; the outputs (Δ, the weight gradients) go
 * back to double, and the weight gradients are summed over steps and blocks in double.
 *
 * <p>Layout as in {@link LstmKernels} (unit-major blocks), with two changes. The input
 * [x_t; h_{t−1}] of layer l at step t is stored once per step followed by a row of ones, and the
 * weights are [W; b] with their columns in the gate order [i; f; o; j]: one product gives the
 * pre-activations with their biases, the three logistic gates are one contiguous run, and each
 * bias gradient is the last row of its weight gradient's product. The gates write h_t straight
 * into the next step's input, so the forward pass keeps no other copy of h.
 *
 * <p>The backward pass computes ∂L/∂[x; h_{t−1}] only where it is used: the x rows for the layer
 * below (none for layer 0, whose input is the optimizee's gradient, a constant in the first-order
 * meta-gradient), the h rows for the step before (none at the truncation's first step).
 */
final class FloatUnroll {
  private static final Loops L = Loops.INSTANCE;

  private final LstmConfig config;
  private final int steps;
  private final int layers;
  private final int[] in, hid;
  private final Block[] blocks;
  private float[][] w; // [layer] (in + h + 1)×4h: [W; b] (b with the forget bias), columns [i; f; o; j]
  private float[] wOut;
  private float bOut;
  private double scale;

  /** Buffers for one block of rows. */
  static final class Block {
    final int r0, rows;
    final float[][][] z, acts, c, tc; // [step][layer]
    final float[][] c0, hLast; // [layer]
    final float[][] x; // [step] the preprocessed input and a row of ones, when there are no LSTM layers
    final double[] features;
    final float[] out;
    final float[][] dh, dc, dGates, dWStep; // [layer]
    final double[][] dW; // [layer] [∂L/∂W; ∂L/∂b], columns [i; f; o; j]
    final double[] dWOut, dbOut;

    Block(LstmConfig cfg, int r0, int rows, int steps) {
      this.r0 = r0;
      this.rows = rows;
      int layers = cfg.hidden().size();
      z = new float[steps][layers][];
      acts = new float[steps][layers][];
      c = new float[steps][layers][];
      tc = new float[steps][layers][];
      c0 = new float[layers][];
      hLast = new float[layers][];
      dh = new float[layers][];
      dc = new float[layers][];
      dGates = new float[layers][];
      dWStep = new float[layers][];
      dW = new double[layers][];
      for (int l = 0; l < layers; l++) {
        int zw = cfg.inputWidth(l) + cfg.hidden().get(l), hw = cfg.hidden().get(l);
        for (int t = 0; t < steps; t++) {
          z[t][l] = withOnes(zw, rows);
          acts[t][l] = new float[4 * hw * rows];
          c[t][l] = new float[hw * rows];
          tc[t][l] = new float[hw * rows];
        }
        c0[l] = new float[hw * rows];
        hLast[l] = withOnes(hw, rows);
        dh[l] = new float[hw * rows];
        dc[l] = new float[hw * rows];
        dGates[l] = new float[4 * hw * rows];
        dWStep[l] = new float[(zw + 1) * 4 * hw];
        dW[l] = new double[(zw + 1) * 4 * hw];
      }
      int width = cfg.preprocess().width();
      x = layers == 0 ? new float[steps][] : null;
      for (int t = 0; layers == 0 && t < steps; t++) x[t] = withOnes(width, rows);
      features = new double[width * rows];
      out = new float[rows];
      dWOut = new double[cfg.outputInputWidth()];
      dbOut = new double[1];
    }
  }

  /** A rows×n array followed by a row of n ones. */
  private static float[] withOnes(int rows, int n) {
    float[] a = new float[(rows + 1) * n];
    Arrays.fill(a, rows * n, (rows + 1) * n, 1f);
    return a;
  }

  /** The column of φ's gates ([i; j; f; o]) that column {@code col} of the float gates ([i; f; o; j]) holds. */
  private static int original(int col, int h) {
    int gate = col / h;
    return (gate == 0 ? 0 : gate == 3 ? 1 : gate + 1) * h + col % h;
  }

  FloatUnroll(LstmConfig config, int n, int steps) {
    this.config = config;
    this.steps = steps;
    this.layers = config.hidden().size();
    in = new int[layers];
    hid = new int[layers];
    for (int l = 0; l < layers; l++) {
      in[l] = config.inputWidth(l);
      hid[l] = config.hidden().get(l);
    }
    int nb = RowParallel.blocks(n);
    blocks = new Block[nb];
    for (int b = 0; b < nb; b++) {
      int r0 = RowParallel.start(n, b);
      blocks[b] = new Block(config, r0, RowParallel.start(n, b + 1) - r0, steps);
    }
  }

  int blocks() {
    return blocks.length;
  }

  /**
   * Takes φ (w[l] (in+h)×4h and b[l] per layer, the output's weights and bias, row-major double)
   * and the LSTM state (h0[l], c0[l]: N×h row-major) for the next truncation.
   */
  void load(double[][] wd, double[][] bd, double[] wOutD, double bOutD, double[][] h0, double[][] c0) {
    w = new float[layers][];
    for (int l = 0; l < layers; l++) {
      int hw = hid[l], zw = in[l] + hw;
      float[] wl = new float[(zw + 1) * 4 * hw];
      for (int col = 0; col < 4 * hw; col++) {
        int from = original(col, hw);
        for (int row = 0; row < zw; row++) wl[row * 4 * hw + col] = (float) wd[l][row * 4 * hw + from];
        wl[zw * 4 * hw + col] = (float) (bd[l][from] + (from / hw == 2 ? config.forgetBias() : 0));
      }
      w[l] = wl;
      for (Block blk : blocks) {
        toBlock(h0[l], hw, blk.r0, blk.rows, blk.z[0][l], in[l] * blk.rows);
        toBlock(c0[l], hw, blk.r0, blk.rows, blk.c0[l], 0);
      }
    }
    wOut = new float[wOutD.length];
    for (int k = 0; k < wOut.length; k++) wOut[k] = (float) wOutD[k];
    bOut = (float) bOutD;
    scale = config.scale();
  }

  /** Step t of block bi: reads ∇f (all N coordinates) and writes the block's Δ into delta. */
  void forward(int bi, int t, double[] g, double[] delta) {
    Block blk = blocks[bi];
    int rows = blk.rows;
    ((Preprocess.Stateless) config.preprocess()).apply(g, blk.r0, blk.r0 + rows, blk.features);
    float[] x0 = layers > 0 ? blk.z[t][0] : blk.x[t];
    for (int i = 0; i < blk.features.length; i++) x0[i] = (float) blk.features[i];
    for (int l = 0; l < layers; l++) {
      int hw = hid[l], zw = in[l] + hw, hn = hw * rows;
      float[] acts = blk.acts[t][l], c = blk.c[t][l], tc = blk.tc[t][l];
      Gemm.sgemm(true, false, 4 * hw, rows, zw + 1, 1f, w[l], blk.z[t][l], 0f, acts);
      float[] hOut = hOut(blk, t, l);
      int hOff = hOffset(blk, t, l);
      float[] cPrev = t > 0 ? blk.c[t - 1][l] : blk.c0[l];
      L.exp(acts, 0, 3 * hn, 20f, -1f);
      L.exp(acts, 3 * hn, hn, 10f, -2f);
      L.cell(acts, hn, cPrev, c, tc, 0, hn);
      L.exp(tc, 0, hn, 10f, -2f);
      L.hidden(acts, hn, tc, hOut, hOff, 0, hn);
      if (l + 1 < layers) System.arraycopy(hOut, hOff, blk.z[t][l + 1], 0, hn);
    }
    float[] top = top(blk, t);
    int topOff = topOffset(blk, t);
    float[] out = blk.out;
    Arrays.fill(out, bOut);
    for (int k = 0; k < wOut.length; k++) L.axpy(rows, wOut[k], top, topOff + k * rows, out, 0);
    for (int r = 0; r < rows; r++) delta[blk.r0 + r] = scale * out[r];
  }

  /** The first-order backward pass of block bi over all steps, given ∂L/∂Δ_s (all N coordinates) per step. */
  void backward(int bi, double[][] adj) {
    Block blk = blocks[bi];
    int rows = blk.rows;
    for (int l = 0; l < layers; l++) {
      Arrays.fill(blk.dh[l], 0f);
      Arrays.fill(blk.dc[l], 0f);
      Arrays.fill(blk.dW[l], 0);
    }
    Arrays.fill(blk.dWOut, 0);
    blk.dbOut[0] = 0;
    float[] dOut = blk.out;
    int width = wOut.length;
    for (int s = steps - 1; s >= 0; s--) {
      double[] a = adj[s];
      for (int r = 0; r < rows; r++) dOut[r] = (float) (scale * a[blk.r0 + r]);
      float[] top = top(blk, s);
      int topOff = topOffset(blk, s);
      for (int k = 0; k < width; k++) blk.dWOut[k] += L.dot(rows, top, topOff + k * rows, dOut, 0);
      blk.dbOut[0] += L.dot(rows, top, topOff + width * rows, dOut, 0); // the row of ones
      if (layers > 0) {
        for (int k = 0; k < width; k++) L.axpy(rows, wOut[k], dOut, 0, blk.dh[layers - 1], k * rows);
      }
      // dh[l] holds ∂L/∂h_l at step s: the carry from step s+1 plus what came from above
      for (int l = layers - 1; l >= 0; l--) {
        int hw = hid[l], zw = in[l] + hw;
        float[] dGates = blk.dGates[l];
        L.gatesBackward(blk.acts[s][l], hw * rows, s > 0 ? blk.c[s - 1][l] : blk.c0[l], blk.tc[s][l], blk.dh[l],
            blk.dc[l], dGates, 0, hw * rows);
        // [∂L/∂W; ∂L/∂b] = [z; 1]·dGatesᵀ
        float[] dWStep = blk.dWStep[l];
        Gemm.sgemm(false, true, zw + 1, 4 * hw, rows, 1f, blk.z[s][l], dGates, 0f, dWStep);
        double[] dW = blk.dW[l];
        for (int i = 0; i < dW.length; i++) dW[i] += dWStep[i];
        if (l > 0) {
          // the x rows of ∂L/∂[x; h]: into the layer below's ∂L/∂h at this step
          Gemm.sgemm(false, false, in[l], rows, 4 * hw, 1f, w[l], 0, dGates, 0, 1f, blk.dh[l - 1], 0);
        }
        if (s > 0) {
          // the h rows: the carry to the step before
          Gemm.sgemm(false, false, hw, rows, 4 * hw, 1f, w[l], in[l] * 4 * hw, dGates, 0, 0f, blk.dh[l], 0);
        }
      }
    }
  }

  /** Adds the blocks' weight gradients, in block order, to the given arrays (layouts as φ's). */
  void addGradients(double[][] dW, double[][] db, double[] dWOut, double[] dbOut) {
    for (Block blk : blocks) {
      for (int l = 0; l < layers; l++) {
        int hw = hid[l], zw = in[l] + hw;
        double[] g = blk.dW[l];
        for (int col = 0; col < 4 * hw; col++) {
          int to = original(col, hw);
          for (int row = 0; row < zw; row++) dW[l][row * 4 * hw + to] += g[row * 4 * hw + col];
          db[l][to] += g[zw * 4 * hw + col];
        }
      }
      for (int k = 0; k < dWOut.length; k++) dWOut[k] += blk.dWOut[k];
      dbOut[0] += blk.dbOut[0];
    }
  }

  /** The LSTM state of layer l after the truncation, N×h row-major, into h and c. */
  void state(int l, double[] h, double[] c) {
    for (Block blk : blocks) {
      fromBlock(blk.hLast[l], hid[l], blk.r0, blk.rows, h);
      fromBlock(blk.c[steps - 1][l], hid[l], blk.r0, blk.rows, c);
    }
  }

  /** Where the gates of layer l at step t write h_t: the next step's input, or the final state. */
  private float[] hOut(Block blk, int t, int l) {
    return t + 1 < steps ? blk.z[t + 1][l] : blk.hLast[l];
  }

  private int hOffset(Block blk, int t, int l) {
    return t + 1 < steps ? in[l] * blk.rows : 0;
  }

  /** The input of the output layer at step t, followed by a row of ones. */
  private float[] top(Block blk, int t) {
    return layers == 0 ? blk.x[t] : hOut(blk, t, layers - 1);
  }

  private int topOffset(Block blk, int t) {
    return layers == 0 ? 0 : hOffset(blk, t, layers - 1);
  }

  /** Rows [r0, r0 + n) of a row-major N×w matrix into a w×n unit-major float block at an offset. */
  private static void toBlock(double[] rowMajor, int w, int r0, int n, float[] block, int blockOffset) {
    for (int r = 0; r < n; r++) {
      int src = (r0 + r) * w;
      for (int k = 0; k < w; k++) block[blockOffset + k * n + r] = (float) rowMajor[src + k];
    }
  }

  /** A w×n unit-major float block back into rows [r0, r0 + n) of a row-major N×w matrix. */
  private static void fromBlock(float[] block, int w, int r0, int n, double[] rowMajor) {
    for (int r = 0; r < n; r++) {
      int dst = (r0 + r) * w;
      for (int k = 0; k < w; k++) rowMajor[dst + k] = block[k * n + r];
    }
  }
}
