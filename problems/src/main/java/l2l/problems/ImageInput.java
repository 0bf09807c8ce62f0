package l2l.problems;

import java.util.Objects;
import l2l.autodiff.Tensor;
import l2l.problems.data.ImageDataset;

/**
 * Labelled images brought to the shape a network expects, one minibatch at a time: each image
 * is centred on a zero background of {@code height×width} (MNIST's 28×28 in 32×32: 2 pixels on
 * each side) and a grey image's channel is copied into every channel. Pixels are in [0, 1]
 * (byte / 255), as in the original code. Padding per batch keeps the dataset itself small.
 *
 * @param data the images
 * @param channels channels per image fed to the network (the data's, or any if the data is grey)
 * @param height rows per image fed to the network (at least the data's)
 * @param width columns per image fed to the network (at least the data's)
 */
public record ImageInput(ImageDataset data, int channels, int height, int width) {

  /** Checks that the data can be brought to this shape. */
  public ImageInput {
    Objects.requireNonNull(data, "ImageInput: data");
    if (height < data.height() || width < data.width()) {
      throw new IllegalArgumentException("ImageInput: cannot fit " + data.height() + "×" + data.width() + " images of "
          + data.name() + " into " + height + "×" + width);
    }
    if (channels != data.channels() && data.channels() != 1) {
      throw new IllegalArgumentException("ImageInput: " + data.name() + " has " + data.channels()
          + " channels; only 1-channel images can be replicated to " + channels);
    }
  }

  /** The data in its own shape. */
  public static ImageInput of(ImageDataset data) {
    return new ImageInput(data, data.channels(), data.height(), data.width());
  }

  /** Values per image fed to the network, channels·height·width. */
  public int features() {
    return channels * height * width;
  }

  /** Number of images. */
  public int count() {
    return data.count();
  }

  /** Whether images are padded or their channels replicated. */
  public boolean reshaped() {
    return channels != data.channels() || height != data.height() || width != data.width();
  }

  /** The images at {@code indices} as an untraced indices.length × features() tensor, CHW rows. */
  public Tensor images(int[] indices) {
    double[] raw = data.batch(indices, ImageDataset.Layout.CHW);
    if (!reshaped()) return Tensor.fromRowMajor(indices.length, features(), raw);
    int c0 = data.channels(), h0 = data.height(), w0 = data.width();
    int top = (height - h0) / 2, left = (width - w0) / 2;
    int in = c0 * h0 * w0, out = features();
    double[] d = new double[indices.length * out];
    for (int n = 0; n < indices.length; n++) {
      for (int c = 0; c < channels; c++) {
        int src = n * in + (c0 == 1 ? 0 : c) * h0 * w0;
        for (int y = 0; y < h0; y++) {
          System.arraycopy(raw, src + y * w0, d, n * out + (c * height + y + top) * width + left, w0);
        }
      }
    }
    return Tensor.fromRowMajor(indices.length, out, d);
  }

  /** The labels of the images at {@code indices}. */
  public int[] labels(int[] indices) {
    return data.labels(indices);
  }

  /** "name" or "name→C×H×W" when reshaped. */
  public String describe() {
    return data.name() + (reshaped() ? "→" + channels + "×" + height + "×" + width : "");
  }
}
