package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Conv.Padding;
import l2l.autodiff.OpCases.OpCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Conv}'s values against plain loops written here, and its first and second derivatives
 * against central finite differences (step 1e-5, the tolerances of {@link OpGradientProperties}).
 * Shapes are small and random (1–3 images, 1–3 channels, sides 1–6, kernels 1–4, strides 1–2);
 * max-pool inputs are drawn with gaps of at least 1/size between all values, far from ties at step 1e-5.
 */
class ConvProperties {
  static final double H = OpGradientProperties.H;

  /** A random image geometry with a kernel (or window) that fits it under VALID padding. */
  record Geometry(int n, int c, int h, int w, int k, int stride, Padding padding) {
    static Geometry draw(SplittableRandom r) {
      int h = 1 + r.nextInt(6), w = 1 + r.nextInt(6);
      Padding p = r.nextBoolean() ? Padding.SAME : Padding.VALID;
      int k = 1 + r.nextInt(p == Padding.VALID ? Math.min(4, Math.min(h, w)) : 4);
      return new Geometry(1 + r.nextInt(3), 1 + r.nextInt(3), h, w, k, 1 + r.nextInt(2), p);
    }

    int ho() {
      return Conv.outputSize(h, k, stride, padding);
    }

    int wo() {
      return Conv.outputSize(w, k, stride, padding);
    }

    int top() {
      return padding == Padding.VALID ? 0 : Math.max((ho() - 1) * stride + k - h, 0) / 2;
    }

    int left() {
      return padding == Padding.VALID ? 0 : Math.max((wo() - 1) * stride + k - w, 0) / 2;
    }
  }

  private static Tensor images(SplittableRandom r, Geometry g) {
    return Tensor.uniform(g.n, g.c * g.h * g.w, -1, 1, r);
  }

  /** Values in [−1, 1) that all differ by at least 1/(rows·cols) (≥ 0.003 here): a shuffled ramp with jitter. */
  static Tensor tieFree(SplittableRandom r, int rows, int cols) {
    int n = rows * cols;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int s = perm[i];
      perm[i] = perm[j];
      perm[j] = s;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = -1 + 2 * (perm[i] + 0.5 * r.nextDouble()) / n;
    return Tensor.fromRowMajor(rows, cols, d);
  }

  // ------------------------------------------------------------------ references in plain loops

  static double[] naiveConv(double[] x, double[] kernel, double[] bias, int f, Geometry g) {
    int ho = g.ho(), wo = g.wo();
    double[] out = new double[g.n * f * ho * wo];
    for (int n = 0; n < g.n; n++) {
      for (int o = 0; o < f; o++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            double s = bias == null ? 0 : bias[o];
            for (int c = 0; c < g.c; c++) {
              for (int dy = 0; dy < g.k; dy++) {
                for (int dx = 0; dx < g.k; dx++) {
                  int y = oy * g.stride - g.top() + dy, xx = ox * g.stride - g.left() + dx;
                  if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) continue;
                  s += x[((n * g.c + c) * g.h + y) * g.w + xx] * kernel[o * g.c * g.k * g.k + (c * g.k + dy) * g.k + dx];
                }
              }
            }
            out[((n * f + o) * ho + oy) * wo + ox] = s;
          }
        }
      }
    }
    return out;
  }

  static double[] naivePool(double[] x, Geometry g, boolean max) {
    int ho = g.ho(), wo = g.wo();
    double[] out = new double[g.n * g.c * ho * wo];
    for (int nc = 0; nc < g.n * g.c; nc++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          double best = Double.NEGATIVE_INFINITY, sum = 0;
          int count = 0;
          for (int dy = 0; dy < g.k; dy++) {
            for (int dx = 0; dx < g.k; dx++) {
              int y = oy * g.stride - g.top() + dy, xx = ox * g.stride - g.left() + dx;
              if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) continue;
              double v = x[(nc * g.h + y) * g.w + xx];
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          }
          out[(nc * ho + oy) * wo + ox] = max ? best : sum / count;
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ values

  @Property(tries = 300)
  void conv2dEqualsTheCrossCorrelationSumWrittenAsLoops(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Geometry g = Geometry.draw(r);
    int f = 1 + r.nextInt(3);
    Tensor x = images(r, g);
    Tensor kernel = Tensor.uniform(f, g.c * g.k * g.k, -1, 1, r);
    Tensor bias = Tensor.uniform(1, f, -1, 1, r);
    boolean withBias = r.nextBoolean();
    Tensor y = Conv.conv2d(x, kernel, withBias ? bias : null, g.c, g.h, g.w, g.k, g.padding, g.stride);
    double[] expected = naiveConv(x.toArray(), kernel.toArray(), withBias ? bias.toArray() : null, f, g);
    assertEquals(g.n + "×" + f * g.ho() * g.wo(), y.shape(), g::toString);
    assertTrue(y.allClose(Tensor.fromRowMajor(g.n, expected.length / g.n, expected), 1e-12, 1e-12), g::toString);
  }

  @Property(tries = 300)
  void poolingEqualsTheWindowMaximumAndMeanWrittenAsLoops(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Geometry g = Geometry.draw(r);
    Tensor x = images(r, g);
    Tensor max = Conv.maxPool(x, g.c, g.h, g.w, g.k, g.stride, g.padding);
    Tensor avg = Conv.avgPool(x, g.c, g.h, g.w, g.k, g.stride, g.padding);
    int cols = g.c * g.ho() * g.wo();
    assertTrue(max.allClose(Tensor.fromRowMajor(g.n, cols, naivePool(x.toArray(), g, true)), 0, 0), g::toString);
    assertTrue(avg.allClose(Tensor.fromRowMajor(g.n, cols, naivePool(x.toArray(), g, false)), 1e-12, 1e-12),
        g::toString);
  }

  @Property(tries = 200)
  void col2imIsTheAdjointOfIm2col(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Geometry g = Geometry.draw(r);
    Tensor x = images(r, g);
    Tensor cols = Conv.im2col(x, g.c, g.h, g.w, g.k, g.padding, g.stride);
    Tensor c = Tensor.uniform(cols.rows(), cols.cols(), -1, 1, r);
    double left = cols.mul(c).sum().item();
    double right = x.mul(Conv.col2im(c, g.n, g.c, g.h, g.w, g.k, g.padding, g.stride)).sum().item();
    assertEquals(left, right, 1e-10);
  }

  @Property(tries = 100)
  void positionsFirstUndoesChannelsFirst(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(3), p = 1 + r.nextInt(5), f = 1 + r.nextInt(4);
    Tensor y = Tensor.uniform(n * p, f, -1, 1, r);
    Tensor chw = Conv.channelsFirst(y, n, p, f);
    assertEquals(y.get(p - 1, f - 1), chw.get(0, (f - 1) * p + p - 1));
    assertTrue(Conv.positionsFirst(chw, f, p).allClose(y, 0, 0));
  }

  @Example
  void mismatchedShapesAreRejectedWithTheExpectedShape() {
    Tensor x = Tensor.zeros(2, 3 * 4 * 4);
    ShapeException e = assertThrows(ShapeException.class,
        () -> Conv.conv2d(x, Tensor.zeros(5, 3 * 9 + 1), 3, 4, 4, 3));
    assertTrue(e.getMessage().contains("F × 27"), e::getMessage);
    e = assertThrows(ShapeException.class, () -> Conv.maxPool2x2(x, 3, 5, 4));
    assertTrue(e.getMessage().contains("3·5·4 = 60"), e::getMessage);
  }

  // ------------------------------------------------------------------ derivatives

  /** The conv ops under test, each with inputs in its smooth domain. */
  static List<OpCase> cases() {
    List<OpCase> c = new ArrayList<>();
    c.add(new OpCase("conv2d(x, kernel, bias)", r -> {
      Geometry g = Geometry.draw(r);
      int f = 1 + r.nextInt(3);
      return new Tensor[] {images(r, g), Tensor.uniform(f, g.c * g.k * g.k, -1, 1, r), Tensor.uniform(1, f, -1, 1, r),
          geometry(g)};
    }, in -> {
      Geometry g = geometry(in[3]);
      return Conv.conv2d(in[0], in[1], in[2], g.c, g.h, g.w, g.k, g.padding, g.stride);
    }));
    c.add(new OpCase("tanh(conv2d(x, kernel))²", r -> {
      Geometry g = Geometry.draw(r);
      int f = 1 + r.nextInt(3);
      return new Tensor[] {images(r, g), Tensor.uniform(f, g.c * g.k * g.k, -1, 1, r), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[2]);
      return Conv.conv2d(in[0], in[1], null, g.c, g.h, g.w, g.k, g.padding, g.stride).tanh().square();
    }));
    c.add(new OpCase("im2col", r -> {
      Geometry g = Geometry.draw(r);
      return new Tensor[] {images(r, g), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[1]);
      return Conv.im2col(in[0], g.c, g.h, g.w, g.k, g.padding, g.stride).square();
    }));
    c.add(new OpCase("col2im", r -> {
      Geometry g = Geometry.draw(r);
      int rows = g.n * g.ho() * g.wo();
      return new Tensor[] {Tensor.uniform(rows, g.c * g.k * g.k, -1, 1, r), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[1]);
      return Conv.col2im(in[0], g.n, g.c, g.h, g.w, g.k, g.padding, g.stride).square();
    }));
    c.add(new OpCase("channelsFirst", r -> {
      int n = 1 + r.nextInt(3), p = 1 + r.nextInt(4), f = 1 + r.nextInt(3);
      return new Tensor[] {Tensor.uniform(n * p, f, -1, 1, r), Tensor.row(n, p, f)};
    }, in -> Conv.channelsFirst(in[0].square(), (int) in[1].get(0, 0), (int) in[1].get(0, 1),
        (int) in[1].get(0, 2))));
    c.add(new OpCase("positionsFirst", r -> {
      int n = 1 + r.nextInt(3), p = 1 + r.nextInt(4), f = 1 + r.nextInt(3);
      return new Tensor[] {Tensor.uniform(n, f * p, -1, 1, r), Tensor.row(f, p)};
    }, in -> Conv.positionsFirst(in[0].square(), (int) in[1].get(0, 0), (int) in[1].get(0, 1))));
    c.add(new OpCase("maxPool", r -> {
      Geometry g = Geometry.draw(r);
      return new Tensor[] {tieFree(r, g.n, g.c * g.h * g.w), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[1]);
      return Conv.maxPool(in[0], g.c, g.h, g.w, g.k, g.stride, g.padding).square();
    }));
    c.add(new OpCase("maxPool2x2", r -> {
      Geometry g = Geometry.draw(r);
      return new Tensor[] {tieFree(r, g.n, g.c * g.h * g.w), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[1]);
      return Conv.maxPool2x2(in[0].mul(in[0].exp()), g.c, g.h, g.w);
    }));
    c.add(new OpCase("avgPool", r -> {
      Geometry g = Geometry.draw(r);
      return new Tensor[] {images(r, g), geometry(g)};
    }, in -> {
      Geometry g = geometry(in[1]);
      return Conv.avgPool(in[0], g.c, g.h, g.w, g.k, g.stride, g.padding).square();
    }));
    c.add(new OpCase("maxPool2x2 → conv → tanh → avgPool2x2 → conv", r -> {
      Geometry g = Geometry.draw(r);
      int f = 1 + r.nextInt(3);
      return new Tensor[] {tieFree(r, g.n, g.c * g.h * g.w), Tensor.uniform(f, g.c * 9, -1, 1, r),
          Tensor.uniform(2, f * 4, -1, 1, r), geometry(g)};
    }, in -> {
      // pooling comes first, on tie-free inputs: a max-pool after a conv could meet near-ties
      Geometry g = geometry(in[3]);
      int f = in[1].rows(), h = (g.h + 1) / 2, w = (g.w + 1) / 2;
      Tensor x = Conv.maxPool2x2(in[0], g.c, g.h, g.w);
      x = Conv.conv2d(x, in[1], g.c, h, w, 3).tanh();
      x = Conv.avgPool2x2(x, f, h, w);
      return Conv.conv2d(x, in[2], f, (h + 1) / 2, (w + 1) / 2, 2).tanh();
    }));
    return c;
  }

  /** Geometry travels as a data input (never differentiated): n, c, h, w, k, stride, padding. */
  private static Tensor geometry(Geometry g) {
    return Tensor.row(g.n, g.c, g.h, g.w, g.k, g.stride, g.padding.ordinal());
  }

  private static Geometry geometry(Tensor t) {
    int[] v = OpCases.toInts(t.reshape(t.size(), 1));
    return new Geometry(v[0], v[1], v[2], v[3], v[4], v[5], Padding.values()[v[6]]);
  }

  /** The last input of every case is integer data (the geometry), never differentiated. */
  private static boolean isData(OpCase c, Tensor[] in, int i) {
    return i == in.length - 1;
  }

  @Provide
  Arbitrary<OpCase> convOps() {
    return Arbitraries.of(cases());
  }

  private static Tree differentiable(OpCase c, Tensor[] in) {
    Tree t = Tree.empty();
    for (int i = 0; i < in.length; i++) {
      if (!isData(c, in, i)) t = t.with("x" + i, in[i]);
    }
    return t;
  }

  private static Function<Tree, Tensor> weighted(OpCase c, Tensor[] in, Tensor w) {
    return t -> {
      Tensor[] args = in.clone();
      for (int i = 0; i < args.length; i++) {
        if (!isData(c, in, i)) args[i] = t.tensor("x" + i);
      }
      return c.op().apply(args).mul(w).sum();
    };
  }

  @Property(tries = 400)
  void gradientOfEveryConvOpMatchesCentralDifferences(@ForAll("convOps") OpCase c, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor out = c.op().apply(in);
    Tensor w = Tensor.uniform(out.rows(), out.cols(), -1, 1, r);
    Function<Tree, Tensor> f = weighted(c, in, w);
    Tree x = differentiable(c, in);
    Tree analytic = Autodiff.gradTree(f).apply(x);
    Tree numeric = GradCheck.numericGrad(f, x, H);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < OpGradientProperties.FIRST_ORDER_TOLERANCE, () -> c + " " + geometryOf(in) + ": error " + err);
  }

  @Property(tries = 250)
  void hessianVectorProductOfEveryConvOpMatchesCentralDifferencesOfItsGradient(@ForAll("convOps") OpCase c,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor out = c.op().apply(in);
    Tensor w = Tensor.uniform(out.rows(), out.cols(), -1, 1, r);
    Function<Tree, Tensor> f = weighted(c, in, w);
    Tree x = differentiable(c, in);
    Tree v = x.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Function<Tree, Tensor> directional = t -> Autodiff.gradTree(f).apply(t).dot(v);
    Tree analytic = Autodiff.gradTree(directional).apply(x);
    Tree numeric = GradCheck.numericGrad(directional, x, H);
    double err = GradCheck.maxError(analytic, numeric);
    assertTrue(err < OpGradientProperties.SECOND_ORDER_TOLERANCE, () -> c + " " + geometryOf(in) + ": error " + err);
  }

  @Property(tries = 100)
  void tracedConvOpsComputeTheSameValuesAsUntracedOnes(@ForAll("convOps") OpCase c, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor[] in = c.inputs().apply(r);
    Tensor plain = c.op().apply(in);
    Tensor[] traced = new Tensor[1];
    Autodiff.gradTree((Tree t) -> {
      Tensor[] args = in.clone();
      for (int i = 0; i < args.length; i++) {
        if (!isData(c, in, i)) args[i] = t.tensor("x" + i);
      }
      traced[0] = c.op().apply(args).detach();
      return traced[0].sum();
    }).apply(differentiable(c, in));
    assertTrue(plain.allClose(traced[0], 0, 0), c::toString);
  }

  private static String geometryOf(Tensor[] in) {
    Tensor last = in[in.length - 1];
    return last.rows() == 1 && last.cols() == 7 ? geometry(last).toString() : "";
  }
}
