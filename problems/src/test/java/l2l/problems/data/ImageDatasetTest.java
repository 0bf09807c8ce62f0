package l2l.problems.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import l2l.problems.data.ImageDataset.Layout;
import org.junit.jupiter.api.Test;

/** Examples of the dataset operations a problem uses. */
class ImageDatasetTest {

  /** Two 2-channel 2×3 images whose raw pixel value is 100·i + 10·c + (3·y + x). */
  private static ImageDataset coded() {
    byte[] px = new byte[2 * 2 * 2 * 3];
    int k = 0;
    for (int i = 0; i < 2; i++) {
      for (int c = 0; c < 2; c++) {
        for (int p = 0; p < 6; p++) {
          px[k++] = (byte) (100 * i + 10 * c + p);
        }
      }
    }
    return ImageDataset.of("coded", 2, 3, 2, 4, px, new int[] {3, 1});
  }

  @Test
  void accessorsUseChwCoordinates() {
    ImageDataset d = coded();
    assertEquals(2, d.count());
    assertEquals(12, d.features());
    assertEquals(100 + 10 + 5, d.rawPixel(1, 1, 1, 2));
    assertEquals(115 / 255.0, d.pixel(1, 1, 1, 2));
    assertEquals(1, d.label(1));
    assertEquals("ImageDataset[coded: 2 × 2×2×3, 4 classes]", d.toString());
  }

  @Test
  void batchRowsAreImagesInTheAskedLayout() {
    ImageDataset d = coded();
    double[] chw = d.batch(new int[] {1, 0}, Layout.CHW);
    double[] hwc = d.batch(new int[] {1, 0}, Layout.HWC);
    assertEquals(24, chw.length);
    for (int row = 0; row < 2; row++) {
      int i = 1 - row;
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 3; x++) {
            assertEquals(d.pixel(i, c, y, x), chw[row * 12 + c * 6 + y * 3 + x]);
            assertEquals(d.pixel(i, c, y, x), hwc[row * 12 + (y * 3 + x) * 2 + c]);
          }
        }
      }
    }
    double[] dst = new double[30];
    d.batch(new int[] {1, 0}, Layout.CHW, dst, 3);
    assertArrayEquals(chw, java.util.Arrays.copyOfRange(dst, 3, 27));
    assertThrows(IndexOutOfBoundsException.class,
        () -> d.batch(new int[] {0, 1}, Layout.CHW, new double[30], 7));
    assertThrows(IndexOutOfBoundsException.class, () -> d.batch(new int[] {2}, Layout.CHW));
  }

  @Test
  void oneHotHasOneOneAtEachLabel() {
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 1}, coded().oneHot(new int[] {1, 0}));
    assertArrayEquals(new int[] {1, 3, 1}, coded().labels(new int[] {1, 0, 1}));
  }

  @Test
  void slicesAndSelectionsKeepImagesWithTheirLabels() {
    ImageDataset d = coded();
    assertEquals(1, d.last(1).count());
    assertEquals(1, d.last(1).label(0));
    assertArrayEquals(d.rawImage(1), d.last(1).rawImage(0));
    assertArrayEquals(d.rawImage(0), d.first(1).rawImage(0));
    assertEquals(0, d.slice(1, 1).count());
    ImageDataset s = d.select(new int[] {1, 1, 0});
    assertArrayEquals(new int[] {1, 1, 3}, s.labels());
    assertArrayEquals(d.rawImage(0), s.rawImage(2));
    assertThrows(IndexOutOfBoundsException.class, () -> d.first(3));
  }

  @Test
  void paddingCentresTheImageOnZeros() {
    ImageDataset d = TestFiles.dataset("mnist-like", 3, 28, 28, 1, 10, 5);
    ImageDataset p = d.padTo(32, 32);
    assertEquals(32, p.height());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
        assertEquals(inside ? d.rawPixel(2, 0, y - 2, x - 2) : 0, p.rawPixel(2, 0, y, x));
      }
    }
    ImageDataset odd = coded().padTo(3, 6);
    assertEquals(coded().rawPixel(1, 1, 1, 2), odd.rawPixel(1, 1, 1, 3));
    assertEquals(0, odd.rawPixel(1, 1, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> d.padTo(27, 32));
  }

  @Test
  void oneChannelIsReplicatedIntoThree() {
    ImageDataset d = TestFiles.dataset("grey", 2, 4, 5, 1, 10, 9);
    ImageDataset rgb = d.padTo(8, 8).withChannels(3);
    assertEquals(3, rgb.channels());
    for (int c = 0; c < 3; c++) {
      assertEquals(d.rawPixel(1, 0, 3, 4), rgb.rawPixel(1, c, 5, 5));
    }
    assertSame(d, d.withChannels(1));
    assertThrows(IllegalArgumentException.class, () -> rgb.withChannels(1));
  }

  @Test
  void standardizedBatchHasZeroMeanAndUnitDeviationPerChannel() {
    ImageDataset d = TestFiles.dataset("rgb", 20, 6, 6, 3, 10, 1);
    ChannelStats stats = d.channelStats();
    int[] all = java.util.stream.IntStream.range(0, 20).toArray();
    double[] z = d.batch(all, Layout.CHW, stats);
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < 20; i++) {
        for (int p = 0; p < 36; p++) {
          double v = z[i * 108 + c * 36 + p];
          sum += v;
          sq += v * v;
        }
      }
      assertEquals(0, sum / 720, 1e-9);
      assertEquals(1, sq / 720, 1e-9);
    }
    assertThrows(IllegalArgumentException.class,
        () -> d.batch(all, Layout.CHW, ChannelStats.uniform(1, 0.5, 0.5)));
  }

  @Test
  void constantChannelHasAPositiveDeviation() {
    ImageDataset d = ImageDataset.of("flat", 2, 2, 1, 1, new byte[4], new int[1]);
    assertEquals(1 / 255.0, d.channelStats().std(0));
    assertEquals(0, d.channelStats().mean(0));
  }

  @Test
  void nothingMutableLeaks() {
    byte[] px = new byte[4];
    int[] labels = {1};
    ImageDataset d = ImageDataset.of("x", 2, 2, 1, 2, px, labels);
    px[0] = 9;
    labels[0] = 0;
    d.labels()[0] = 0;
    d.rawImage(0)[0] = 9;
    assertEquals(0, d.rawPixel(0, 0, 0, 0));
    assertEquals(1, d.label(0));
    double[] mean = {0.5};
    ChannelStats s = new ChannelStats(mean, new double[] {0.1});
    mean[0] = 9;
    s.mean()[0] = 9;
    assertEquals(0.5, s.mean(0));
  }

  @Test
  void invalidShapesAndLabelsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of("x", 2, 2, 1, 2, new byte[5], new int[1]));
    assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of("x", 2, 2, 1, 2, new byte[4], new int[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of("x", 0, 2, 1, 2, new byte[0], new int[1]));
    assertThrows(IllegalArgumentException.class,
        () -> new ChannelStats(new double[] {0}, new double[] {0}));
  }
}
