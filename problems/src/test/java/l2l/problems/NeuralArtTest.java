package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.List;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.problems.data.ImageDataset;
import org.junit.jupiter.api.Test;

/** Neural art on tiny synthetic pictures: loss against loops, gradients, determinism, descent. */
class NeuralArtTest {
  static final ImageDataset STYLE = TestData.images("style", 1, 3, 10, 10, 2, 1);
  static final ImageDataset CONTENTS = TestData.images("contents", 2, 3, 12, 12, 2, 2);

  static NeuralArt small(NeuralArt.Init init) {
    return new NeuralArt(STYLE, CONTENTS, 8, 2, 3, 3, 1.5, 0.7, init, 0.1, 4);
  }

  // ------------------------------------------------------------------ the loss as loops over [c][y][x]

  static double[][][] image(Tensor row, int c, int side) {
    double[][][] a = new double[c][side][side];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) a[ch][y][x] = row.get(0, (ch * side + y) * side + x);
      }
    }
    return a;
  }

  static double[][][] avgPool(double[][][] a) {
    int c = a.length, s = a[0].length, o = (s + 1) / 2;
    double[][][] out = new double[c][o][o];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < o; y++) {
        for (int x = 0; x < o; x++) {
          double sum = 0;
          int n = 0;
          for (int yy = 2 * y; yy < Math.min(2 * y + 2, s); yy++) {
            for (int xx = 2 * x; xx < Math.min(2 * x + 2, s); xx++) {
              sum += a[ch][yy][xx];
              n++;
            }
          }
          out[ch][y][x] = sum / n;
        }
      }
    }
    return out;
  }

  /** Rectified features F×P at each scale. */
  static java.util.List<double[][]> features(double[][][] img, List<Tensor> bank, int k) {
    java.util.List<double[][]> out = new java.util.ArrayList<>();
    double[][][] a = new double[img.length][img[0].length][img[0].length];
    for (int c = 0; c < img.length; c++) {
      for (int y = 0; y < img[0].length; y++) {
        for (int x = 0; x < img[0].length; x++) a[c][y][x] = img[c][y][x] - 0.5;
      }
    }
    for (int s = 0; s < bank.size(); s++) {
      if (s > 0) a = avgPool(a);
      int side = a[0].length, pad = (k - 1) / 2;
      Tensor w = bank.get(s);
      double[][] f = new double[w.rows()][side * side];
      for (int o = 0; o < w.rows(); o++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            double v = 0;
            for (int c = 0; c < a.length; c++) {
              for (int dy = 0; dy < k; dy++) {
                for (int dx = 0; dx < k; dx++) {
                  int yy = y + dy - pad, xx = x + dx - pad;
                  if (yy >= 0 && yy < side && xx >= 0 && xx < side) v += a[c][yy][xx] * w.get(o, (c * k + dy) * k + dx);
                }
              }
            }
            f[o][y * side + x] = Math.max(v, 0);
          }
        }
      }
      out.add(f);
    }
    return out;
  }

  static double[][] gram(double[][] f) {
    int n = f.length, p = f[0].length;
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int q = 0; q < p; q++) g[i][j] += f[i][q] * f[j][q] / p;
      }
    }
    return g;
  }

  static double relDist(double[][] a, double[][] b) {
    double d = 0, n = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        d += Math.pow(a[i][j] - b[i][j], 2);
        n += b[i][j] * b[i][j];
      }
    }
    return d / n;
  }

  static double loopLoss(NeuralArt p, NeuralArt.Instance task, Tensor x) {
    int c = p.channels(), s = p.size(), k = p.kernelSize();
    var fx = features(image(x, c, s), task.bank(), k);
    var fs = features(image(p.styleImage(), c, s), task.bank(), k);
    var fc = features(image(task.content(), c, s), task.bank(), k);
    double style = 0;
    for (int i = 0; i < p.scales(); i++) style += relDist(gram(fx.get(i)), gram(fs.get(i))) / p.scales();
    return p.styleWeight() * style + p.contentWeight() * relDist(fx.get(0), fc.get(0));
  }

  // ------------------------------------------------------------------ tests

  @Test
  void lossEqualsTheGramAndContentTermsWrittenAsLoops() {
    NeuralArt p = small(NeuralArt.Init.NOISE);
    for (long seed = 0; seed < 3; seed++) {
      NeuralArt.Instance task = p.sample(seed);
      Tensor x = Tensor.uniform(1, 3 * 64, 0, 1, new java.util.SplittableRandom(seed));
      assertEquals(loopLoss(p, task, x), task.loss(Tree.of("image", x), 0).item(), 1e-12);
    }
  }

  @Test
  void contentIsAFlippedOrPlainCropOfAContentPictureChosenByTheSeed() {
    NeuralArt p = small(NeuralArt.Init.CONTENT);
    for (long seed = 0; seed < 6; seed++) {
      Tensor content = p.sample(seed).content();
      assertTrue(content.allClose(p.sample(seed).content(), 0, 0), "same seed, same crop");
      boolean found = false;
      for (int i = 0; i < 2 && !found; i++) {
        for (int top = 0; top <= 4 && !found; top++) {
          for (int left = 0; left <= 4 && !found; left++) {
            for (boolean flip : new boolean[] {false, true}) {
              boolean same = true;
              for (int c = 0; c < 3 && same; c++) {
                for (int y = 0; y < 8 && same; y++) {
                  for (int x = 0; x < 8 && same; x++) {
                    same = content.get(0, (c * 8 + y) * 8 + x) == CONTENTS.pixel(i, c, top + y, left + (flip ? 7 - x : x));
                  }
                }
              }
              found |= same;
            }
          }
        }
      }
      assertTrue(found, "seed " + seed);
    }
    NeuralArt.Instance t = p.sample(1);
    assertTrue(t.init().tensor("image").sub(t.content()).maxAbs() < 1, "content start is the content plus noise");
  }

  @Test
  void randomFiltersHaveZeroMeanAndUnitNormAndDependOnlyOnTheFilterSeed() {
    NeuralArt p = small(NeuralArt.Init.NOISE);
    for (Tensor f : p.filterBank()) {
      assertEquals("3×27", f.shape());
      assertTrue(f.rowSums().maxAbs() < 1e-12);
      assertTrue(f.square().rowSums().sub(1).maxAbs() < 1e-12);
    }
    assertTrue(p.sample(1).bank().get(1).allClose(p.sample(2).bank().get(1), 0, 0));
  }

  @Test
  void gradientMatchesCentralDifferences() {
    NeuralArt.Instance task = small(NeuralArt.Init.NOISE).sample(3);
    TestData.assertGradientMatches(t -> task.loss(t, 0), task.init(), 1e-6);
  }

  @Test
  void gradientDescentLowersTheLossAndEvaluateReportsBothTerms() {
    NeuralArt.Instance task = small(NeuralArt.Init.NOISE).sample(5);
    double before = task.loss(task.init(), 0).item();
    Tree end = TestData.descend(task, 0.05, 100);
    double after = task.loss(end, 0).item();
    assertTrue(after < 0.5 * before, () -> before + " → " + after);
    var m = task.evaluate(end);
    assertEquals(after, 1.5 * m.get("style_loss").get() + 0.7 * m.get("content_loss").get(), 1e-12);
  }
}
