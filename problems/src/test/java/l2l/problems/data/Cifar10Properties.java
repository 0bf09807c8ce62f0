package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static l2l.problems.data.TestFiles.failure;
import static l2l.problems.data.TestFiles.readOrNull;
import static l2l.problems.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Laws of the CIFAR-10 reader on generated and corrupted files: whatever is still a whole
 * number of valid records reads as exactly those records; everything else fails with a
 * {@link DataFormatException} naming the file.
 */
class Cifar10Properties {

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = TestFiles.tempDir("l2l-cifar-properties");
  }

  @AfterContainer
  static void removeDir() {
    DataCache.deleteTree(dir);
  }

  /** CIFAR-10 files of 1..3 records with random pixels and labels (from a random seed). */
  @Provide
  Arbitrary<byte[]> files() {
    return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.longs())
        .as((n, seed) -> {
          byte[] b = randomBytes(n * 3073, seed);
          for (int r = 0; r < n; r++) {
            b[r * 3073] = (byte) Math.floorMod(b[r * 3073], 10);
          }
          return b;
        });
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Bytes to append: whole valid records, whole records with a bad label, or any bytes. */
  @Provide
  Arbitrary<byte[]> extras() {
    return Arbitraries.oneOf(files(),
        files().map(b -> TestFiles.flip(b, 0, 0x80)),
        Combinators.combine(Arbitraries.integers().between(1, 7000), Arbitraries.longs())
            .as(Cifar10Properties::randomBytes));
  }

  private static Path file(byte[] b) {
    return write(dir.resolve("data_batch_1.bin"), b);
  }

  @Property(tries = 100)
  void writtenFilesReadBackEqual(@ForAll("files") byte[] bytes) {
    ImageDataset d = TestFiles.decodeCifar("gen", bytes);
    Path f = dir.resolve("w.bin");
    Cifar10.write(d, f);
    assertEquals(d, Cifar10.read("gen", List.of(f)));
  }

  @Property(tries = 500)
  void truncatedFileReadsItsWholeLeadingRecordsOrFails(@ForAll("files") byte[] bytes,
      @ForAll @IntRange(max = 10_000) int cut) {
    byte[] b = Arrays.copyOf(bytes, cut % bytes.length);
    Path f = file(b);
    ImageDataset read = readOrNull(f, () -> Cifar10.read("gen", List.of(f)));
    if (b.length > 0 && b.length % 3073 == 0) {
      assertEquals(TestFiles.decodeCifar("gen", b), read);
    } else {
      assertNull(read);
    }
  }

  @Property(tries = 500)
  void appendedBytesReadAsWholeValidRecordsOrFail(@ForAll("files") byte[] bytes,
      @ForAll("extras") byte[] extra) {
    byte[] b = TestFiles.append(bytes, extra);
    Path f = file(b);
    ImageDataset read = readOrNull(f, () -> Cifar10.read("gen", List.of(f)));
    boolean valid = extra.length % 3073 == 0;
    for (int r = 0; valid && r < extra.length / 3073; r++) {
      valid = (extra[r * 3073] & 0xFF) < 10;
    }
    if (valid) {
      assertEquals(TestFiles.decodeCifar("gen", b), read);
    } else {
      assertNull(read);
    }
  }

  @Property(tries = 500)
  void flippedByteReadsBackAsThatChangeOrFailsOnALabel(@ForAll("files") byte[] bytes,
      @ForAll @IntRange(max = 10_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    int at = position % bytes.length;
    byte[] b = TestFiles.flip(bytes, at, mask);
    Path f = file(b);
    ImageDataset read = readOrNull(f, () -> Cifar10.read("gen", List.of(f)));
    if (at % 3073 == 0 && (b[at] & 0xFF) >= 10) {
      assertNull(read);
    } else {
      assertEquals(TestFiles.decodeCifar("gen", b), read);
    }
  }

  @Property(tries = 100)
  void labelAtOrAboveTenFailsNamingRecordAndLabel(@ForAll("files") byte[] bytes,
      @ForAll @IntRange(max = 10) int record, @ForAll @IntRange(min = 10, max = 255) int label) {
    int r = record % (bytes.length / 3073);
    byte[] b = bytes.clone();
    b[r * 3073] = (byte) label;
    Path f = file(b);
    assertContains(failure(f, () -> Cifar10.read("gen", List.of(f))).getMessage(),
        "label " + label + " of record " + r);
  }
}
