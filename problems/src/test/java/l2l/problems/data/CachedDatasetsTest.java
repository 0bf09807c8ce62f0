package l2l.problems.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Checks the real datasets where they are already in the standard cache (this never fetches:
 * each test is skipped when its files are absent).
 */
class CachedDatasetsTest {

  private final DataCache cache = DataCache.standard();

  private void assumeCached(String name, java.util.List<String> files) {
    assumeTrue(cache.missing(name, files).isEmpty(), name + " is not in " + cache.root());
  }

  @Test
  void realMnistHasItsKnownShapeLabelsAndMean() {
    assumeCached(Datasets.MNIST, Datasets.MNIST_FILES);
    ImageDataset train = Datasets.mnistTrain(cache);
    assertEquals(60_000, train.count());
    assertEquals(10_000, Datasets.mnistTest(cache).count());
    assertEquals(28, train.height());
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3}, train.first(8).labels());
    assertEquals(0.1307, train.channelStats().mean(0), 1e-4);
    assertEquals(0.3081, train.channelStats().std(0), 1e-4);
  }

  @Test
  void realFashionMnistHasItsKnownShapeAndLabels() {
    assumeCached(Datasets.FASHION_MNIST, Datasets.FASHION_MNIST_FILES);
    ImageDataset train = Datasets.fashionMnistTrain(cache);
    assertEquals(60_000, train.count());
    assertEquals(10_000, Datasets.fashionMnistTest(cache).count());
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2}, train.first(8).labels());
    int[] perClass = new int[10];
    IntStream.range(0, train.count()).forEach(i -> perClass[train.label(i)]++);
    assertArrayEquals(IntStream.generate(() -> 6000).limit(10).toArray(), perClass);
  }

  @Test
  void realPicturesLoadAt64() {
    assumeCached(Datasets.SKIMAGE, Datasets.SKIMAGE_FILES);
    for (String f : Datasets.SKIMAGE_FILES) {
      ImageDataset d = Datasets.picture(cache, f, 64);
      assertEquals(3 * 64 * 64, d.features());
    }
  }

  @Test
  void realCifar10HasItsKnownShape() {
    assumeCached(Datasets.CIFAR10, Datasets.CIFAR10_FILES);
    assertEquals(50_000, Datasets.cifar10Train(cache).count());
    assertEquals(10_000, Datasets.cifar10Test(cache).count());
  }
}
