package l2l.problems.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of labelled 8-bit images of one shape. Pixels are kept as bytes, image after
 * image, each image channel-major (CHW: channel, row, column); they are read as doubles in [0, 1]
 * (byte / 255). Nothing mutable ever leaves: accessors copy or write into the caller's array.
 */
public final class ImageDataset {

  /** Order in which one image's pixels are flattened into a row. */
  public enum Layout {
    /** Channel, then row, then column: {@code c·H·W + y·W + x} (PyTorch order). */
    CHW,
    /** Row, then column, then channel: {@code (y·W + x)·C + c} (TensorFlow order). */
    HWC
  }

  private static final double[] UNIT = new double[256];

  static {
    for (int v = 0; v < 256; v++) {
      UNIT[v] = v / 255.0;
    }
  }

  private final String name;
  private final int height;
  private final int width;
  private final int channels;
  private final int classes;
  private final byte[] pixels;
  private final int[] labels;

  /** Takes ownership of the arrays: callers must not keep them. Validates everything. */
  ImageDataset(String name, int height, int width, int channels, int classes, byte[] pixels,
      int[] labels) {
    this.name = Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    positive("height", height);
    positive("width", width);
    positive("channels", channels);
    positive("classes", classes);
    long expected = (long) labels.length * channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(name + ": " + labels.length + " images of " + channels
          + "×" + height + "×" + width + " need " + expected + " pixel bytes, got "
          + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
            + " is outside 0.." + (classes - 1));
      }
    }
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classes = classes;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * A dataset of {@code labels.length} images of {@code channels×height×width} bytes each, in CHW
   * order image after image; both arrays are copied.
   *
   * @throws IllegalArgumentException if a size is not positive, the pixel count does not match,
   *     or a label is outside {@code 0..classes-1}
   */
  public static ImageDataset of(String name, int height, int width, int channels, int classes,
      byte[] pixels, int[] labels) {
    return new ImageDataset(name, height, width, channels, classes, pixels.clone(),
        labels.clone());
  }

  private static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /** A short name, e.g. {@code "mnist-train"}. */
  public String name() {
    return name;
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** Rows per image. */
  public int height() {
    return height;
  }

  /** Columns per image. */
  public int width() {
    return width;
  }

  /** Channels per image (1 grey, 3 RGB). */
  public int channels() {
    return channels;
  }

  /** Number of classes: every label lies in {@code 0..classes()-1}. */
  public int classes() {
    return classes;
  }

  /** Pixels per image, {@code channels·height·width}: the length of one flattened row. */
  public int features() {
    return channels * height * width;
  }

  /** The label of image {@code i}. */
  public int label(int i) {
    return labels[Objects.checkIndex(i, labels.length)];
  }

  /** A copy of all labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** The labels of the images at {@code indices}, in that order. */
  public int[] labels(int[] indices) {
    int[] out = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = label(indices[k]);
    }
    return out;
  }

  /** The byte 0..255 of image {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
  public int rawPixel(int i, int c, int y, int x) {
    Objects.checkIndex(i, labels.length);
    Objects.checkIndex(c, channels);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
  }

  /** The value of one pixel scaled to [0, 1]: {@code rawPixel(i, c, y, x) / 255}. */
  public double pixel(int i, int c, int y, int x) {
    return UNIT[rawPixel(i, c, y, x)];
  }

  /** A copy of image {@code i}'s raw bytes, in CHW order. */
  public byte[] rawImage(int i) {
    int n = features();
    int from = Objects.checkIndex(i, labels.length) * n;
    return Arrays.copyOfRange(pixels, from, from + n);
  }

  /** Writes image {@code i} scaled to [0, 1] in CHW order into {@code dst} from {@code offset}. */
  public void image(int i, double[] dst, int offset) {
    image(i, Layout.CHW, dst, offset);
  }

  /** Writes image {@code i}, scaled to [0, 1], in {@code layout} into {@code dst} at offset. */
  public void image(int i, Layout layout, double[] dst, int offset) {
    write(i, layout, null, dst, offset);
  }

  /**
   * The images at {@code indices} as a row-major {@code indices.length × features()} matrix of
   * values in [0, 1], each row one image flattened in {@code layout}.
   */
  public double[] batch(int[] indices, Layout layout) {
    double[] out = new double[Math.multiplyExact(indices.length, features())];
    batch(indices, layout, out, 0);
    return out;
  }

  /** Like {@link #batch(int[], Layout)}, written into {@code dst} from {@code offset}. */
  public void batch(int[] indices, Layout layout, double[] dst, int offset) {
    batch(indices, layout, null, dst, offset);
  }

  /**
   * Like {@link #batch(int[], Layout, double[], int)} but standardized: each value of channel c
   * becomes {@code (value - stats.mean(c)) / stats.std(c)}. A null {@code stats} means none.
   */
  public void batch(int[] indices, Layout layout, ChannelStats stats, double[] dst, int offset) {
    Objects.requireNonNull(layout, "layout");
    if (stats != null && stats.channels() != channels) {
      throw new IllegalArgumentException("stats are for " + stats.channels()
          + " channels, the images have " + channels);
    }
    int n = features();
    Objects.checkFromIndexSize(offset, Math.multiplyExact(indices.length, n), dst.length);
    for (int k = 0; k < indices.length; k++) {
      write(indices[k], layout, stats, dst, offset + k * n);
    }
  }

  /** Same as {@link #batch(int[], Layout)} standardized with {@code stats}. */
  public double[] batch(int[] indices, Layout layout, ChannelStats stats) {
    double[] out = new double[Math.multiplyExact(indices.length, features())];
    batch(indices, layout, stats, out, 0);
    return out;
  }

  private void write(int i, Layout layout, ChannelStats stats, double[] dst, int offset) {
    Objects.checkIndex(i, labels.length);
    int plane = height * width;
    int base = i * channels * plane;
    Objects.checkFromIndexSize(offset, channels * plane, dst.length);
    for (int c = 0; c < channels; c++) {
      double mean = stats == null ? 0 : stats.mean(c);
      double scale = stats == null ? 1 : 1 / stats.std(c);
      int src = base + c * plane;
      if (layout == Layout.CHW) {
        int to = offset + c * plane;
        for (int p = 0; p < plane; p++) {
          dst[to + p] = (UNIT[pixels[src + p] & 0xFF] - mean) * scale;
        }
      } else {
        for (int p = 0; p < plane; p++) {
          dst[offset + p * channels + c] = (UNIT[pixels[src + p] & 0xFF] - mean) * scale;
        }
      }
    }
  }

  /** The labels at {@code indices} one-hot, row-major: {@code indices.length × classes()}. */
  public double[] oneHot(int[] indices) {
    double[] out = new double[Math.multiplyExact(indices.length, classes)];
    for (int k = 0; k < indices.length; k++) {
      out[k * classes + label(indices[k])] = 1;
    }
    return out;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive), renamed {@code name[from:to]}. */
  public ImageDataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, labels.length);
    int n = features();
    return new ImageDataset(name + "[" + from + ":" + to + "]", height, width, channels, classes,
        Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to));
  }

  /** The first {@code n} images. */
  public ImageDataset first(int n) {
    return slice(0, n);
  }

  /** The last {@code n} images. */
  public ImageDataset last(int n) {
    return slice(labels.length - n, labels.length);
  }

  /** The images at {@code indices}, in that order (repeats allowed). */
  public ImageDataset select(int[] indices) {
    int n = features();
    byte[] px = new byte[Math.multiplyExact(indices.length, n)];
    int[] lb = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], labels.length);
      System.arraycopy(pixels, i * n, px, k * n, n);
      lb[k] = labels[i];
    }
    return new ImageDataset(name + "[" + indices.length + " selected]", height, width, channels,
        classes, px, lb);
  }

  /** The same images under another name. */
  public ImageDataset withName(String newName) {
    return new ImageDataset(newName, height, width, channels, classes, pixels, labels);
  }

  /**
   * Every image centred on a zero background of {@code newHeight × newWidth} (e.g. MNIST's 28×28
   * into 32×32: 2 zero rows and columns on each side; an odd margin puts the extra one below and
   * to the right).
   *
   * @throws IllegalArgumentException if the new size is smaller than the images
   */
  public ImageDataset padTo(int newHeight, int newWidth) {
    if (newHeight < height || newWidth < width) {
      throw new IllegalArgumentException("cannot pad " + height + "×" + width + " images to "
          + newHeight + "×" + newWidth);
    }
    int top = (newHeight - height) / 2;
    int left = (newWidth - width) / 2;
    int count = labels.length;
    byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(count * channels, newHeight),
        newWidth)];
    for (int ic = 0; ic < count * channels; ic++) {
      for (int y = 0; y < height; y++) {
        System.arraycopy(pixels, (ic * height + y) * width, px,
            (ic * newHeight + y + top) * newWidth + left, width);
      }
    }
    return new ImageDataset(name, newHeight, newWidth, channels, classes, px, labels);
  }

  /**
   * The images with {@code newChannels} channels, the single channel of a grey image copied into
   * each (e.g. grey MNIST as RGB for a CIFAR-shaped net). Same channel count returns this.
   *
   * @throws IllegalArgumentException unless the images have 1 channel or already
   *     {@code newChannels}
   */
  public ImageDataset withChannels(int newChannels) {
    if (newChannels == channels) {
      return this;
    }
    if (channels != 1 || newChannels < 1) {
      throw new IllegalArgumentException("can only replicate 1 channel, the images have "
          + channels + " and " + newChannels + " were asked");
    }
    int plane = height * width;
    int count = labels.length;
    byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(count, newChannels), plane)];
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < newChannels; c++) {
        System.arraycopy(pixels, i * plane, px, (i * newChannels + c) * plane, plane);
      }
    }
    return new ImageDataset(name, height, width, newChannels, classes, px, labels);
  }

  /**
   * Mean and standard deviation of each channel over all pixels of all images, in [0, 1] units:
   * the usual statistics to standardize with (compute them on the training split). A standard
   * deviation is at least 1/255, so a constant channel does not divide by zero.
   */
  public ChannelStats channelStats() {
    int plane = height * width;
    double[] mean = new double[channels];
    double[] std = new double[channels];
    for (int c = 0; c < channels; c++) {
      long[] hist = new long[256];
      for (int i = 0; i < labels.length; i++) {
        int from = (i * channels + c) * plane;
        for (int p = from; p < from + plane; p++) {
          hist[pixels[p] & 0xFF]++;
        }
      }
      double n = (double) labels.length * plane;
      double sum = 0;
      for (int v = 0; v < 256; v++) {
        sum += hist[v] * UNIT[v];
      }
      double m = n == 0 ? 0 : sum / n;
      double sq = 0;
      for (int v = 0; v < 256; v++) {
        sq += hist[v] * (UNIT[v] - m) * (UNIT[v] - m);
      }
      mean[c] = m;
      std[c] = Math.max(n == 0 ? 0 : Math.sqrt(sq / n), 1 / 255.0);
    }
    return new ChannelStats(mean, std);
  }

  /** Equal when name, shape, classes, pixels and labels are all equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ImageDataset d && name.equals(d.name) && height == d.height
        && width == d.width && channels == d.channels && classes == d.classes
        && Arrays.equals(labels, d.labels) && Arrays.equals(pixels, d.pixels);
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(name, height, width, channels, classes, Arrays.hashCode(labels),
        Arrays.hashCode(pixels));
  }

  /** E.g. {@code ImageDataset[mnist-train: 60000 × 1×28×28, 10 classes]}. */
  @Override
  public String toString() {
    return "ImageDataset[" + name + ": " + labels.length + " × " + channels + "×" + height + "×"
        + width + ", " + classes + " classes]";
  }
}
