package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named datasets read from a cache whose files the test placed: nothing is fetched. */
class DatasetsTest {

  @TempDir Path root;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  private DataCache cache() {
    return DataCache.at(root).withLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
  }

  /** Writes train and test as the four IDX {@code files} of dataset folder {@code folder}. */
  private Path place(String folder, List<String> files, ImageDataset train, ImageDataset test,
      boolean gzipTrain, boolean gzipTest) throws Exception {
    Path dir = Files.createDirectories(root.resolve(folder));
    Idx.write(train, dir.resolve(files.get(0)), dir.resolve(files.get(1)), gzipTrain);
    Idx.write(test, dir.resolve(files.get(2)), dir.resolve(files.get(3)), gzipTest);
    return dir;
  }

  @Test
  void mnistFilesPlacedInTheCacheAreReadWithoutFetching() throws Exception {
    ImageDataset train = TestFiles.sparse("mnist-train", 60_000, 28, 28);
    ImageDataset test = TestFiles.sparse("mnist-test", 10_000, 28, 28);
    place(Datasets.MNIST, Datasets.MNIST_FILES, train, test, false, false);
    assertEquals(train, Datasets.mnistTrain(cache()));
    assertEquals(test, Datasets.mnistTest(cache()));
    assertEquals("", logBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void fashionMnistFilesNamedGzAreReadGzippedOrRaw() throws Exception {
    ImageDataset train = TestFiles.sparse("fashion-mnist-train", 60_000, 28, 28);
    ImageDataset test = TestFiles.sparse("fashion-mnist-test", 10_000, 28, 28);
    place(Datasets.FASHION_MNIST, Datasets.FASHION_MNIST_FILES, train, test, true, false);
    assertEquals(train, Datasets.fashionMnistTrain(cache()));
    assertEquals(test, Datasets.fashionMnistTest(cache()));
  }

  @Test
  void imagesOtherThan28By28AreRefusedNamingTheImagesFile() throws Exception {
    Path dir = place(Datasets.MNIST, Datasets.MNIST_FILES, TestFiles.sparse("x", 60_000, 27, 29),
        TestFiles.sparse("y", 10_000, 28, 28), false, false);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Datasets.mnistTrain(cache()));
    assertEquals(dir.resolve("train-images-idx3-ubyte")
        + ": images are 27×29, expected 28×28 (mnist-train)", e.getMessage());
  }

  @Test
  void aSplitOfAnyOtherCountIsRefusedNamingTheImagesFile() throws Exception {
    for (int n : new int[] {0, 300, 60_001}) {
      Path dir = place(Datasets.FASHION_MNIST, Datasets.FASHION_MNIST_FILES,
          TestFiles.sparse("x", n, 28, 28), TestFiles.sparse("y", 9_999, 28, 28), true, true);
      DataFormatException e = assertThrows(DataFormatException.class,
          () -> Datasets.fashionMnistTrain(cache()));
      assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": holds " + n
          + " images, expected 60000 (fashion-mnist-train)", e.getMessage());
      e = assertThrows(DataFormatException.class, () -> Datasets.fashionMnistTest(cache()));
      assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz")
          + ": holds 9999 images, expected 10000 (fashion-mnist-test)", e.getMessage());
    }
  }

  @Test
  void cifar10InTheDataRootItselfIsRefusedNamingBothFolders() {
    for (String f : Datasets.CIFAR10_FILES) {
      Cifar10.write(TestFiles.dataset("one", 1, 32, 32, 3, 10, 8), root.resolve(f));
    }
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Datasets.cifar10Train(cache()));
    assertEquals(root + ": holds " + String.join(", ", Datasets.CIFAR10_FILES) + " of CIFAR-10,"
        + " which must be in " + root.resolve(Datasets.CIFAR10)
        + ": set L2L_DATA (or -Dl2l.data) to the folder that holds cifar-10/", e.getMessage());
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
