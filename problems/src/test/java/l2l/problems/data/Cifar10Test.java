package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static l2l.problems.data.TestFiles.failure;
import static l2l.problems.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples of reading CIFAR-10 binary files and of each error's message. */
class Cifar10Test {

  @TempDir Path dir;

  private final ImageDataset three = TestFiles.dataset("three", 3, 32, 32, 3, 10, 11);

  @Test
  void recordsAreLabelThenRedGreenBluePlanes() {
    byte[] record = new byte[3073];
    record[0] = 7;
    record[1] = 10;                   // R at (0, 0)
    record[1 + 1024 + 32 + 2] = 20;   // G at (1, 2)
    record[1 + 2048 + 1023] = (byte) 255; // B at (31, 31)
    ImageDataset d = Cifar10.read("one", List.of(write(dir.resolve("one.bin"), record)));
    assertEquals(1, d.count());
    assertEquals(7, d.label(0));
    assertEquals(10, d.rawPixel(0, 0, 0, 0));
    assertEquals(20, d.rawPixel(0, 1, 1, 2));
    assertEquals(1.0, d.pixel(0, 2, 31, 31));
    assertEquals("truck", Cifar10.CLASS_NAMES.get(9));
  }

  @Test
  void writtenFilesReadBackEqualAndFilesConcatenate() throws Exception {
    Path f = dir.resolve("three.bin");
    Cifar10.write(three, f);
    assertArrayEquals(TestFiles.cifar(three), Files.readAllBytes(f));
    assertEquals(three, Cifar10.read("three", List.of(f)));
    ImageDataset six = Cifar10.read("six", List.of(f, f));
    assertEquals(6, six.count());
    assertEquals(three.withName("six"), six.first(3).withName("six"));
    assertEquals(three.withName("six"), six.last(3).withName("six"));
  }

  @Test
  void trainAndTestReadTheDistributionsFileNames() {
    for (String name : Cifar10.TRAIN_FILES) {
      Cifar10.write(three, dir.resolve(name));
    }
    Cifar10.write(three.first(1), dir.resolve(Cifar10.TEST_FILE));
    assertEquals(15, Cifar10.train(dir).count());
    assertEquals(1, Cifar10.test(dir).count());
    assertEquals("cifar10-train", Cifar10.train(dir).name());
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve(Cifar10.TEST_FILE);
    assertEquals(f + ": file not found", failure(f, () -> Cifar10.test(dir)).getMessage());
  }

  @Test
  void sizeNotAMultipleOfTheRecordSaysWhatIsLeftOver() {
    Path f = write(dir.resolve("bad.bin"), Arrays.copyOf(TestFiles.cifar(three), 3073 * 2 + 5));
    assertContains(failure(f, () -> Cifar10.read("x", List.of(f))).getMessage(),
        "size 6151 is not a multiple of the 3073-byte CIFAR-10 record", "2 whole records",
        "5 bytes left over");
  }

  @Test
  void cifar100FilesAreRecognised() {
    Path f = write(dir.resolve("train.bin"), new byte[3074 * 2]);
    assertContains(failure(f, () -> Cifar10.read("x", List.of(f))).getMessage(),
        "is this CIFAR-100");
  }

  @Test
  void gzippedArchiveIsRecognised() {
    Path f = write(dir.resolve("cifar-10-binary.tar.gz"), TestFiles.gzip(new byte[100]));
    assertContains(failure(f, () -> Cifar10.read("x", List.of(f))).getMessage(),
        "extract the archive first");
  }

  @Test
  void emptyFileIsNamed() {
    Path f = write(dir.resolve("empty.bin"), new byte[0]);
    assertContains(failure(f, () -> Cifar10.read("x", List.of(f))).getMessage(), "empty file");
  }

  @Test
  void labelOutOfRangeNamesRecordAndByte() {
    byte[] b = TestFiles.cifar(three);
    b[3073 * 2] = 10;
    Path good = write(dir.resolve("good.bin"), TestFiles.cifar(three));
    Path f = write(dir.resolve("bad.bin"), b);
    DataFormatException e = failure(f, () -> Cifar10.read("x", List.of(good, f)));
    assertContains(e.getMessage(), "label 10 of record 2 (byte 6146)", "expected 0..9");
    assertEquals(f, e.file());
  }
}
