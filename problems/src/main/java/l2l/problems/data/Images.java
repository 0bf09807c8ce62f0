package l2l.problems.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Loads pictures (PNG, JPEG, anything {@link ImageIO} reads) as square RGB images, e.g. the
 * content and style images of a neural-art problem, and writes images back as PNG.
 */
public final class Images {

  private Images() {}

  /**
   * The picture in {@code file} as a dataset of one {@code 3×size×size} image (label 0, 1
   * class): the largest centred square is cropped, then resampled to {@code size} by area
   * averaging (each output pixel the mean of the source area it covers). Grey pictures become
   * three equal channels; grey and RGB samples are taken as stored, without colour conversion.
   *
   * @throws DataFormatException if the file is missing or not a picture ImageIO can read
   */
  public static ImageDataset loadRgb(Path file, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive, got " + size);
    }
    BufferedImage img = decode(file);
    int w = img.getWidth();
    int h = img.getHeight();
    int side = Math.min(w, h);
    int x0 = (w - side) / 2;
    int y0 = (h - side) / 2;
    double[] src = new double[3 * side * side];
    readRgb(img, x0, y0, side, src);
    double[] out = resize(src, 3, side, size);
    byte[] px = new byte[out.length];
    for (int k = 0; k < out.length; k++) {
      px[k] = (byte) Math.max(0, Math.min(255, Math.round(out[k])));
    }
    String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return new ImageDataset(name, size, size, 3, 1, px, new int[1]);
  }

  /**
   * Writes image {@code index} of {@code data} (1 or 3 channels) as an 8-bit PNG.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writePng(ImageDataset data, int index, Path file) {
    double[] chw = new double[data.features()];
    data.image(index, chw, 0);
    writePng(chw, data.channels(), data.height(), data.width(), file);
  }

  /**
   * Writes a CHW image of values in [0, 1] (clamped; 1 grey or 3 RGB channels) as an 8-bit PNG.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writePng(double[] chw, int channels, int height, int width, Path file) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("PNG needs 1 or 3 channels, got " + channels);
    }
    if (chw.length != channels * height * width) {
      throw new IllegalArgumentException(chw.length + " values do not make a " + channels + "×"
          + height + "×" + width + " image");
    }
    BufferedImage img = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    int plane = height * width;
    var raster = img.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          double v = chw[c * plane + y * width + x];
          int b = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
          raster.setSample(x, y, c, b);
        }
      }
    }
    try {
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static BufferedImage decode(Path file) {
    byte[] bytes = RawFile.read(file);
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(file, "cannot decode the picture: " + e, e);
    }
    if (img == null) {
      throw new DataFormatException(file, "expected a picture ImageIO can read (PNG, JPEG, GIF, "
          + "BMP), found " + bytes.length + " bytes in no format it knows");
    }
    if (img.getWidth() < 1 || img.getHeight() < 1) {
      throw new DataFormatException(file, "expected a picture of positive size, found "
          + img.getWidth() + "×" + img.getHeight());
    }
    return img;
  }

  /** Writes the {@code side×side} square at (x0, y0) as CHW RGB values 0..255 into dst. */
  private static void readRgb(BufferedImage img, int x0, int y0, int side, double[] dst) {
    int plane = side * side;
    Raster r = img.getRaster();
    boolean component = img.getColorModel() instanceof ComponentColorModel;
    int type = img.getColorModel().getColorSpace().getType();
    int bits = r.getSampleModel().getSampleSize(0);
    double scale = 255.0 / ((1L << bits) - 1);
    if (component && type == ColorSpace.TYPE_GRAY && bits <= 16) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double v = r.getSample(x0 + x, y0 + y, 0) * scale;
          dst[y * side + x] = v;
          dst[plane + y * side + x] = v;
          dst[2 * plane + y * side + x] = v;
        }
      }
    } else if (component && type == ColorSpace.TYPE_RGB && r.getNumBands() >= 3 && bits <= 16) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            dst[c * plane + y * side + x] = r.getSample(x0 + x, y0 + y, c) * scale;
          }
        }
      }
    } else {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int rgb = img.getRGB(x0 + x, y0 + y);
          dst[y * side + x] = (rgb >> 16) & 0xFF;
          dst[plane + y * side + x] = (rgb >> 8) & 0xFF;
          dst[2 * plane + y * side + x] = rgb & 0xFF;
        }
      }
    }
  }

  /** Area-average resampling of a CHW square image from side {@code from} to side {@code to}. */
  static double[] resize(double[] src, int channels, int from, int to) {
    if (from == to) {
      return src.clone();
    }
    double[][] weights = new double[to][];
    int[] starts = new int[to];
    double ratio = (double) from / to;
    for (int o = 0; o < to; o++) {
      double lo = o * ratio;
      double hi = (o + 1) * ratio;
      int first = (int) Math.floor(lo);
      int last = Math.min(from - 1, (int) Math.ceil(hi) - 1);
      double[] w = new double[last - first + 1];
      for (int s = first; s <= last; s++) {
        w[s - first] = Math.min(hi, s + 1) - Math.max(lo, s);
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= ratio;
      }
      weights[o] = w;
      starts[o] = first;
    }
    double[] rows = new double[channels * from * to];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < from; y++) {
        int in = (c * from + y) * from;
        int out = (c * from + y) * to;
        for (int ox = 0; ox < to; ox++) {
          double v = 0;
          double[] w = weights[ox];
          for (int k = 0; k < w.length; k++) {
            v += w[k] * src[in + starts[ox] + k];
          }
          rows[out + ox] = v;
        }
      }
    }
    double[] out = new double[channels * to * to];
    for (int c = 0; c < channels; c++) {
      for (int oy = 0; oy < to; oy++) {
        double[] w = weights[oy];
        for (int ox = 0; ox < to; ox++) {
          double v = 0;
          for (int k = 0; k < w.length; k++) {
            v += w[k] * rows[(c * from + starts[oy] + k) * to + ox];
          }
          out[(c * to + oy) * to + ox] = v;
        }
      }
    }
    return out;
  }
}
