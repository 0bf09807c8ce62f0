package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named datasets read from a cache whose files the test placed: nothing is fetched. */
class DatasetsTest {

  @TempDir Path root;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  private DataCache cache() {
    return DataCache.at(root).withLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
  }

  @Test
  void mnistFilesPlacedInTheCacheAreReadWithoutFetching() throws Exception {
    Path dir = Files.createDirectories(root.resolve(Datasets.MNIST));
    ImageDataset train = TestFiles.dataset("mnist-train", 5, 28, 28, 1, 10, 1);
    ImageDataset test = TestFiles.dataset("mnist-test", 2, 28, 28, 1, 10, 2);
    Idx.write(train, dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"),
        false);
    Idx.write(test, dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"),
        false);
    assertEquals(train, Datasets.mnistTrain(cache()));
    assertEquals(test, Datasets.mnistTest(cache()));
    assertEquals("", logBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void fashionMnistFilesAreGzipped() throws Exception {
    Path dir = Files.createDirectories(root.resolve(Datasets.FASHION_MNIST));
    ImageDataset train = TestFiles.dataset("fashion-mnist-train", 3, 28, 28, 1, 10, 3);
    ImageDataset test = TestFiles.dataset("fashion-mnist-test", 1, 28, 28, 1, 10, 4);
    Idx.write(train, dir.resolve("train-images-idx3-ubyte.gz"),
        dir.resolve("train-labels-idx1-ubyte.gz"), true);
    Idx.write(test, dir.resolve("t10k-images-idx3-ubyte.gz"),
        dir.resolve("t10k-labels-idx1-ubyte.gz"), true);
    assertEquals(train, Datasets.fashionMnistTrain(cache()));
    assertEquals(test, Datasets.fashionMnistTest(cache()));
  }

  @Test
  void cifar10PlacedByHandIsRead() throws Exception {
    Path dir = Files.createDirectories(root.resolve(Datasets.CIFAR10));
    ImageDataset two = TestFiles.dataset("two", 2, 32, 32, 3, 10, 5);
    for (String f : Datasets.CIFAR10_FILES) {
      Cifar10.write(two, dir.resolve(f));
    }
    assertEquals(10, Datasets.cifar10Train(cache()).count());
    assertEquals(two.withName("cifar10-test"), Datasets.cifar10Test(cache()));
  }

  @Test
  void missingCifar10SaysWhatToPlaceWhere() throws Exception {
    Path dir = Files.createDirectories(root.resolve(Datasets.CIFAR10));
    Cifar10.write(TestFiles.dataset("one", 1, 32, 32, 3, 10, 6), dir.resolve("test_batch.bin"));
    DataFetchException e = assertThrows(DataFetchException.class,
        () -> Datasets.cifar10Train(cache()));
    assertContains(e.getMessage(), "CIFAR-10 is not in " + dir, "data_batch_1.bin",
        "cifar-10-binary.tar.gz", "tar xzf cifar-10-binary.tar.gz --strip-components=1 -C " + dir);
  }

  @Test
  void picturesPlacedInTheCacheLoadAsSquares() throws Exception {
    Path dir = Files.createDirectories(root.resolve(Datasets.SKIMAGE));
    ImageDataset img = TestFiles.dataset("img", 1, 16, 16, 3, 1, 7);
    for (String f : Datasets.SKIMAGE_FILES) {
      Images.writePng(img, 0, dir.resolve(f));
    }
    ImageDataset a = Datasets.picture(cache(), "astronaut.png", 8);
    assertEquals(8, a.height());
    assertEquals(img.withName("brick"), Datasets.picture(cache(), "brick.png", 16));
    assertThrows(IllegalArgumentException.class, () -> Datasets.picturePath(cache(), "nope.png"));
  }
}
