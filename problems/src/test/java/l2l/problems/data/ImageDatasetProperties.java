package l2l.problems.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import l2l.problems.data.ImageDataset.Layout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws of the dataset operations, for any shape. */
class ImageDatasetProperties {

  /** Datasets of 1..4 images of 1..3 channels, 1..6 rows and columns, 1..5 classes. */
  @Provide
  Arbitrary<ImageDataset> datasets() {
    return Combinators.combine(Arbitraries.integers().between(1, 4),
        Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 6),
        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 5),
        Arbitraries.longs())
        .as((n, h, w, c, k, seed) -> TestFiles.dataset("gen", n, h, w, c, k, seed));
  }

  @Property(tries = 200)
  void everyBatchEntryIsThePixelAtItsLayoutPosition(@ForAll("datasets") ImageDataset d,
      @ForAll @IntRange(max = 100) int pick) {
    int[] idx = {pick % d.count(), (pick / 7) % d.count()};
    double[] chw = d.batch(idx, Layout.CHW);
    double[] hwc = d.batch(idx, Layout.HWC);
    int h = d.height();
    int w = d.width();
    int ch = d.channels();
    for (int r = 0; r < idx.length; r++) {
      for (int c = 0; c < ch; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double v = d.pixel(idx[r], c, y, x);
            assertEquals(v, chw[r * d.features() + (c * h + y) * w + x]);
            assertEquals(v, hwc[r * d.features() + (y * w + x) * ch + c]);
          }
        }
      }
    }
  }

  @Property(tries = 200)
  void paddingMovesEveryPixelByTheMarginAndAddsOnlyZeros(@ForAll("datasets") ImageDataset d,
      @ForAll @IntRange(max = 5) int extraH, @ForAll @IntRange(max = 5) int extraW) {
    ImageDataset p = d.padTo(d.height() + extraH, d.width() + extraW);
    long before = 0;
    long after = 0;
    for (int i = 0; i < d.count(); i++) {
      for (int c = 0; c < d.channels(); c++) {
        for (int y = 0; y < d.height(); y++) {
          for (int x = 0; x < d.width(); x++) {
            int v = d.rawPixel(i, c, y, x);
            before += v;
            assertEquals(v, p.rawPixel(i, c, y + extraH / 2, x + extraW / 2));
          }
        }
        for (int y = 0; y < p.height(); y++) {
          for (int x = 0; x < p.width(); x++) {
            after += p.rawPixel(i, c, y, x);
          }
        }
      }
    }
    assertEquals(before, after);
    assertArrayEquals(d.labels(), p.labels());
  }

  @Property(tries = 200)
  void selectingIndicesKeepsEachImageWithItsLabel(@ForAll("datasets") ImageDataset d,
      @ForAll long seed) {
    int[] idx = new java.util.Random(seed).ints(5, 0, d.count()).toArray();
    ImageDataset s = d.select(idx);
    for (int k = 0; k < idx.length; k++) {
      assertEquals(d.label(idx[k]), s.label(k));
      assertArrayEquals(d.rawImage(idx[k]), s.rawImage(k));
    }
    assertArrayEquals(d.batch(idx, Layout.HWC), s.batch(new int[] {0, 1, 2, 3, 4}, Layout.HWC));
    assertArrayEquals(d.oneHot(idx), s.oneHot(new int[] {0, 1, 2, 3, 4}));
  }
}
