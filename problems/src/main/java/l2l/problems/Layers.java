package l2l.problems;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Tensor;

/** Building blocks shared by the network problems (package-private). */
final class Layers {
  private Layers() {}

  /** TensorFlow's batch-norm default ε (the original code's {@code nn.BatchNorm}). */
  static final double BN_EPS = 1e-3;

  /** Batch normalisation over the rows of x (batch statistics) plus the offset beta (1×cols). */
  static Tensor batchNormFeatures(Tensor x, Tensor beta) {
    Tensor d = x.sub(x.colMeans());
    Tensor var = d.square().colMeans();
    return d.div(var.add(BN_EPS).sqrt()).add(beta);
  }

  /** The batch mean and (biased) variance of each channel of CHW rows N × (C·P), each C×1. */
  static Tensor[] channelMoments(Tensor x, int channels, int positions) {
    double count = (double) x.rows() * positions;
    Tensor mean = perChannel(x.colSums(), channels, positions).mul(1 / count);
    Tensor d = x.sub(spread(mean, channels, positions));
    Tensor var = perChannel(d.square().colSums(), channels, positions).mul(1 / count);
    return new Tensor[] {mean, var};
  }

  /**
   * (y − mean) / √(var + ε) + beta per channel of CHW rows N × (C·P) with the given moments (C×1)
   * and offset (1×C); y may be a pooled version of the tensor the moments were taken from.
   */
  static Tensor normalizeChannels(Tensor y, Tensor mean, Tensor var, Tensor beta, int channels, int positions) {
    Tensor scale = var.add(BN_EPS).sqrt().rdiv(1);
    Tensor shift = beta.reshape(channels, 1).sub(mean.mul(scale));
    return y.mul(spread(scale, channels, positions)).add(spread(shift, channels, positions));
  }

  /** Sums a 1×(C·P) row per channel into C×1. */
  private static Tensor perChannel(Tensor row, int channels, int positions) {
    return row.reshape(channels, positions).rowSums();
  }

  /** Repeats a C×1 column P times per channel into a 1×(C·P) row. */
  private static Tensor spread(Tensor column, int channels, int positions) {
    return column.broadcastTo(channels, positions).reshape(1, channels * positions);
  }

  /** A rows×cols tensor from N(0, std²) (the original's initialiser for weights and biases). */
  static Tensor normal(int rows, int cols, double std, SplittableRandom rng) {
    return Tensor.normal(rows, cols, 0, std, rng);
  }

  /** {@code count} indices uniform in [0, n), with replacement (the original's minibatches). */
  static int[] indices(int count, int n, SplittableRandom rng) {
    int[] idx = new int[count];
    for (int i = 0; i < count; i++) idx[i] = rng.nextInt(n);
    return idx;
  }

  /** The index of the largest entry of each row of x. */
  static int[] argmaxRows(Tensor x) {
    double[] d = x.toArray();
    int r = x.rows(), c = x.cols();
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) {
        if (d[i * c + j] > d[i * c + best]) best = j;
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * "test_loss" (mean softmax cross-entropy) and "test_accuracy" of a classifier over the first
   * {@code limit} images of {@code test}, fed in chunks of {@code chunk} images.
   */
  static Map<String, Double> classify(ImageInput test, int limit, int chunk, Function<Tensor, Tensor> logits) {
    int n = Math.min(limit, test.count());
    double loss = 0;
    long correct = 0;
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      int[] idx = new int[to - from];
      for (int i = 0; i < idx.length; i++) idx[i] = from + i;
      int[] labels = test.labels(idx);
      Tensor out = logits.apply(test.images(idx));
      loss += out.softmaxCrossEntropy(labels).sum().item();
      int[] guess = argmaxRows(out);
      for (int i = 0; i < idx.length; i++) {
        if (guess[i] == labels[i]) correct++;
      }
    }
    return LinkedHashMap.of("test_loss", loss / n, "test_accuracy", (double) correct / n);
  }
}
