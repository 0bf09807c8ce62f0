package l2l.autodiff;

import java.util.function.Function;

/**
 * The LSTM cell and layer as fused ops, for batches with one column per sequence (for a
 * coordinatewise optimizer: one column per coordinate) and one row per unit.
 *
 * <p>Gates follow Sonnet's LSTM, in the row order [i; j; f; o]: with p = gates + bias,
 * c' = σ(p_f + forgetBias)·c + σ(p_i)·tanh(p_j) and h' = σ(p_o)·tanh(c'). A layer keeps its state
 * packed as one 2h×n tensor [h; c]; {@link #layer} computes the gates wᵀ·[x; h] and the cell in one
 * op, {@link #cell} the cell from given pre-activations. Each is defined by its composition of
 * ordinary ops ({@link #cellDefinition}, {@link #layerDefinition}) and computed by
 * {@link LstmKernels}, one pass forward and one back over contiguous rows.
 *
 * <p>Derivatives of every order work. The first-order backward pass runs the kernels on the
 * activations saved by the forward pass; when the backward pass is itself being differentiated
 * (an input or the cotangent is traced at an enclosing level), the vector-Jacobian product is
 * that of the definition, which can be differentiated again.
 */
public final class Lstm {
  private Lstm() {}

  /**
   * One cell step from pre-activations.
   *
   * @param gates 4h×n pre-activations [i; j; f; o] (e.g. wᵀ·[x; h]), without the bias
   * @param bias 1×4h
   * @param c the previous cell state, h×n
   * @param forgetBias added to the forget gate's pre-activation
   * @return 2h×n: [h'; c']
   * @throws ShapeException if the shapes do not fit together
   */
  public static Tensor cell(Tensor gates, Tensor bias, Tensor c, double forgetBias) {
    int h = c.rows(), n = c.cols();
    if (gates.rows() != 4 * h || gates.cols() != n) {
      throw new ShapeException("Lstm.cell: gates must be " + 4 * h + "×" + n + " (the cell state is " + c.shape()
          + "), got " + gates.shape());
    }
    requireBias("Lstm.cell", bias, h);
    Tensor[] inputs = {gates, bias, c};
    Cell cell = new Cell(n, h, c.data(), 0);
    System.arraycopy(gates.data(), 0, cell.acts, 0, 4 * h * n);
    double[] y = cell.forward(bias, forgetBias);
    Vjp vjp = (ct, out, need) -> {
      if (tracedAnywhere(ct, inputs)) {
        return composedVjp(t -> cellDefinition(t[0], t[1], t[2], forgetBias), inputs, ct);
      }
      double[] dc = new double[h * n];
      double[] dGates = cell.backward(ct, dc, 0, new double[4 * h * n]);
      cell.giveBack();
      double[] db = new double[4 * h];
      LstmKernels.addRowSums(n, 4 * h, dGates, db);
      return new Tensor[] {Tensor.own(4 * h, n, dGates), Tensor.own(1, 4 * h, db), Tensor.own(h, n, dc)};
    };
    return Tensor.make("lstmCell", 2 * h, n, y, vjp, inputs);
  }

  /**
   * One layer step on the packed state: gates = wᵀ·[x; h], then {@link #cell} with the state's c.
   *
   * @param x in×n inputs
   * @param hc 2·units×n: the layer's state [h; c]
   * @param w (in + units)×4·units weights
   * @param bias 1×4·units
   * @param forgetBias added to the forget gate's pre-activation
   * @return 2·units×n: the new state [h'; c']
   * @throws ShapeException if the shapes do not fit together
   */
  public static Tensor layer(Tensor x, Tensor hc, Tensor w, Tensor bias, double forgetBias) {
    return layer(x, x.rows(), hc, w, bias, forgetBias);
  }

  /**
   * As {@link #layer(Tensor, Tensor, Tensor, Tensor, double)} with the first {@code in} rows of x
   * as the inputs: a stacked layer reads the h of the layer below straight from its packed state
   * ({@code layer(below, units, hc, …)}).
   */
  public static Tensor layer(Tensor x, int in, Tensor hc, Tensor w, Tensor bias, double forgetBias) {
    int h = hc.rows() / 2, n = hc.cols(), xr = x.rows(), zw = in + h;
    if (hc.rows() % 2 != 0 || x.cols() != n || in < 1 || in > xr) {
      throw new ShapeException("Lstm.layer: the state must be 2h×n and the input k×n with the same n, taking"
          + " 1 … k rows, got " + hc.shape() + " and " + x.shape() + " taking " + in);
    }
    if (w.rows() != zw || w.cols() != 4 * h) {
      throw new ShapeException("Lstm.layer: the weights must be " + zw + "×" + 4 * h + " for " + in + " inputs"
          + " and state " + hc.shape() + ", got " + w.shape());
    }
    requireBias("Lstm.layer", bias, h);
    Tensor[] inputs = {x, hc, w, bias};
    Cell cell = new Cell(n, h, hc.data(), h * n);
    double[] z = stack(x, in, hc, h, scratch(2, zw * n));
    Gemm.gemm(true, false, 4 * h, n, zw, 1.0, w.data(), z, 0.0, cell.acts);
    double[] y = cell.forward(bias, forgetBias);
    Vjp vjp = (ct, out, need) -> {
      if (tracedAnywhere(ct, inputs)) {
        return composedVjp(t -> layerDefinition(in == xr ? t[0] : t[0].sliceRows(0, in), t[1], t[2], t[3],
            forgetBias), inputs, ct);
      }
      Tensor[] g = new Tensor[4];
      double[] dhc = new double[2 * h * n];
      double[] dGates = cell.backward(ct, dhc, h * n, scratch(0, 4 * h * n));
      cell.giveBack();
      double[] dz = scratch(1, zw * n);
      Gemm.gemm(false, false, zw, n, 4 * h, 1.0, w.data(), dGates, 0.0, dz);
      System.arraycopy(dz, in * n, dhc, 0, h * n);
      g[1] = Tensor.own(2 * h, n, dhc);
      if (need[0]) {
        double[] dx = new double[xr * n];
        System.arraycopy(dz, 0, dx, 0, in * n);
        g[0] = Tensor.own(xr, n, dx);
      }
      if (need[2]) {
        double[] dw = new double[zw * 4 * h];
        Gemm.gemm(false, true, zw, 4 * h, n, 1.0, stack(x, in, hc, h, scratch(2, zw * n)), dGates, 0.0, dw);
        g[2] = Tensor.own(zw, 4 * h, dw);
      }
      if (need[3]) {
        double[] db = new double[4 * h];
        LstmKernels.addRowSums(n, 4 * h, dGates, db);
        g[3] = Tensor.own(1, 4 * h, db);
      }
      return g;
    };
    return Tensor.make("lstmLayer", 2 * h, n, y, vjp, inputs);
  }

  /** The h part of a packed state [h; c] (h×n). */
  public static Tensor hidden(Tensor hc) {
    return hc.sliceRows(0, hc.rows() / 2);
  }

  /** The c part of a packed state [h; c] (h×n). */
  public static Tensor memory(Tensor hc) {
    return hc.sliceRows(hc.rows() / 2, hc.rows());
  }

  /** {@link #cell} in ordinary tensor ops: its definition. */
  public static Tensor cellDefinition(Tensor gates, Tensor bias, Tensor c, double forgetBias) {
    int h = c.rows();
    Tensor p = gates.add(bias.t());
    Tensor i = p.sliceRows(0, h).sigmoid();
    Tensor j = p.sliceRows(h, 2 * h).tanh();
    Tensor f = p.sliceRows(2 * h, 3 * h).add(forgetBias).sigmoid();
    Tensor o = p.sliceRows(3 * h, 4 * h).sigmoid();
    Tensor c2 = f.mul(c).add(i.mul(j));
    return Tensor.concatRows(o.mul(c2.tanh()), c2);
  }

  /** {@link #layer} in ordinary tensor ops (and the fused cell): its definition. */
  public static Tensor layerDefinition(Tensor x, Tensor hc, Tensor w, Tensor bias, double forgetBias) {
    return cell(Tensor.matmul(w, Tensor.concatRows(x, hidden(hc)), true, false), bias, memory(hc), forgetBias);
  }

  /** Work arrays of one thread for temporaries ([x; h] and the backward pass's), grown on demand. */
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

  private static double[] scratch(int which, int size) {
    double[][] s = SCRATCH.get();
    if (s[which].length < size) s[which] = new double[size];
    return s[which];
  }

  /**
   * [x; h] into z: the first {@code in} rows of x over the first h rows of hc. Not kept by the
   * forward pass (x and hc are its inputs, kept anyway): rebuilt for the backward pass.
   */
  private static double[] stack(Tensor x, int in, Tensor hc, int h, double[] z) {
    int n = hc.cols();
    System.arraycopy(x.data(), 0, z, 0, in * n);
    System.arraycopy(hc.data(), 0, z, in * n, h * n);
    return z;
  }

  /** One cell's buffers: the forward pass's activations, kept for the backward pass ({@link Buffers}). */
  private static final class Cell {
    final int n, h;
    final double[] acts, tanhC, cPrev;
    final int cpOff;

    Cell(int n, int h, double[] cPrev, int cpOff) {
      this.n = n;
      this.h = h;
      this.cPrev = cPrev;
      this.cpOff = cpOff;
      acts = Buffers.take(4 * h * n);
      tanhC = Buffers.take(h * n);
    }

    /** Recycles the activations if this is the last backward pass (after {@link #backward}). */
    void giveBack() {
      Buffers.giveBack(acts, tanhC);
    }

    /** From the pre-activations in acts: the activations, and [h'; c'] (2h×n). */
    double[] forward(Tensor bias, double forgetBias) {
      double[] y = new double[2 * h * n];
      LstmKernels.cell(n, h, acts, bias.data(), forgetBias, cPrev, cpOff, y, h * n, tanhC, y, 0);
      return y;
    }

    /** From the cotangent of [h'; c']: the gates' cotangents (4h×n) into dGates; ∂L/∂c (h×n) goes to dc[dcOff ..]. */
    double[] backward(Tensor ct, double[] dc, int dcOff, double[] dGates) {
      System.arraycopy(ct.data(), h * n, dc, dcOff, h * n);
      LstmKernels.cellBackward(n, h, acts, cPrev, cpOff, tanhC, ct.data(), 0, dc, dcOff, dGates);
      return dGates;
    }
  }

  private static void requireBias(String op, Tensor bias, int h) {
    if (bias.rows() != 1 || bias.cols() != 4 * h) {
      throw new ShapeException(op + ": bias must be 1×" + 4 * h + ", got " + bias.shape());
    }
  }

  private static boolean tracedAnywhere(Tensor ct, Tensor[] inputs) {
    if (ct.isTraced()) return true;
    for (Tensor t : inputs) {
      if (t.isTraced()) return true;
    }
    return false;
  }

  /** The VJP of a definition, in tensor ops, so that enclosing levels can differentiate it again. */
  private static Tensor[] composedVjp(Function<Tensor[], Tensor> definition, Tensor[] inputs, Tensor ct) {
    Tree in = Tree.empty();
    for (int k = 0; k < inputs.length; k++) in = in.with(Integer.toString(k), inputs[k]);
    Tree g = Autodiff.vjp(t -> {
      Tensor[] a = new Tensor[inputs.length];
      for (int k = 0; k < a.length; k++) a[k] = t.tensor(Integer.toString(k));
      return Tree.leaf(definition.apply(a));
    }, in).apply(Tree.leaf(ct));
    Tensor[] out = new Tensor[inputs.length];
    for (int k = 0; k < out.length; k++) out[k] = g.tensor(Integer.toString(k));
    return out;
  }
}
