package l2l.autodiff;

import static l2l.autodiff.TensorArbitraries.awayFromZero;
import static l2l.autodiff.TensorArbitraries.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Every differentiable op of {@link Tensor}, each with a generator of inputs inside the op's
 * smooth domain (away from kinks, poles and the edges of its domain).
 */
final class OpCases {
  private OpCases() {}

  /** An op under test: its name, how to draw its inputs, and the op itself. */
  record OpCase(String name, Function<SplittableRandom, Tensor[]> inputs, Function<Tensor[], Tensor> op) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static int dim(SplittableRandom r) {
    return 1 + r.nextInt(4);
  }

  private static Tensor any(SplittableRandom r, int rows, int cols) {
    return uniform(rows, cols, -2, 2, r.nextLong());
  }

  private static Tensor positive(SplittableRandom r, int rows, int cols) {
    return uniform(rows, cols, 0.2, 3, r.nextLong());
  }

  private static Tensor nonzero(SplittableRandom r, int rows, int cols) {
    return awayFromZero(rows, cols, 0.2, 2, r.nextLong());
  }

  /** Values whose distance from ±0.5 is at least 0.05 (for clamp(−0.5, 0.5)). */
  private static Tensor awayFromHalf(SplittableRandom r, int rows, int cols) {
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) {
      double m = r.nextBoolean() ? 0.05 + 0.4 * r.nextDouble() : 0.55 + r.nextDouble();
      d[i] = r.nextBoolean() ? m : -m;
    }
    return Tensor.fromRowMajor(rows, cols, d);
  }

  /** A shape broadcastable against rows×cols: itself, a row, a column or a scalar. */
  private static int[] broadcastShape(SplittableRandom r, int rows, int cols) {
    return switch (r.nextInt(4)) {
      case 0 -> new int[] {rows, cols};
      case 1 -> new int[] {1, cols};
      case 2 -> new int[] {rows, 1};
      default -> new int[] {1, 1};
    };
  }

  private static OpCase unary(String name, Function<Tensor, Tensor> op, Domain domain) {
    return new OpCase(name, r -> new Tensor[] {domain.draw(r, dim(r), dim(r))}, in -> op.apply(in[0]));
  }

  private interface Domain {
    Tensor draw(SplittableRandom r, int rows, int cols);
  }

  private static OpCase binary(String name, java.util.function.BinaryOperator<Tensor> op, Domain left, Domain right) {
    return new OpCase(name, r -> {
      int rows = dim(r), cols = dim(r);
      int[] a = r.nextBoolean() ? new int[] {rows, cols} : broadcastShape(r, rows, cols);
      int[] b = broadcastShape(r, rows, cols);
      if (r.nextBoolean()) {
        int[] s = a;
        a = b;
        b = s;
      }
      return new Tensor[] {left.draw(r, a[0], a[1]), right.draw(r, b[0], b[1])};
    }, in -> op.apply(in[0], in[1]));
  }

  /** The second operand differs from the first by at least 0.2 everywhere (for max/min). */
  private static OpCase separated(String name, java.util.function.BinaryOperator<Tensor> op) {
    return new OpCase(name, r -> {
      int rows = dim(r), cols = dim(r);
      Tensor a = any(r, rows, cols);
      return new Tensor[] {a, a.detach().add(nonzero(r, rows, cols))};
    }, in -> op.apply(in[0], in[1]));
  }

  static List<OpCase> all() {
    List<OpCase> c = new ArrayList<>();
    c.add(binary("add", Tensor::add, OpCases::any, OpCases::any));
    c.add(binary("sub", Tensor::sub, OpCases::any, OpCases::any));
    c.add(binary("mul", Tensor::mul, OpCases::any, OpCases::any));
    c.add(binary("div", Tensor::div, OpCases::any, OpCases::nonzero));
    c.add(separated("max", Tensor::max));
    c.add(separated("min", Tensor::min));
    c.add(unary("neg", Tensor::neg, OpCases::any));
    c.add(unary("add(scalar)", x -> x.add(0.7), OpCases::any));
    c.add(unary("sub(scalar)", x -> x.sub(1.3), OpCases::any));
    c.add(unary("mul(scalar)", x -> x.mul(-2.5), OpCases::any));
    c.add(unary("div(scalar)", x -> x.div(3.0), OpCases::any));
    c.add(unary("rsub", x -> x.rsub(2.0), OpCases::any));
    c.add(unary("rdiv", x -> x.rdiv(1.5), OpCases::nonzero));
    c.add(unary("exp", Tensor::exp, OpCases::any));
    c.add(unary("log", Tensor::log, OpCases::positive));
    c.add(unary("sqrt", Tensor::sqrt, OpCases::positive));
    c.add(unary("pow(2.5)", x -> x.pow(2.5), OpCases::positive));
    c.add(unary("pow(3)", x -> x.pow(3), OpCases::any));
    c.add(unary("pow(-1.5)", x -> x.pow(-1.5), OpCases::positive));
    c.add(unary("square", Tensor::square, OpCases::any));
    c.add(unary("abs", Tensor::abs, OpCases::nonzero));
    c.add(unary("sign", x -> x.sign().mul(x), OpCases::nonzero));
    c.add(unary("tanh", Tensor::tanh, OpCases::any));
    c.add(unary("sigmoid", Tensor::sigmoid, OpCases::any));
    c.add(unary("relu", Tensor::relu, OpCases::nonzero));
    c.add(unary("softplus", Tensor::softplus, OpCases::any));
    c.add(unary("clamp", x -> x.clamp(-0.5, 0.5), OpCases::awayFromHalf));
    c.add(unary("max(scalar)", x -> x.max(0.0), OpCases::nonzero));
    c.add(unary("min(scalar)", x -> x.min(0.0), OpCases::nonzero));
    c.add(unary("sum", Tensor::sum, OpCases::any));
    c.add(unary("mean", Tensor::mean, OpCases::any));
    c.add(unary("rowSums", Tensor::rowSums, OpCases::any));
    c.add(unary("colSums", Tensor::colSums, OpCases::any));
    c.add(unary("rowMeans", Tensor::rowMeans, OpCases::any));
    c.add(unary("colMeans", Tensor::colMeans, OpCases::any));
    c.add(unary("sumSquares", Tensor::sumSquares, OpCases::any));
    c.add(unary("norm", Tensor::norm, OpCases::nonzero));
    c.add(unary("logSumExpRows", Tensor::logSumExpRows, OpCases::any));
    c.add(unary("softmaxRows", Tensor::softmaxRows, OpCases::any));
    c.add(unary("transpose", Tensor::t, OpCases::any));
    c.add(new OpCase("softmaxCrossEntropy", r -> {
      Tensor x = any(r, dim(r), 1 + dim(r));
      return new Tensor[] {x, labels(r, x.rows(), x.cols())};
    }, in -> in[0].softmaxCrossEntropy(toInts(in[1]))));
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        c.add(new OpCase("matmul(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ")", r -> {
          int m = dim(r), k = dim(r), n = dim(r);
          return new Tensor[] {ta ? any(r, k, m) : any(r, m, k), tb ? any(r, n, k) : any(r, k, n)};
        }, in -> Tensor.matmul(in[0], in[1], ta, tb)));
      }
    }
    for (boolean tr : new boolean[] {false, true}) {
      c.add(new OpCase("batchedMatVec(" + (tr ? "T" : "N") + ")", r -> {
        int b = dim(r), m = dim(r), n = dim(r);
        return new Tensor[] {any(r, b * m, n), any(r, b, tr ? m : n)};
      }, in -> Tensor.batchedMatVec(in[0], in[1], tr)));
    }
    c.add(new OpCase("batchedOuter", r -> {
      int b = dim(r);
      return new Tensor[] {any(r, b, dim(r)), any(r, b, dim(r))};
    }, in -> Tensor.batchedOuter(in[0], in[1])));
    c.add(new OpCase("reshape", r -> new Tensor[] {any(r, 2 * dim(r), 3)}, in -> in[0].reshape(3, in[0].size() / 3)));
    c.add(new OpCase("slice", r -> new Tensor[] {any(r, 3 + r.nextInt(3), 3 + r.nextInt(3))},
        in -> in[0].slice(1, in[0].rows() - 1, 0, 2)));
    c.add(new OpCase("embed", r -> new Tensor[] {any(r, dim(r), dim(r))},
        in -> in[0].embed(in[0].rows() + 2, in[0].cols() + 1, 1, 1)));
    c.add(new OpCase("concatRows", r -> {
      int cols = dim(r);
      return new Tensor[] {any(r, dim(r), cols), any(r, dim(r), cols), any(r, dim(r), cols)};
    }, in -> Tensor.concatRows(in)));
    c.add(new OpCase("concatCols", r -> {
      int rows = dim(r);
      return new Tensor[] {any(r, rows, dim(r)), any(r, rows, dim(r))};
    }, in -> Tensor.concatCols(in)));
    c.add(new OpCase("splitRows", r -> new Tensor[] {any(r, 2 + r.nextInt(3), dim(r))},
        in -> in[0].splitRows(1, in[0].rows() - 1)[1].mul(in[0].splitRows(1, in[0].rows() - 1)[0])));
    c.add(new OpCase("splitCols", r -> new Tensor[] {any(r, dim(r), 3)},
        in -> in[0].splitCols(2, 1)[0].mul(in[0].splitCols(2, 1)[1])));
    c.add(new OpCase("pick", r -> {
      Tensor x = any(r, dim(r), 1 + dim(r));
      return new Tensor[] {x, labels(r, x.rows(), x.cols())};
    }, in -> in[0].pick(toInts(in[1]))));
    c.add(new OpCase("scatterCols", r -> {
      Tensor x = any(r, dim(r), 1);
      return new Tensor[] {x, labels(r, x.rows(), 3)};
    }, in -> in[0].scatterCols(toInts(in[1]), 3)));
    c.add(new OpCase("gatherRows", r -> {
      Tensor x = any(r, dim(r), dim(r));
      return new Tensor[] {x, labels(r, 5, x.rows())};
    }, in -> in[0].gatherRows(toInts(in[1]))));
    c.add(new OpCase("scatterAddRows", r -> {
      Tensor x = any(r, dim(r), dim(r));
      return new Tensor[] {x, labels(r, x.rows(), 3)};
    }, in -> in[0].scatterAddRows(toInts(in[1]), 3)));
    c.add(new OpCase("broadcastTo", r -> {
      int[] s = broadcastShape(r, 3, 4);
      return new Tensor[] {any(r, s[0], s[1])};
    }, in -> in[0].broadcastTo(3, 4)));
    c.add(new OpCase("where", r -> {
      int rows = dim(r), cols = dim(r);
      int[] sb = broadcastShape(r, rows, cols);
      return new Tensor[] {uniform(rows, cols, 0, 1, r.nextLong()).gt(0.5), any(r, rows, cols), any(r, sb[0], sb[1])};
    }, in -> Tensor.where(in[0], in[1], in[2])));
    return c;
  }

  /** An n×1 tensor of integer labels in [0, classes) (carried as doubles; not differentiated). */
  private static Tensor labels(SplittableRandom r, int n, int classes) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = r.nextInt(classes);
    return Tensor.fromRowMajor(n, 1, d);
  }

  static int[] toInts(Tensor t) {
    double[] d = t.toArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) out[i] = (int) Math.round(d[i]);
    return out;
  }

  /** Names of inputs that are integer data or masks, which are not differentiated. */
  static boolean isData(OpCase c, int input) {
    return switch (c.name()) {
      case "softmaxCrossEntropy", "pick", "scatterCols", "gatherRows", "scatterAddRows" -> input == 1;
      case "where" -> input == 0;
      default -> false;
    };
  }
}
