package l2l.autodiff;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * An immutable dense matrix of doubles (a 1×1 tensor is a scalar), the value every l2l function
 * computes with.
 *
 * <p>Ops are methods. On untraced tensors an op just computes. When an input is traced (it
 * depends on the argument of a function being differentiated by {@link Autodiff}), the op also
 * records its vector-Jacobian product, itself written in tensor ops, so derivatives nest.
 *
 * <p>Binary elementwise ops broadcast axes of size 1 (scalars, 1×n rows and m×1 columns) as
 * NumPy does for 2-D arrays. The storage is an EJML {@link DMatrixRMaj} that no one mutates
 * after construction; it never leaves this class uncopied.
 */
public final class Tensor {
  final DMatrixRMaj value;
  final Node node;

  Tensor(DMatrixRMaj value, Node node) {
    this.value = value;
    this.node = node;
  }

  // ------------------------------------------------------------------ construction

  /** A tensor that takes ownership of {@code data} (row-major); callers must not touch it again. */
  static Tensor own(int rows, int cols, double[] data) {
    return new Tensor(DMatrixRMaj.wrap(rows, cols, data), null);
  }

  /** A 1×1 tensor. */
  public static Tensor scalar(double v) {
    return own(1, 1, new double[] {v});
  }

  /** A tensor from rows of values; all rows must have the same length. */
  public static Tensor of(double[][] rows) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new ShapeException("Tensor.of: expected at least one row and one column, got " + rows.length + " rows");
    }
    int c = rows[0].length;
    double[] d = new double[rows.length * c];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != c) {
        throw new ShapeException("Tensor.of: row " + i + " has " + rows[i].length + " values, row 0 has " + c);
      }
      System.arraycopy(rows[i], 0, d, i * c, c);
    }
    return own(rows.length, c, d);
  }

  /** A 1×n row vector (copies the values). */
  public static Tensor row(double... values) {
    return fromRowMajor(1, values.length, values);
  }

  /** An n×1 column vector (copies the values). */
  public static Tensor column(double... values) {
    return fromRowMajor(values.length, 1, values);
  }

  /** A rows×cols tensor from row-major values (copies them). */
  public static Tensor fromRowMajor(int rows, int cols, double[] values) {
    checkDims("Tensor.fromRowMajor", rows, cols);
    if (values.length != rows * cols) {
      throw new ShapeException("Tensor.fromRowMajor: " + rows + "×" + cols + " needs " + rows * cols
          + " values, got " + values.length);
    }
    return own(rows, cols, values.clone());
  }

  /** A copy of an EJML matrix as a tensor. */
  public static Tensor of(DMatrixRMaj m) {
    return own(m.numRows, m.numCols, Arrays.copyOf(m.data, m.numRows * m.numCols));
  }

  /** A rows×cols tensor of zeros. */
  public static Tensor zeros(int rows, int cols) {
    checkDims("Tensor.zeros", rows, cols);
    return own(rows, cols, new double[rows * cols]);
  }

  /** A rows×cols tensor of ones. */
  public static Tensor ones(int rows, int cols) {
    return filled(rows, cols, 1.0);
  }

  /** A rows×cols tensor with every entry {@code v}. */
  public static Tensor filled(int rows, int cols, double v) {
    checkDims("Tensor.filled", rows, cols);
    double[] d = new double[rows * cols];
    Arrays.fill(d, v);
    return own(rows, cols, d);
  }

  /** The n×n identity. */
  public static Tensor eye(int n) {
    checkDims("Tensor.eye", n, n);
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) d[i * n + i] = 1;
    return own(n, n, d);
  }

  /** Entries drawn from N(mean, std²) with the given generator (deterministic for a seeded one). */
  public static Tensor normal(int rows, int cols, double mean, double std, SplittableRandom rng) {
    checkDims("Tensor.normal", rows, cols);
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) d[i] = mean + std * gaussian(rng);
    return own(rows, cols, d);
  }

  /** Entries drawn from U[lo, hi) with the given generator. */
  public static Tensor uniform(int rows, int cols, double lo, double hi, SplittableRandom rng) {
    checkDims("Tensor.uniform", rows, cols);
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
    return own(rows, cols, d);
  }

  /** A standard normal draw (Marsaglia's polar method), reproducible from the generator's state. */
  public static double gaussian(SplittableRandom rng) {
    double u, v, s;
    do {
      u = 2 * rng.nextDouble() - 1;
      v = 2 * rng.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  private static void checkDims(String op, int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new ShapeException(op + ": dimensions must be positive, got " + rows + "×" + cols);
    }
  }

  // ------------------------------------------------------------------ access

  /** Number of rows. */
  public int rows() {
    return value.numRows;
  }

  /** Number of columns. */
  public int cols() {
    return value.numCols;
  }

  /** Number of entries. */
  public int size() {
    return value.numRows * value.numCols;
  }

  /** Whether this is 1×1. */
  public boolean isScalar() {
    return size() == 1;
  }

  /** "rows×cols". */
  public String shape() {
    return rows() + "×" + cols();
  }

  /** Whether this shape equals the other's. */
  public boolean sameShape(Tensor o) {
    return rows() == o.rows() && cols() == o.cols();
  }

  /** The value of a 1×1 tensor. */
  public double item() {
    if (!isScalar()) {
      throw new ShapeException("item: expected a 1×1 tensor, got " + shape());
    }
    return value.data[0];
  }

  /** The entry at (r, c). */
  public double get(int r, int c) {
    if (r < 0 || r >= rows() || c < 0 || c >= cols()) {
      throw new IndexOutOfBoundsException("get(" + r + ", " + c + ") of a " + shape() + " tensor");
    }
    return value.data[r * cols() + c];
  }

  /** A row-major copy of the values. */
  public double[] toArray() {
    return Arrays.copyOf(value.data, size());
  }

  /** Copies the row-major values into {@code dst} from {@code offset}. */
  public void copyTo(double[] dst, int offset) {
    System.arraycopy(value.data, 0, dst, offset, size());
  }

  /** A mutable EJML copy of the values. */
  public DMatrixRMaj toMatrix() {
    return value.copy();
  }

  /** Whether derivatives are being recorded through this tensor. */
  public boolean isTraced() {
    if (node == null) return false;
    for (Tag t : node.tags) {
      if (t.live()) return true;
    }
    return false;
  }

  /** Whether every entry is finite (neither NaN nor ±∞). */
  public boolean allFinite() {
    double[] d = value.data;
    for (int i = 0, n = size(); i < n; i++) {
      if (!Double.isFinite(d[i])) return false;
    }
    return true;
  }

  /** The same values with no derivative through them. */
  public Tensor detach() {
    return node == null ? this : new Tensor(value, null);
  }

  /** Whether the values are within {@code atol + rtol·|other|} of the other's, entry by entry. */
  public boolean allClose(Tensor other, double rtol, double atol) {
    if (!sameShape(other)) return false;
    for (int i = 0, n = size(); i < n; i++) {
      double a = value.data[i], b = other.value.data[i];
      if (Double.isNaN(a) || Double.isNaN(b)) return false;
      if (a == b) continue;
      if (Math.abs(a - b) > atol + rtol * Math.abs(b)) return false;
    }
    return true;
  }

  /** The largest absolute entry. */
  public double maxAbs() {
    double m = 0;
    for (int i = 0, n = size(); i < n; i++) m = Math.max(m, Math.abs(value.data[i]));
    return m;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor ").append(shape());
    if (isTraced()) sb.append(" (traced)");
    sb.append(" [");
    int n = Math.min(size(), 12);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(i % cols() == 0 ? "; " : ", ");
      sb.append(String.format("%.6g", value.data[i]));
    }
    if (size() > n) sb.append(", ...");
    return sb.append(']').toString();
  }

  final double[] data() {
    return value.data;
  }

  // ------------------------------------------------------------------ recording

  /**
   * Creates the result of an op: untraced if no input is traced at a live level, else with a
   * node recording the inputs and the VJP.
   */
  static Tensor make(String op, int rows, int cols, double[] data, Vjp vjp, Tensor... inputs) {
    Tag[] tags = Tag.liveUnion(inputs);
    DMatrixRMaj m = DMatrixRMaj.wrap(rows, cols, data);
    if (tags.length == 0) return new Tensor(m, null);
    return new Tensor(m, new Node(op, m, tags, inputs, vjp, null));
  }

  /**
   * A user-defined primitive op: the caller computed {@code data} (row-major, rows×cols, and
   * hands over ownership) from the inputs' values; {@code vjp} gives the inputs' cotangents in
   * tensor ops. This is how fused kernels join the graph.
   */
  public static Tensor primitive(String name, int rows, int cols, double[] data, Vjp vjp, Tensor... inputs) {
    checkDims(name, rows, cols);
    if (data.length != rows * cols) {
      throw new ShapeException(name + ": " + rows + "×" + cols + " needs " + rows * cols + " values, got " + data.length);
    }
    return make(name, rows, cols, data, vjp, inputs);
  }

  // ------------------------------------------------------------------ broadcasting arithmetic

  private Tensor binary(String name, int op, Tensor b, Vjp vjp) {
    int r = Kernels.broadcast(rows(), b.rows());
    int c = Kernels.broadcast(cols(), b.cols());
    if (r < 0 || c < 0) {
      throw new ShapeException(name + ": shapes " + shape() + " and " + b.shape() + " do not broadcast");
    }
    double[] out = Kernels.binary(op, data(), rows(), cols(), b.data(), b.rows(), b.cols(), r, c);
    return make(name, r, c, out, vjp, this, b);
  }

  /** Sums a cotangent down to the given shape (the adjoint of broadcasting). */
  static Tensor unbroadcast(Tensor ct, int rows, int cols) {
    Tensor t = ct;
    if (rows == 1 && t.rows() != 1) t = t.colSums();
    if (cols == 1 && t.cols() != 1) t = t.rowSums();
    return t;
  }

  /** this + b. */
  public Tensor add(Tensor b) {
    Tensor a = this;
    return binary("add", Kernels.ADD, b, (ct, y, need) -> new Tensor[] {
        need[0] ? unbroadcast(ct, a.rows(), a.cols()) : null,
        need[1] ? unbroadcast(ct, b.rows(), b.cols()) : null});
  }

  /** this − b. */
  public Tensor sub(Tensor b) {
    Tensor a = this;
    return binary("sub", Kernels.SUB, b, (ct, y, need) -> new Tensor[] {
        need[0] ? unbroadcast(ct, a.rows(), a.cols()) : null,
        need[1] ? unbroadcast(ct.neg(), b.rows(), b.cols()) : null});
  }

  /** this ⊙ b (elementwise product). */
  public Tensor mul(Tensor b) {
    Tensor a = this;
    return binary("mul", Kernels.MUL, b, (ct, y, need) -> new Tensor[] {
        need[0] ? unbroadcast(ct.mul(b), a.rows(), a.cols()) : null,
        need[1] ? unbroadcast(ct.mul(a), b.rows(), b.cols()) : null});
  }

  /** this ⊘ b (elementwise quotient). */
  public Tensor div(Tensor b) {
    Tensor a = this;
    return binary("div", Kernels.DIV, b, (ct, y, need) -> new Tensor[] {
        need[0] ? unbroadcast(ct.div(b), a.rows(), a.cols()) : null,
        need[1] ? unbroadcast(ct.mul(y).div(b).neg(), b.rows(), b.cols()) : null});
  }

  /**
   * Elementwise maximum, NaN where either entry is NaN; the derivative goes to the larger entry,
   * to {@code this} at ties, and to the NaN entry where there is one.
   */
  public Tensor max(Tensor b) {
    return where(compare("max", b, (x, y) -> x >= y || Double.isNaN(x) ? 1 : 0), this, b);
  }

  /**
   * Elementwise minimum, NaN where either entry is NaN; the derivative goes to the smaller entry,
   * to {@code this} at ties, and to the NaN entry where there is one.
   */
  public Tensor min(Tensor b) {
    return where(compare("min", b, (x, y) -> x <= y || Double.isNaN(x) ? 1 : 0), this, b);
  }

  /** Elementwise max(this, v), as {@link #max(Tensor)}. */
  public Tensor max(double v) {
    return max(scalar(v));
  }

  /** Elementwise min(this, v), as {@link #min(Tensor)}. */
  public Tensor min(double v) {
    return min(scalar(v));
  }

  /** Entries clamped to [lo, hi], NaN kept; the derivative is 1 inside (and at NaN) and 0 outside. */
  public Tensor clamp(double lo, double hi) {
    if (!(lo <= hi)) {
      throw new IllegalArgumentException("clamp: expected lo ≤ hi, got lo = " + lo + ", hi = " + hi);
    }
    return max(lo).min(hi);
  }

  /** −this. */
  public Tensor neg() {
    return make("neg", rows(), cols(), Kernels.scale(data(), -1), (ct, y, need) -> new Tensor[] {ct.neg()}, this);
  }

  /** this + s. */
  public Tensor add(double s) {
    return make("addScalar", rows(), cols(), Kernels.shift(data(), s), (ct, y, need) -> new Tensor[] {ct}, this);
  }

  /** this − s. */
  public Tensor sub(double s) {
    return add(-s);
  }

  /** this · s. */
  public Tensor mul(double s) {
    return make("mulScalar", rows(), cols(), Kernels.scale(data(), s), (ct, y, need) -> new Tensor[] {ct.mul(s)}, this);
  }

  /** this / s. */
  public Tensor div(double s) {
    return mul(1.0 / s);
  }

  /** s − this. */
  public Tensor rsub(double s) {
    return neg().add(s);
  }

  /** s / this. */
  public Tensor rdiv(double s) {
    Tensor a = this;
    return make("rdiv", rows(), cols(), Kernels.map(data(), v -> s / v),
        (ct, y, need) -> new Tensor[] {ct.mul(y).div(a).neg()}, this);
  }

  // ------------------------------------------------------------------ elementwise functions

  private Tensor unary(String name, DoubleUnaryOperator f, Vjp vjp) {
    return make(name, rows(), cols(), Kernels.map(data(), f), vjp, this);
  }

  /** eˣ. */
  public Tensor exp() {
    return unary("exp", Math::exp, (ct, y, need) -> new Tensor[] {ct.mul(y)});
  }

  /** Natural logarithm. */
  public Tensor log() {
    Tensor a = this;
    return unary("log", Math::log, (ct, y, need) -> new Tensor[] {ct.div(a)});
  }

  /**
   * Square root, with derivative 1/(2√x) where x &gt; 0 and 0 where x = 0 (instead of ∞), so that a
   * zero moment of a zero gradient coordinate (a dead unit, a zero norm) gives a zero derivative
   * rather than ∞·0 = NaN further back.
   */
  public Tensor sqrt() {
    return unary("sqrt", Math::sqrt, (ct, y, need) -> {
      Tensor positive = y.gt(0);
      return new Tensor[] {where(positive, ct.div(where(positive, y.mul(2), scalar(1))), scalar(0))};
    });
  }

  /** thisᵖ, entry by entry; for p = 0 the result is 1 and the derivative 0 everywhere. */
  public Tensor pow(double p) {
    if (p == 0) return unary("pow", v -> 1, (ct, y, need) -> new Tensor[] {ct.mul(0)});
    if (p == 1) return this;
    if (p == 2) return square();
    Tensor a = this;
    return unary("pow", v -> Math.pow(v, p), (ct, y, need) -> new Tensor[] {ct.mul(a.pow(p - 1)).mul(p)});
  }

  /** this², entry by entry. */
  public Tensor square() {
    Tensor a = this;
    return unary("square", v -> v * v, (ct, y, need) -> new Tensor[] {ct.mul(a).mul(2)});
  }

  /** |this|; the derivative at 0 is 0. */
  public Tensor abs() {
    Tensor a = this;
    return unary("abs", Math::abs, (ct, y, need) -> new Tensor[] {ct.mul(a.sign())});
  }

  /** The sign (−1, 0 or 1) of each entry; its derivative is zero, so the result is untraced. */
  public Tensor sign() {
    return own(rows(), cols(), Kernels.map(data(), Math::signum));
  }

  /** Hyperbolic tangent. */
  public Tensor tanh() {
    return unary("tanh", Math::tanh, (ct, y, need) -> new Tensor[] {ct.mul(y.square().rsub(1))});
  }

  /** The logistic function 1 / (1 + e⁻ˣ). */
  public Tensor sigmoid() {
    return unary("sigmoid", Kernels::sigmoid, (ct, y, need) -> new Tensor[] {ct.mul(y.mul(y.rsub(1)))});
  }

  /** max(x, 0), NaN where x is NaN; the derivative is 1 where x &gt; 0 (and at NaN), else 0. */
  public Tensor relu() {
    Tensor a = this;
    return unary("relu", v -> v <= 0 ? 0 : v,
        (ct, y, need) -> new Tensor[] {ct.mul(a.compare("relu", scalar(0), (x, z) -> x <= z ? 0 : 1))});
  }

  /** log(1 + eˣ), computed stably. */
  public Tensor softplus() {
    Tensor a = this;
    return unary("softplus", Kernels::softplus, (ct, y, need) -> new Tensor[] {ct.mul(a.sigmoid())});
  }

  // ------------------------------------------------------------------ masks and selection

  private Tensor compare(String name, Tensor b, java.util.function.DoubleBinaryOperator test) {
    int r = Kernels.broadcast(rows(), b.rows());
    int c = Kernels.broadcast(cols(), b.cols());
    if (r < 0 || c < 0) {
      throw new ShapeException(name + ": shapes " + shape() + " and " + b.shape() + " do not broadcast");
    }
    double[] out = new double[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        double x = data()[(rows() == 1 ? 0 : i) * cols() + (cols() == 1 ? 0 : j)];
        double y = b.data()[(b.rows() == 1 ? 0 : i) * b.cols() + (b.cols() == 1 ? 0 : j)];
        out[i * c + j] = test.applyAsDouble(x, y);
      }
    }
    return own(r, c, out);
  }

  /** Untraced mask: 1 where this &gt; b, else 0. */
  public Tensor gt(Tensor b) {
    return compare("gt", b, (x, y) -> x > y ? 1 : 0);
  }

  /** Untraced mask: 1 where this ≥ b, else 0. */
  public Tensor ge(Tensor b) {
    return compare("ge", b, (x, y) -> x >= y ? 1 : 0);
  }

  /** Untraced mask: 1 where this &lt; b, else 0. */
  public Tensor lt(Tensor b) {
    return compare("lt", b, (x, y) -> x < y ? 1 : 0);
  }

  /** Untraced mask: 1 where this ≤ b, else 0. */
  public Tensor le(Tensor b) {
    return compare("le", b, (x, y) -> x <= y ? 1 : 0);
  }

  /** Untraced mask: 1 where this &gt; v, else 0. */
  public Tensor gt(double v) {
    return gt(scalar(v));
  }

  /** Untraced mask: 1 where this &lt; v, else 0. */
  public Tensor lt(double v) {
    return lt(scalar(v));
  }

  /** Untraced mask: 1 where the entry is finite, else 0. */
  public Tensor finiteMask() {
    return own(rows(), cols(), Kernels.map(data(), v -> Double.isFinite(v) ? 1 : 0));
  }

  /**
   * Entry by entry, {@code a} where {@code mask} is nonzero and {@code b} elsewhere (the three
   * broadcast together). The mask carries no derivative.
   */
  public static Tensor where(Tensor mask, Tensor a, Tensor b) {
    int r = Kernels.broadcast(Kernels.broadcast(mask.rows(), a.rows()), b.rows());
    int c = Kernels.broadcast(Kernels.broadcast(mask.cols(), a.cols()), b.cols());
    if (r < 0 || c < 0 || Kernels.broadcast(mask.rows(), a.rows()) < 0 || Kernels.broadcast(mask.cols(), a.cols()) < 0) {
      throw new ShapeException("where: shapes " + mask.shape() + " (mask), " + a.shape() + " and " + b.shape()
          + " do not broadcast");
    }
    Tensor m = mask.detach();
    int[] shapes = {m.rows(), m.cols(), a.rows(), a.cols(), b.rows(), b.cols()};
    double[] out = Kernels.where(m.data(), a.data(), b.data(), shapes, r, c);
    return make("where", r, c, out, (ct, y, need) -> {
      Tensor zero = scalar(0);
      return new Tensor[] {null,
          need[1] ? unbroadcast(where(m, ct, zero), a.rows(), a.cols()) : null,
          need[2] ? unbroadcast(where(m, zero, ct), b.rows(), b.cols()) : null};
    }, m, a, b);
  }

  // ------------------------------------------------------------------ reductions

  /** The sum of all entries (1×1). */
  public Tensor sum() {
    int r = rows(), c = cols();
    return make("sum", 1, 1, new double[] {Kernels.sum(data())}, (ct, y, need) -> new Tensor[] {ct.broadcastTo(r, c)}, this);
  }

  /** The mean of all entries (1×1). */
  public Tensor mean() {
    return sum().mul(1.0 / size());
  }

  /** The sum of each row (rows×1). */
  public Tensor rowSums() {
    int r = rows(), c = cols();
    if (c == 1) return this;
    return make("rowSums", r, 1, Kernels.rowSums(data(), r, c), (ct, y, need) -> new Tensor[] {ct.broadcastTo(r, c)}, this);
  }

  /** The sum of each column (1×cols). */
  public Tensor colSums() {
    int r = rows(), c = cols();
    if (r == 1) return this;
    return make("colSums", 1, c, Kernels.colSums(data(), r, c), (ct, y, need) -> new Tensor[] {ct.broadcastTo(r, c)}, this);
  }

  /** The mean of each row (rows×1). */
  public Tensor rowMeans() {
    return rowSums().mul(1.0 / cols());
  }

  /** The mean of each column (1×cols). */
  public Tensor colMeans() {
    return colSums().mul(1.0 / rows());
  }

  /** The sum of squared entries (1×1). */
  public Tensor sumSquares() {
    Tensor a = this;
    double s = 0;
    for (int i = 0, n = size(); i < n; i++) s += data()[i] * data()[i];
    return make("sumSquares", 1, 1, new double[] {s}, (ct, y, need) -> new Tensor[] {a.mul(ct.mul(2))}, this);
  }

  /** The Euclidean (Frobenius) norm (1×1). */
  public Tensor norm() {
    return sumSquares().sqrt();
  }

  /** log Σⱼ exp(xᵢⱼ) of each row (rows×1), computed stably. */
  public Tensor logSumExpRows() {
    Tensor a = this;
    return make("logSumExpRows", rows(), 1, Kernels.logSumExpRows(data(), rows(), cols()),
        (ct, y, need) -> new Tensor[] {ct.mul(a.sub(y).exp())}, this);
  }

  /** The softmax of each row. */
  public Tensor softmaxRows() {
    return sub(logSumExpRows()).exp();
  }

  /**
   * Softmax cross-entropy of each row of logits against an integer label (rows×1):
   * {@code logSumExp(xᵢ) − xᵢ,labelᵢ}.
   */
  public Tensor softmaxCrossEntropy(int[] labels) {
    return logSumExpRows().sub(pick(labels));
  }

  /** Broadcasts a 1×1, 1×n or m×1 tensor to rows×cols. */
  public Tensor broadcastTo(int rows, int cols) {
    int r0 = rows(), c0 = cols();
    if (r0 == rows && c0 == cols) return this;
    if ((r0 != 1 && r0 != rows) || (c0 != 1 && c0 != cols)) {
      throw new ShapeException("broadcastTo: cannot broadcast " + shape() + " to " + rows + "×" + cols);
    }
    return make("broadcastTo", rows, cols, Kernels.broadcastTo(data(), r0, c0, rows, cols),
        (ct, y, need) -> new Tensor[] {unbroadcast(ct, r0, c0)}, this);
  }

  // ------------------------------------------------------------------ linear algebra

  /** The matrix product this · b. */
  public Tensor matmul(Tensor b) {
    return matmul(this, b, false, false);
  }

  /**
   * The matrix product op(a) · op(b), where op transposes when its flag is set; the transposes
   * cost nothing (they go to the BLAS call).
   */
  public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb) {
      throw new ShapeException("matmul: shapes " + a.shape() + (transA ? "ᵀ" : "") + " and " + b.shape()
          + (transB ? "ᵀ" : "") + " do not fit (inner dimensions " + k + " ≠ " + kb + ")");
    }
    double[] c = new double[m * n];
    Gemm.gemm(transA, transB, m, n, k, 1.0, a.data(), b.data(), 0.0, c);
    return make("matmul", m, n, c, (ct, y, need) -> new Tensor[] {
        need[0] ? (transA ? matmul(b, ct, transB, true) : matmul(ct, b, false, !transB)) : null,
        need[1] ? (transB ? matmul(ct, a, true, transA) : matmul(a, ct, !transA, false)) : null}, a, b);
  }

  /**
   * Block-wise matrix-vector products: w stacks b blocks Wᵢ of m×n (rows i·m … i·m + m − 1), and
   * row i of the result is Wᵢ·xᵢ (x is b×n, the result b×m), or with {@code transpose} Wᵢᵀ·xᵢ (x is
   * b×m, the result b×n). One pass over w, for batches of small linear maps such as the quadratic
   * problem's.
   */
  public static Tensor batchedMatVec(Tensor w, Tensor x, boolean transpose) {
    int b = x.rows();
    if (b == 0 || w.rows() % b != 0) {
      throw new ShapeException("batchedMatVec: " + w.shape() + " does not stack " + b + " blocks (one per row of x "
          + x.shape() + ")");
    }
    int m = w.rows() / b, n = w.cols();
    int in = transpose ? m : n, outW = transpose ? n : m;
    if (x.cols() != in) {
      throw new ShapeException("batchedMatVec: blocks of " + m + "×" + n + (transpose ? "ᵀ" : "") + " and x of shape "
          + x.shape() + " do not fit (x needs " + in + " columns)");
    }
    double[] wd = w.data(), xd = x.data();
    double[] out = new double[b * outW];
    for (int i = 0; i < b; i++) {
      int wo = i * m * n;
      if (!transpose) {
        for (int r = 0; r < m; r++) {
          double s = 0;
          int ro = wo + r * n;
          for (int c = 0; c < n; c++) s += wd[ro + c] * xd[i * n + c];
          out[i * m + r] = s;
        }
      } else {
        for (int r = 0; r < m; r++) {
          double v = xd[i * m + r];
          int ro = wo + r * n;
          for (int c = 0; c < n; c++) out[i * n + c] += wd[ro + c] * v;
        }
      }
    }
    return make("batchedMatVec", b, outW, out, (ct, y, need) -> new Tensor[] {
        need[0] ? (transpose ? batchedOuter(x, ct) : batchedOuter(ct, x)) : null,
        need[1] ? batchedMatVec(w, ct, !transpose) : null}, w, x);
  }

  /**
   * Block-wise outer products: for a (b×m) and x (b×n), the b·m×n stack of blocks aᵢ⊗xᵢ (the
   * adjoint of {@link #batchedMatVec} with respect to its blocks).
   */
  public static Tensor batchedOuter(Tensor a, Tensor x) {
    if (a.rows() != x.rows()) {
      throw new ShapeException("batchedOuter: shapes " + a.shape() + " and " + x.shape() + " differ in their rows");
    }
    int b = a.rows(), m = a.cols(), n = x.cols();
    double[] ad = a.data(), xd = x.data();
    double[] out = new double[b * m * n];
    for (int i = 0; i < b; i++) {
      for (int r = 0; r < m; r++) {
        double v = ad[i * m + r];
        int o = (i * m + r) * n;
        for (int c = 0; c < n; c++) out[o + c] = v * xd[i * n + c];
      }
    }
    return make("batchedOuter", b * m, n, out, (ct, y, need) -> new Tensor[] {
        need[0] ? batchedMatVec(ct, x, false) : null,
        need[1] ? batchedMatVec(ct, a, true) : null}, a, x);
  }

  /** The transpose. */
  public Tensor t() {
    if (rows() == 1 || cols() == 1) {
      return reshape(cols(), rows());
    }
    return make("transpose", cols(), rows(), Kernels.transpose(data(), rows(), cols()),
        (ct, y, need) -> new Tensor[] {ct.t()}, this);
  }

  // ------------------------------------------------------------------ shape

  /** The same values, row-major, in a rows×cols shape. */
  public Tensor reshape(int rows, int cols) {
    checkDims("reshape", rows, cols);
    if (rows * cols != size()) {
      throw new ShapeException("reshape: cannot reshape " + shape() + " (" + size() + " entries) to " + rows + "×" + cols);
    }
    if (rows == rows() && cols == cols()) return this;
    int r0 = rows(), c0 = cols();
    return make("reshape", rows, cols, data(), (ct, y, need) -> new Tensor[] {ct.reshape(r0, c0)}, this);
  }

  /** Rows [r0, r1) and columns [c0, c1). */
  public Tensor slice(int r0, int r1, int c0, int c1) {
    if (r0 < 0 || r1 > rows() || r0 >= r1 || c0 < 0 || c1 > cols() || c0 >= c1) {
      throw new ShapeException("slice: rows [" + r0 + ", " + r1 + ") and columns [" + c0 + ", " + c1
          + ") are not a nonempty part of a " + shape() + " tensor");
    }
    if (r0 == 0 && r1 == rows() && c0 == 0 && c1 == cols()) return this;
    int r = rows(), c = cols();
    return make("slice", r1 - r0, c1 - c0, Kernels.slice(data(), c, r0, r1, c0, c1),
        (ct, y, need) -> new Tensor[] {ct.embed(r, c, r0, c0)}, this);
  }

  /** Rows [r0, r1). */
  public Tensor sliceRows(int r0, int r1) {
    return slice(r0, r1, 0, cols());
  }

  /** Columns [c0, c1). */
  public Tensor sliceCols(int c0, int c1) {
    return slice(0, rows(), c0, c1);
  }

  /** A rows×cols tensor of zeros with this tensor placed at (r0, c0): the adjoint of slicing. */
  public Tensor embed(int rows, int cols, int r0, int c0) {
    if (r0 < 0 || c0 < 0 || r0 + rows() > rows || c0 + cols() > cols) {
      throw new ShapeException("embed: a " + shape() + " tensor does not fit in " + rows + "×" + cols + " at (" + r0
          + ", " + c0 + ")");
    }
    int r = rows(), c = cols();
    return make("embed", rows, cols, Kernels.embed(data(), r, c, rows, cols, r0, c0),
        (ct, y, need) -> new Tensor[] {ct.slice(r0, r0 + r, c0, c0 + c)}, this);
  }

  /** The tensors stacked top to bottom; all must have the same number of columns. */
  public static Tensor concatRows(Tensor... parts) {
    if (parts.length == 0) throw new ShapeException("concatRows: expected at least one tensor");
    if (parts.length == 1) return parts[0];
    int c = parts[0].cols();
    int r = 0;
    for (Tensor p : parts) {
      if (p.cols() != c) {
        throw new ShapeException("concatRows: shapes " + parts[0].shape() + " and " + p.shape()
            + " differ in their number of columns");
      }
      r += p.rows();
    }
    double[] out = new double[r * c];
    int[] starts = new int[parts.length];
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      starts[i] = at;
      parts[i].copyTo(out, at * c);
      at += parts[i].rows();
    }
    return make("concatRows", r, c, out, (ct, y, need) -> {
      Tensor[] g = new Tensor[parts.length];
      for (int i = 0; i < parts.length; i++) {
        if (need[i]) g[i] = ct.sliceRows(starts[i], starts[i] + parts[i].rows());
      }
      return g;
    }, parts.clone());
  }

  /** The tensors side by side, left to right; all must have the same number of rows. */
  public static Tensor concatCols(Tensor... parts) {
    if (parts.length == 0) throw new ShapeException("concatCols: expected at least one tensor");
    if (parts.length == 1) return parts[0];
    int r = parts[0].rows();
    int c = 0;
    for (Tensor p : parts) {
      if (p.rows() != r) {
        throw new ShapeException("concatCols: shapes " + parts[0].shape() + " and " + p.shape()
            + " differ in their number of rows");
      }
      c += p.cols();
    }
    double[] out = new double[r * c];
    int[] starts = new int[parts.length];
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      starts[i] = at;
      int w = parts[i].cols();
      double[] src = parts[i].data();
      for (int row = 0; row < r; row++) System.arraycopy(src, row * w, out, row * c + at, w);
      at += w;
    }
    return make("concatCols", r, c, out, (ct, y, need) -> {
      Tensor[] g = new Tensor[parts.length];
      for (int i = 0; i < parts.length; i++) {
        if (need[i]) g[i] = ct.sliceCols(starts[i], starts[i] + parts[i].cols());
      }
      return g;
    }, parts.clone());
  }

  /** Splits into consecutive row blocks of the given sizes, which must add up to the rows. */
  public Tensor[] splitRows(int... sizes) {
    checkSplit("splitRows", sizes, rows());
    Tensor[] out = new Tensor[sizes.length];
    int at = 0;
    for (int i = 0; i < sizes.length; i++) {
      out[i] = sliceRows(at, at + sizes[i]);
      at += sizes[i];
    }
    return out;
  }

  /** Splits into consecutive column blocks of the given sizes, which must add up to the columns. */
  public Tensor[] splitCols(int... sizes) {
    checkSplit("splitCols", sizes, cols());
    Tensor[] out = new Tensor[sizes.length];
    int at = 0;
    for (int i = 0; i < sizes.length; i++) {
      out[i] = sliceCols(at, at + sizes[i]);
      at += sizes[i];
    }
    return out;
  }

  private void checkSplit(String op, int[] sizes, int total) {
    int s = 0;
    for (int v : sizes) {
      if (v <= 0) throw new ShapeException(op + ": sizes must be positive, got " + Arrays.toString(sizes));
      s += v;
    }
    if (s != total) {
      throw new ShapeException(op + ": sizes " + Arrays.toString(sizes) + " add up to " + s + ", not " + total
          + " of a " + shape() + " tensor");
    }
  }

  /** For each row i, the entry in column {@code index[i]} (rows×1). */
  public Tensor pick(int[] index) {
    checkIndex("pick", index);
    int r = rows(), c = cols();
    double[] out = new double[r];
    for (int i = 0; i < r; i++) out[i] = data()[i * c + index[i]];
    int[] idx = index.clone();
    return make("pick", r, 1, out, (ct, y, need) -> new Tensor[] {ct.scatterCols(idx, c)}, this);
  }

  /** From a rows×1 tensor, a rows×cols tensor with entry i in column {@code index[i]}, zeros elsewhere. */
  public Tensor scatterCols(int[] index, int cols) {
    if (cols() != 1) throw new ShapeException("scatterCols: expected a column (rows×1), got " + shape());
    if (cols <= 0) throw new ShapeException("scatterCols: cols must be positive, got " + cols);
    Tensor probe = zeros(rows(), cols);
    probe.checkIndex("scatterCols", index);
    int r = rows();
    double[] out = new double[r * cols];
    for (int i = 0; i < r; i++) out[i * cols + index[i]] = data()[i];
    int[] idx = index.clone();
    return make("scatterCols", r, cols, out, (ct, y, need) -> new Tensor[] {ct.pick(idx)}, this);
  }

  private void checkIndex(String op, int[] index) {
    if (index.length != rows()) {
      throw new ShapeException(op + ": expected " + rows() + " indices (one per row of a " + shape() + " tensor), got "
          + index.length);
    }
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= cols()) {
        throw new IndexOutOfBoundsException(op + ": index " + index[i] + " at row " + i + " is outside [0, " + cols()
            + ")");
      }
    }
  }

  /** The rows listed in {@code index} (repeats allowed), in that order. */
  public Tensor gatherRows(int[] index) {
    int r = rows(), c = cols();
    double[] out = new double[index.length * c];
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= r) {
        throw new IndexOutOfBoundsException("gatherRows: index " + index[i] + " at " + i + " is outside [0, " + r + ")");
      }
      System.arraycopy(data(), index[i] * c, out, i * c, c);
    }
    if (index.length == 0) throw new ShapeException("gatherRows: expected at least one index");
    int[] idx = index.clone();
    return make("gatherRows", idx.length, c, out, (ct, y, need) -> new Tensor[] {ct.scatterAddRows(idx, r)}, this);
  }

  /** A rows×cols tensor where row {@code index[i]} accumulates row i of this: the adjoint of gatherRows. */
  public Tensor scatterAddRows(int[] index, int rows) {
    if (index.length != rows()) {
      throw new ShapeException("scatterAddRows: expected " + rows() + " indices, got " + index.length);
    }
    int c = cols();
    double[] out = new double[rows * c];
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= rows) {
        throw new IndexOutOfBoundsException("scatterAddRows: index " + index[i] + " is outside [0, " + rows + ")");
      }
      int o = index[i] * c, s = i * c;
      for (int j = 0; j < c; j++) out[o + j] += data()[s + j];
    }
    int[] idx = index.clone();
    return make("scatterAddRows", rows, c, out, (ct, y, need) -> new Tensor[] {ct.gatherRows(idx)}, this);
  }
}
