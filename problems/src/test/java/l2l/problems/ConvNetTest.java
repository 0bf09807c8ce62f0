package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import java.util.SplittableRandom;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.ImageDataset;
import org.junit.jupiter.api.Test;

/** The CIFAR-shaped conv net on small synthetic images: loss against loops, gradients, determinism, descent. */
class ConvNetTest {
  static final ImageDataset TRAIN = TestData.images("train", 40, 3, 7, 7, 3, 1);
  static final ImageDataset TEST = TestData.images("test", 20, 3, 7, 7, 3, 2);

  static ConvNet small(boolean batchNorm) {
    return new ConvNet(ImageInput.of(TRAIN), ImageInput.of(TEST), List.of(2, 3), 3, List.of(4), batchNorm, 5, 0.01);
  }

  // ------------------------------------------------------------------ the net as loops over [n][c][y][x]

  static double[][][][] input(ImageDataset d, int[] idx) {
    double[][][][] x = new double[idx.length][d.channels()][d.height()][d.width()];
    for (int n = 0; n < idx.length; n++) {
      for (int c = 0; c < d.channels(); c++) {
        for (int y = 0; y < d.height(); y++) {
          for (int xx = 0; xx < d.width(); xx++) x[n][c][y][xx] = d.pixel(idx[n], c, y, xx);
        }
      }
    }
    return x;
  }

  static double[][][][] conv(double[][][][] in, Tensor w, Tensor b, int k) {
    int n = in.length, c = in[0].length, h = in[0][0].length, wd = in[0][0][0].length, f = w.rows(), pad = (k - 1) / 2;
    double[][][][] out = new double[n][f][h][wd];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < f; o++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < wd; x++) {
            double s = b.get(0, o);
            for (int ch = 0; ch < c; ch++) {
              for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                  int yy = y + dy - pad, xx = x + dx - pad;
                  if (yy >= 0 && yy < h && xx >= 0 && xx < wd) s += in[i][ch][yy][xx] * w.get(o, (ch * k + dy) * k + dx);
                }
              }
            }
            out[i][o][y][x] = s;
          }
        }
      }
    }
    return out;
  }

  static void batchNormReluChannels(double[][][][] a, Tensor beta, boolean bn) {
    int n = a.length, f = a[0].length, h = a[0][0].length, w = a[0][0][0].length;
    for (int c = 0; c < f; c++) {
      double mean = 0, var = 0, count = n * h * w;
      for (double[][][] img : a) for (double[] row : img[c]) for (double v : row) mean += v / count;
      for (double[][][] img : a) for (double[] row : img[c]) for (double v : row) var += (v - mean) * (v - mean) / count;
      for (double[][][] img : a) {
        for (double[] row : img[c]) {
          for (int x = 0; x < w; x++) {
            double v = bn ? (row[x] - mean) / Math.sqrt(var + 1e-3) + beta.get(0, c) : row[x];
            row[x] = Math.max(v, 0);
          }
        }
      }
    }
  }

  static double[][][][] maxPool(double[][][][] a) {
    int n = a.length, c = a[0].length, h = a[0][0].length, w = a[0][0][0].length;
    double[][][][] out = new double[n][c][(h + 1) / 2][(w + 1) / 2];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < (h + 1) / 2; y++) {
          for (int x = 0; x < (w + 1) / 2; x++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int yy = 2 * y; yy < Math.min(2 * y + 2, h); yy++) {
              for (int xx = 2 * x; xx < Math.min(2 * x + 2, w); xx++) m = Math.max(m, a[i][ch][yy][xx]);
            }
            out[i][ch][y][x] = m;
          }
        }
      }
    }
    return out;
  }

  /** The mean cross-entropy of the net on images idx of d, every op as loops. */
  static double loopLoss(ConvNet p, Tree params, ImageDataset d, int[] idx) {
    double[][][][] a = input(d, idx);
    for (int l = 0; l < p.convChannels().size(); l++) {
      a = conv(a, params.tensor("conv" + l + "/w"), params.tensor("conv" + l + "/b"), p.kernelSize());
      batchNormReluChannels(a, p.batchNorm() ? params.tensor("conv" + l + "/beta") : null, p.batchNorm());
      a = maxPool(a);
    }
    int n = idx.length;
    double[][] h = new double[n][];
    for (int i = 0; i < n; i++) {
      h[i] = java.util.Arrays.stream(a[i]).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream)
          .toArray();
    }
    int layers = p.linear().size();
    for (int l = 0; l <= layers; l++) {
      Tensor w = params.tensor("layer" + l + "/w"), b = params.tensor("layer" + l + "/b");
      double[][] z = new double[n][w.cols()];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < w.cols(); j++) {
          z[i][j] = b.get(0, j);
          for (int q = 0; q < w.rows(); q++) z[i][j] += h[i][q] * w.get(q, j);
        }
      }
      if (l < layers) {
        for (int j = 0; j < w.cols(); j++) {
          double mean = 0, var = 0;
          for (int i = 0; i < n; i++) mean += z[i][j] / n;
          for (int i = 0; i < n; i++) var += (z[i][j] - mean) * (z[i][j] - mean) / n;
          for (int i = 0; i < n; i++) {
            double v = p.batchNorm() ? (z[i][j] - mean) / Math.sqrt(var + 1e-3) + params.tensor("layer" + l + "/beta")
                .get(0, j) : z[i][j];
            z[i][j] = Math.max(v, 0);
          }
        }
      }
      h = z;
    }
    double total = 0;
    for (int i = 0; i < n; i++) total += MlpTest.crossEntropy(h[i], d.label(idx[i]));
    return total / n;
  }

  static Tree randomParams(Tree like, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return like.map(t -> Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
  }

  // ------------------------------------------------------------------ tests

  @Test
  void lossEqualsTheNetWrittenAsLoopsWithAndWithoutBatchNorm() {
    for (boolean bn : new boolean[] {true, false}) {
      ConvNet p = small(bn);
      ConvNet.Instance task = p.sample(3);
      Tree params = randomParams(task.init(), 4);
      for (int step : new int[] {0, 5}) {
        int[] idx = task.batchIndices(step);
        assertEquals(loopLoss(p, params, TRAIN, idx), task.loss(params, step).item(), 1e-12, "batch norm " + bn);
      }
    }
  }

  @Test
  void parametersFollowTheCifarLayoutAndConvFiltersAreTheirOwnLeaves() {
    ConvNet p = ConvNet.of(new ImageInput(TRAIN, 3, 32, 32), new ImageInput(TEST, 3, 32, 32));
    Tree init = p.sample(0).init();
    assertEquals(List.of("conv0/w", "conv0/b", "conv0/beta", "conv1/w", "conv1/b", "conv1/beta", "conv2/w", "conv2/b",
        "conv2/beta", "layer0/w", "layer0/b", "layer0/beta", "layer1/w", "layer1/b"), init.paths());
    assertEquals("16×75", init.tensor("conv0/w").shape());
    assertEquals("16×400", init.tensor("conv1/w").shape());
    assertEquals("256×32", init.tensor("layer0/w").shape());
    assertEquals("32×3", init.tensor("layer1/w").shape());
    assertEquals(0.0, init.tensor("conv0/beta").maxAbs());
    assertEquals(List.of("conv0/w", "conv1/w", "conv2/w"), init.paths().filter(s -> s.matches("conv\\d+/w")));
    assertTrue(p.name().startsWith("conv(data=train→3×32×32, channels=16x16x16, kernel=5, linear=32, batch-norm=true"),
        p::name);
  }

  @Test
  void gradientMatchesCentralDifferences() {
    for (boolean bn : new boolean[] {true, false}) {
      ConvNet.Instance task = small(bn).sample(6);
      TestData.assertGradientMatches(t -> task.loss(t, 1), randomParams(task.init(), 7), 1e-6);
    }
  }

  @Test
  void secondDerivativesMatchDifferencesOfTheGradient() {
    ConvNet.Instance task = small(true).sample(2);
    TestData.assertHessianVectorProductMatches(t -> task.loss(t, 0), randomParams(task.init(), 3), 1e-5);
  }

  @Test
  void greyImagesArePaddedAndCopiedIntoChannelsLikeThePrePaddedDataset() {
    ImageDataset grey = TestData.images("grey", 12, 1, 5, 5, 3, 9);
    ImageDataset prePadded = grey.padTo(8, 8).withChannels(3);
    ConvNet onTheFly = new ConvNet(new ImageInput(grey, 3, 8, 8), new ImageInput(grey, 3, 8, 8), List.of(2), 3,
        List.of(3), true, 4, 0.1);
    ConvNet.Instance task = onTheFly.sample(2);
    Tree params = randomParams(task.init(), 1);
    int[] idx = task.batchIndices(0);
    assertEquals(loopLoss(onTheFly, params, prePadded, idx), task.loss(params, 0).item(), 1e-12);
  }

  @Test
  void seedFixesTheStartAndEveryMinibatch() {
    ConvNet.Instance a = small(true).sample(8), b = small(true).sample(8);
    assertTrue(a.init().flatten().allClose(b.init().flatten(), 0, 0));
    assertArrayEquals(a.batchIndices(4), b.batchIndices(4));
    assertEquals(a.loss(a.init(), 4).item(), b.loss(b.init(), 4).item());
  }

  @Test
  void gradientDescentDrivesTheTestLossDown() {
    ConvNet p = new ConvNet(ImageInput.of(TRAIN), ImageInput.of(TEST), List.of(4), 3, List.of(8), true, 16, 0.1);
    ConvNet.Instance task = p.sample(1);
    double before = task.evaluate(task.init()).get("test_loss").get();
    var after = task.evaluate(TestData.descend(task, 0.1, 100));
    assertTrue(after.get("test_loss").get() < 0.5 * before, () -> before + " → " + after);
  }
}
