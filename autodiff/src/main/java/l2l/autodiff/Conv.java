package l2l.autodiff;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convolution and pooling over batches of images, built from differentiable primitives so that
 * derivatives of every order work.
 *
 * <p><b>Layout.</b> A batch of images is a tensor with one row per image; a row holds the image's
 * {@code C·H·W} values in CHW order (channel, then row, then column). A convolution kernel is an
 * {@code F × (C·k·k)} tensor whose row f is output channel f's filter in the same CHW order
 * (input channel, kernel row, kernel column); a bias is {@code 1×F}. As in TensorFlow,
 * "convolution" is cross-correlation, and SAME padding pads {@code max((out−1)·stride + k − in, 0)}
 * zeros, the smaller half before and the larger half after.
 *
 * <p><b>Composition.</b> {@code conv2d} = im2col (a fixed gather of patches into an
 * {@code (N·P) × (C·k·k)} matrix, P output positions per image) · kernelᵀ on the BLAS backend
 * ({@link Tensor#matmul}), plus the bias, then a fixed permutation from position-major rows back
 * to CHW rows. Every gather here is one primitive whose VJP is the matching scatter-add
 * (col2im for im2col) and vice versa, so the backward pass is again made of these ops. Max-pool
 * gathers each window's argmax (first maximum at ties, chosen from the forward values and then
 * fixed); average pooling is a weighted sum of such gathers.
 *
 * <p><b>Memory.</b> im2col materialises {@code N·P·C·k·k} values, and a traced result keeps them
 * until its graph is dropped (for the CIFAR-shaped net: about 80 MB and 100 MB for the first two
 * layers at batch 128).
 */
public final class Conv {
  private Conv() {}

  /** How windows meet the image border. */
  public enum Padding {
    /** Output size ⌈in / stride⌉; zeros (for max-pool: nothing) pad the border as needed. */
    SAME,
    /** Only windows that fit inside the image: output size ⌊(in − k) / stride⌋ + 1. */
    VALID
  }

  // ------------------------------------------------------------------ geometry

  /** The output size along one axis of a window of size {@code window} moved by {@code stride}. */
  public static int outputSize(int in, int window, int stride, Padding padding) {
    checkPositive("Conv.outputSize", in, window, stride);
    if (padding == Padding.SAME) return (in + stride - 1) / stride;
    if (window > in) {
      throw new ShapeException("Conv: a VALID window of " + window + " does not fit an axis of " + in);
    }
    return (in - window) / stride + 1;
  }

  /** Zeros padded before the first entry along one axis (SAME pads the smaller half before). */
  static int padBefore(int in, int window, int stride, Padding padding) {
    if (padding == Padding.VALID) return 0;
    int out = outputSize(in, window, stride, padding);
    return Math.max((out - 1) * stride + window - in, 0) / 2;
  }

  private static void checkPositive(String op, int... values) {
    for (int v : values) {
      if (v <= 0) throw new ShapeException(op + ": sizes must be positive, got " + v);
    }
  }

  private static int checkImages(String op, Tensor x, int channels, int height, int width) {
    checkPositive(op, channels, height, width);
    long n = (long) channels * height * width;
    if (x.cols() != n) {
      throw new ShapeException(op + ": expected rows of " + channels + "·" + height + "·" + width + " = " + n
          + " values (one CHW image per row), got " + x.shape());
    }
    return x.rows();
  }

  // ------------------------------------------------------------------ convolution

  /** A 2-D convolution with SAME padding and stride 1, no bias. */
  public static Tensor conv2d(Tensor x, Tensor kernel, int channels, int height, int width, int kernelSize) {
    return conv2d(x, kernel, null, channels, height, width, kernelSize, Padding.SAME, 1);
  }

  /**
   * A 2-D convolution with SAME padding and stride 1: x is N × (C·H·W), kernel F × (C·k·k),
   * bias 1×F; the result is N × (F·H·W), CHW rows.
   */
  public static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int channels, int height, int width,
      int kernelSize) {
    return conv2d(x, kernel, Objects.requireNonNull(bias, "Conv.conv2d: bias"), channels, height, width, kernelSize,
        Padding.SAME, 1);
  }

  /**
   * A 2-D convolution with the given padding and stride: x is N × (C·H·W), kernel F × (C·k·k),
   * bias 1×F or {@code null} for none; the result is N × (F·Ho·Wo), CHW rows, with Ho and Wo
   * from {@link #outputSize}.
   */
  public static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int channels, int height, int width,
      int kernelSize, Padding padding, int stride) {
    int n = checkImages("Conv.conv2d", x, channels, height, width);
    checkPositive("Conv.conv2d", kernelSize, stride);
    int k = channels * kernelSize * kernelSize;
    if (kernel.cols() != k) {
      throw new ShapeException("Conv.conv2d: the kernel must be F × (C·k·k) = F × " + k + " for " + channels
          + " channels and k = " + kernelSize + ", got " + kernel.shape());
    }
    int f = kernel.rows();
    if (bias != null && (bias.rows() != 1 || bias.cols() != f)) {
      throw new ShapeException("Conv.conv2d: the bias must be 1×" + f + " (one per output channel), got "
          + bias.shape());
    }
    int ho = outputSize(height, kernelSize, stride, padding);
    int wo = outputSize(width, kernelSize, stride, padding);
    Tensor cols = im2col(x, channels, height, width, kernelSize, padding, stride);
    Tensor y = Tensor.matmul(cols, kernel, false, true);
    if (bias != null) y = y.add(bias);
    return channelsFirst(y, n, ho * wo, f);
  }

  /**
   * The patches of every image: x is N × (C·H·W); the result is (N·P) × (C·k·k) where row
   * {@code n·P + p} holds the k×k window at output position p of image n (CHW order, zeros where
   * the window leaves the image). Its VJP is {@link #col2im}.
   */
  public static Tensor im2col(Tensor x, int channels, int height, int width, int kernelSize, Padding padding,
      int stride) {
    int n = checkImages("Conv.im2col", x, channels, height, width);
    IndexMap m = patchMap(channels, height, width, kernelSize, stride, padding);
    int k = channels * kernelSize * kernelSize;
    return gather("im2col", "col2im", x, m, n * (m.out.length / k), k);
  }

  /**
   * The adjoint of {@link #im2col}: sums each patch entry back into the image position it came
   * from; {@code cols} is (N·P) × (C·k·k), the result N × (C·H·W).
   */
  public static Tensor col2im(Tensor cols, int batch, int channels, int height, int width, int kernelSize,
      Padding padding, int stride) {
    checkPositive("Conv.col2im", batch, channels, height, width, kernelSize, stride);
    IndexMap m = patchMap(channels, height, width, kernelSize, stride, padding);
    int k = channels * kernelSize * kernelSize;
    if (cols.cols() != k || (long) cols.rows() * k != (long) batch * m.out.length) {
      throw new ShapeException("Conv.col2im: expected " + batch * (m.out.length / k) + "×" + k + " patches, got "
          + cols.shape());
    }
    return scatter("col2im", "im2col", cols, m, batch, channels * height * width);
  }

  /**
   * From position-major rows to CHW rows: y is (N·P) × F with row {@code n·P + p} holding the F
   * channels at position p of image n; the result is N × (F·P). Its VJP is {@link #positionsFirst}.
   */
  public static Tensor channelsFirst(Tensor y, int batch, int positions, int channels) {
    checkPositive("Conv.channelsFirst", batch, positions, channels);
    if (y.cols() != channels || y.rows() != batch * positions) {
      throw new ShapeException("Conv.channelsFirst: expected " + batch * positions + "×" + channels + ", got "
          + y.shape());
    }
    return gather("channelsFirst", "channelsFirstᵀ", y, transposeMap(positions, channels), batch, channels * positions);
  }

  /** From CHW rows to position-major rows: the inverse of {@link #channelsFirst}; x is N × (F·P). */
  public static Tensor positionsFirst(Tensor x, int channels, int positions) {
    checkPositive("Conv.positionsFirst", channels, positions);
    if (x.cols() != channels * positions) {
      throw new ShapeException("Conv.positionsFirst: expected rows of " + channels + "·" + positions + " values, got "
          + x.shape());
    }
    return gather("positionsFirst", "positionsFirstᵀ", x, transposeMap(channels, positions), x.rows() * positions,
        channels);
  }

  // ------------------------------------------------------------------ pooling

  /** 2×2 max-pooling with stride 2 and SAME padding: N × (C·H·W) to N × (C·⌈H/2⌉·⌈W/2⌉). */
  public static Tensor maxPool2x2(Tensor x, int channels, int height, int width) {
    return maxPool(x, channels, height, width, 2, 2, Padding.SAME);
  }

  /**
   * Max-pooling of each channel over size×size windows moved by {@code stride}; padding never
   * wins. The derivative goes to each window's first maximum (a NaN in a window wins).
   */
  public static Tensor maxPool(Tensor x, int channels, int height, int width, int size, int stride,
      Padding padding) {
    int n = checkImages("Conv.maxPool", x, channels, height, width);
    checkPositive("Conv.maxPool", size, stride);
    int ho = outputSize(height, size, stride, padding), wo = outputSize(width, size, stride, padding);
    int top = padBefore(height, size, stride, padding), left = padBefore(width, size, stride, padding);
    int plane = height * width, outPlane = ho * wo;
    double[] v = x.data();
    int[] map = new int[n * channels * outPlane];
    int o = 0;
    for (int ic = 0; ic < n * channels; ic++) {
      int base = ic * plane;
      for (int oy = 0; oy < ho; oy++) {
        int y0 = Math.max(oy * stride - top, 0), y1 = Math.min(oy * stride - top + size, height);
        for (int ox = 0; ox < wo; ox++) {
          int x0 = Math.max(ox * stride - left, 0), x1 = Math.min(ox * stride - left + size, width);
          int best = -1;
          double bv = 0;
          for (int yy = y0; yy < y1; yy++) {
            for (int xx = x0; xx < x1; xx++) {
              int i = base + yy * width + xx;
              double e = v[i];
              if (best < 0 || e > bv || (Double.isNaN(e) && !Double.isNaN(bv))) {
                best = i;
                bv = e;
              }
            }
          }
          map[o++] = best;
        }
      }
    }
    IndexMap m = new IndexMap(map, n * channels * plane);
    return gather("maxPool", "maxPoolᵀ", x, m, n, channels * outPlane);
  }

  /** 2×2 average pooling with stride 2 and SAME padding (padding not counted). */
  public static Tensor avgPool2x2(Tensor x, int channels, int height, int width) {
    return avgPool(x, channels, height, width, 2, 2, Padding.SAME);
  }

  /**
   * Average pooling of each channel over size×size windows moved by {@code stride}; each output
   * is the mean of the window's entries inside the image (padding not counted).
   */
  public static Tensor avgPool(Tensor x, int channels, int height, int width, int size, int stride,
      Padding padding) {
    int n = checkImages("Conv.avgPool", x, channels, height, width);
    checkPositive("Conv.avgPool", size, stride);
    int ho = outputSize(height, size, stride, padding), wo = outputSize(width, size, stride, padding);
    int top = padBefore(height, size, stride, padding), left = padBefore(width, size, stride, padding);
    int plane = height * width, outPlane = ho * wo;
    double[] count = new double[channels * outPlane];
    Tensor sum = null;
    for (int dy = 0; dy < size; dy++) {
      for (int dx = 0; dx < size; dx++) {
        int[] map = new int[channels * outPlane];
        int o = 0;
        for (int c = 0; c < channels; c++) {
          for (int oy = 0; oy < ho; oy++) {
            int yy = oy * stride - top + dy;
            for (int ox = 0; ox < wo; ox++) {
              int xx = ox * stride - left + dx;
              boolean inside = yy >= 0 && yy < height && xx >= 0 && xx < width;
              if (inside) count[o]++;
              map[o++] = inside ? c * plane + yy * width + xx : -1;
            }
          }
        }
        Tensor part = gather("avgPoolTap", "avgPoolTapᵀ", x, new IndexMap(map, channels * plane), n,
            channels * outPlane);
        sum = sum == null ? part : sum.add(part);
      }
    }
    for (int i = 0; i < count.length; i++) count[i] = 1 / count[i];
    return sum.mul(Tensor.own(1, count.length, count));
  }

  // ------------------------------------------------------------------ index maps

  /**
   * A fixed copy pattern between flat arrays split into blocks: for each block b,
   * {@code out[b·out.length + j] = in[b·inBlock + out[j]]}, or 0 where {@code out[j] < 0}.
   */
  static final class IndexMap {
    final int[] out;
    final int inBlock;

    IndexMap(int[] out, int inBlock) {
      this.out = out;
      this.inBlock = inBlock;
    }
  }

  private record PatchKey(int channels, int height, int width, int kernelSize, int stride, Padding padding) {}

  private record TransposeKey(int rows, int cols) {}

  private static final ConcurrentHashMap<PatchKey, IndexMap> PATCH_MAPS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<TransposeKey, IndexMap> TRANSPOSE_MAPS = new ConcurrentHashMap<>();

  /** The im2col pattern of one image (maps are immutable once built, so they are cached). */
  static IndexMap patchMap(int channels, int height, int width, int kernelSize, int stride, Padding padding) {
    Objects.requireNonNull(padding, "Conv: padding");
    return PATCH_MAPS.computeIfAbsent(new PatchKey(channels, height, width, kernelSize, stride, padding), key -> {
      int ho = outputSize(height, kernelSize, stride, padding), wo = outputSize(width, kernelSize, stride, padding);
      int top = padBefore(height, kernelSize, stride, padding), left = padBefore(width, kernelSize, stride, padding);
      int kk = kernelSize * kernelSize, k = channels * kk;
      int[] map = new int[ho * wo * k];
      int o = 0;
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          for (int c = 0; c < channels; c++) {
            for (int dy = 0; dy < kernelSize; dy++) {
              int yy = oy * stride - top + dy;
              for (int dx = 0; dx < kernelSize; dx++) {
                int xx = ox * stride - left + dx;
                map[o++] = yy >= 0 && yy < height && xx >= 0 && xx < width ? (c * height + yy) * width + xx : -1;
              }
            }
          }
        }
      }
      return new IndexMap(map, channels * height * width);
    });
  }

  /** The pattern that transposes one rows×cols block (row-major) into cols×rows. */
  static IndexMap transposeMap(int rows, int cols) {
    return TRANSPOSE_MAPS.computeIfAbsent(new TransposeKey(rows, cols), key -> {
      int[] map = new int[rows * cols];
      for (int c = 0; c < cols; c++) {
        for (int r = 0; r < rows; r++) map[c * rows + r] = r * cols + c;
      }
      return new IndexMap(map, rows * cols);
    });
  }

  /** The gather of a fixed index map, as a rows×cols tensor; its VJP is {@link #scatter}. */
  static Tensor gather(String name, String adjointName, Tensor x, IndexMap m, int rows, int cols) {
    int ob = m.out.length, ib = m.inBlock;
    int blocks = x.size() / ib;
    if ((long) blocks * ib != x.size() || (long) rows * cols != (long) blocks * ob) {
      throw new ShapeException(name + ": a " + x.shape() + " input and blocks of " + ib + " → " + ob
          + " do not give a " + rows + "×" + cols + " result");
    }
    double[] in = x.data();
    double[] out = new double[rows * cols];
    int[] map = m.out;
    for (int b = 0; b < blocks; b++) {
      int io = b * ib, oo = b * ob;
      for (int j = 0; j < ob; j++) {
        int s = map[j];
        if (s >= 0) out[oo + j] = in[io + s];
      }
    }
    int xr = x.rows(), xc = x.cols();
    return Tensor.make(name, rows, cols, out,
        (ct, y, need) -> new Tensor[] {scatter(adjointName, name, ct, m, xr, xc)}, x);
  }

  /** The adjoint of {@link #gather}: scatter-adds y into a rows×cols tensor; its VJP is the gather. */
  static Tensor scatter(String name, String adjointName, Tensor y, IndexMap m, int rows, int cols) {
    int ob = m.out.length, ib = m.inBlock;
    int blocks = y.size() / ob;
    if ((long) blocks * ob != y.size() || (long) rows * cols != (long) blocks * ib) {
      throw new ShapeException(name + ": a " + y.shape() + " input and blocks of " + ob + " → " + ib
          + " do not give a " + rows + "×" + cols + " result");
    }
    double[] in = y.data();
    double[] out = new double[rows * cols];
    int[] map = m.out;
    for (int b = 0; b < blocks; b++) {
      int io = b * ob, oo = b * ib;
      for (int j = 0; j < ob; j++) {
        int s = map[j];
        if (s >= 0) out[oo + s] += in[io + j];
      }
    }
    int yr = y.rows(), yc = y.cols();
    return Tensor.make(name, rows, cols, out,
        (ct, out2, need) -> new Tensor[] {gather(adjointName, name, ct, m, yr, yc)}, y);
  }
}
