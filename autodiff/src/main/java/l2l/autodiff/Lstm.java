package l2l.autodiff;

/**
 * The LSTM cell as one fused op, for batches with one row per sequence (for a coordinatewise
 * optimizer: one row per coordinate).
 *
 * <p>Gates follow Sonnet's LSTM, in the column order [i, j, f, o]: with p = gates + bias,
 * c' = σ(p_f + forgetBias)·c + σ(p_i)·tanh(p_j) and h' = σ(p_o)·tanh(c'). The same cell written
 * with {@link Tensor#sliceCols}, {@link Tensor#sigmoid}, {@link Tensor#tanh} and friends makes
 * about twenty passes over the batch and as many arrays; {@link #cell} makes one pass forward
 * and one backward.
 *
 * <p>Derivatives of every order work. The first-order backward pass runs a fused kernel on the
 * activations saved by the forward pass; when the backward pass is itself being differentiated
 * (an input or the cotangent is traced at an enclosing level), the vector-Jacobian product is
 * built from ordinary tensor ops instead, so it can be differentiated again.
 */
public final class Lstm {
  private Lstm() {}

  /** The new hidden and cell state of a cell, each n×h. */
  public record State(Tensor h, Tensor c) {}

  /**
   * One cell step from pre-activations.
   *
   * @param gates n×4h pre-activations [i, j, f, o] (e.g. [x, h]·W), without the bias
   * @param bias 1×4h
   * @param c the previous cell state, n×h
   * @param forgetBias added to the forget gate's pre-activation
   * @return n×2h: [h' | c']
   * @throws ShapeException if the shapes do not fit together
   */
  public static Tensor cell(Tensor gates, Tensor bias, Tensor c, double forgetBias) {
    int n = c.rows(), h = c.cols();
    if (gates.rows() != n || gates.cols() != 4 * h) {
      throw new ShapeException("Lstm.cell: gates must be " + n + "×" + 4 * h + " (the cell state is " + c.shape()
          + "), got " + gates.shape());
    }
    if (bias.rows() != 1 || bias.cols() != 4 * h) {
      throw new ShapeException("Lstm.cell: bias must be 1×" + 4 * h + ", got " + bias.shape());
    }
    Tensor[] inputs = {gates, bias, c};
    boolean traced = Tag.liveUnion(inputs).length > 0;
    double[] y = new double[n * 2 * h];
    // activations i, j, f, o, tanh(c') per row, kept for the fused backward pass if traced
    double[] acts = new double[(traced ? n : 1) * 5 * h];
    CellLoops.INSTANCE.forward(n, h, gates.data(), 0, withForgetBias(bias.data(), h, forgetBias), scales(h),
        c.data(), 0, acts, traced, y, 0, 2 * h, y, h, 2 * h);
    Vjp vjp = traced
        ? (ct, out, need) -> ct.isTraced() || gates.isTraced() || bias.isTraced() || c.isTraced()
            ? composedVjp(gates, bias, c, forgetBias, ct, need)
            : fusedVjp(n, h, acts, c, ct, need)
        : null;
    return Tensor.make("lstmCell", n, 2 * h, y, vjp, inputs);
  }

  /**
   * One layer step: gates = [x, h]·w, then {@link #cell}.
   *
   * @param x n×in inputs
   * @param h n×units hidden state
   * @param c n×units cell state
   * @param w (in + units)×4·units weights
   * @param bias 1×4·units
   */
  public static State step(Tensor x, Tensor h, Tensor c, Tensor w, Tensor bias, double forgetBias) {
    int units = c.cols();
    Tensor y = cell(Tensor.concatCols(x, h).matmul(w), bias, c, forgetBias);
    return new State(y.sliceCols(0, units), y.sliceCols(units, 2 * units));
  }

  /**
   * The cell on plain row-major arrays, for code that keeps its own buffers (e.g. a learned
   * optimizer's untraced step): for rows r &lt; n, gates[gOff + r·4h ..] (pre-activations without
   * bias) and c[cOff + r·h ..] give h' in hOut[hOff + r·h ..] and c' in cOut[cOutOff + r·h ..]
   * (the same values as {@link #cell}). No graph is recorded.
   */
  public static void cellRows(int n, int h, double[] gates, int gOff, double[] bias, double forgetBias, double[] c,
      int cOff, double[] hOut, int hOff, double[] cOut, int cOutOff) {
    if (bias.length != 4 * h) {
      throw new ShapeException("Lstm.cellRows: bias must hold 4·" + h + " = " + 4 * h + " values, got " + bias.length);
    }
    requireRange("gates", gates, gOff, (long) n * 4 * h);
    requireRange("c", c, cOff, (long) n * h);
    requireRange("hOut", hOut, hOff, (long) n * h);
    requireRange("cOut", cOut, cOutOff, (long) n * h);
    CellLoops.INSTANCE.forward(n, h, gates, gOff, withForgetBias(bias, h, forgetBias), scales(h), c, cOff,
        new double[5 * h], false, hOut, hOff, h, cOut, cOutOff, h);
  }

  private static void requireRange(String name, double[] a, int offset, long length) {
    if (offset < 0 || offset + length > a.length) {
      throw new ShapeException("Lstm.cellRows: " + name + " needs " + length + " values from offset " + offset
          + ", but its array holds " + a.length);
    }
  }

  private static double[] withForgetBias(double[] b, int h, double forgetBias) {
    double[] bias = b.clone();
    for (int u = 0; u < h; u++) bias[2 * h + u] += forgetBias;
    return bias;
  }

  /** −1 on the logistic columns, −2 on the tanh (j) columns. */
  private static double[] scales(int h) {
    double[] scale = new double[4 * h];
    java.util.Arrays.fill(scale, -1.0);
    java.util.Arrays.fill(scale, h, 2 * h, -2.0);
    return scale;
  }

  /** The first-order VJP from the saved activations, in one pass. */
  private static Tensor[] fusedVjp(int n, int h, double[] acts, Tensor cPrev, Tensor cotangent, boolean[] need) {
    double[] dGates = new double[n * 4 * h];
    double[] dc = need[2] ? new double[n * h] : null;
    CellLoops.INSTANCE.backward(n, h, acts, cPrev.data(), cotangent.data(), dGates, dc);
    Tensor dg = Tensor.own(n, 4 * h, dGates);
    return new Tensor[] {
        need[0] ? dg : null,
        need[1] ? dg.colSums() : null,
        dc != null ? Tensor.own(n, h, dc) : null};
  }

  /** The VJP in tensor ops, differentiable again (for derivatives of higher order). */
  private static Tensor[] composedVjp(Tensor gates, Tensor bias, Tensor c, double forgetBias, Tensor ct,
      boolean[] need) {
    int h = c.cols();
    Tensor p = gates.add(bias);
    Tensor i = p.sliceCols(0, h).sigmoid();
    Tensor j = p.sliceCols(h, 2 * h).tanh();
    Tensor f = p.sliceCols(2 * h, 3 * h).add(forgetBias).sigmoid();
    Tensor o = p.sliceCols(3 * h, 4 * h).sigmoid();
    Tensor tc = f.mul(c).add(i.mul(j)).tanh();
    Tensor dh = ct.sliceCols(0, h);
    Tensor dc = ct.sliceCols(h, 2 * h).add(dh.mul(o).mul(tc.square().rsub(1)));
    Tensor dg = Tensor.concatCols(
        dc.mul(j).mul(i.mul(i.rsub(1))),
        dc.mul(i).mul(j.square().rsub(1)),
        dc.mul(c).mul(f.mul(f.rsub(1))),
        dh.mul(tc).mul(o.mul(o.rsub(1))));
    return new Tensor[] {
        need[0] ? dg : null,
        need[1] ? dg.colSums() : null,
        need[2] ? dc.mul(f) : null};
  }
}
