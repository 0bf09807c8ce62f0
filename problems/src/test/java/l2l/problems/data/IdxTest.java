package l2l.problems.data;

import static l2l.problems.data.TestFiles.failure;
import static l2l.problems.data.TestFiles.gzip;
import static l2l.problems.data.TestFiles.idxImages;
import static l2l.problems.data.TestFiles.idxLabels;
import static l2l.problems.data.TestFiles.write;
import static l2l.problems.data.TestFiles.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples of reading IDX files and of each error's message. */
class IdxTest {

  @TempDir Path dir;

  private final ImageDataset small = TestFiles.dataset("small", 3, 2, 4, 1, 10, 7);

  private Path images(byte[] b) {
    return write(dir.resolve("images-idx3-ubyte"), b);
  }

  private Path labels(byte[] b) {
    return write(dir.resolve("labels-idx1-ubyte"), b);
  }

  /** The message of reading images {@code b} with valid labels, which must fail naming it. */
  private String imagesFailure(byte[] b) {
    Path im = images(b);
    Path lb = labels(idxLabels(small));
    return failure(im, () -> Idx.read("x", im, lb)).getMessage();
  }

  @Test
  void rawFilesReadAsWritten() {
    ImageDataset d = Idx.read("small", images(idxImages(small)), labels(idxLabels(small)));
    assertEquals(small, d);
    assertEquals(small.rawPixel(1, 0, 1, 3) / 255.0, d.pixel(1, 0, 1, 3));
  }

  @Test
  void gzippedFilesAreRecognisedByTheirMagicNotTheirName() {
    ImageDataset d = Idx.read("small", images(gzip(idxImages(small))),
        labels(gzip(idxLabels(small))));
    assertEquals(small, d);
  }

  @Test
  void writerProducesTheBytesOfTheFormat() throws Exception {
    Path im = dir.resolve("w-images");
    Path lb = dir.resolve("w-labels.gz");
    Idx.write(small, im, dir.resolve("w-labels"), false);
    Idx.write(small, dir.resolve("w-images.gz"), lb, true);
    assertArrayEquals(idxImages(small), Files.readAllBytes(im));
    assertArrayEquals(idxLabels(small), Files.readAllBytes(dir.resolve("w-labels")));
    assertArrayEquals(idxLabels(small), Gzip.gunzip(lb, Files.readAllBytes(lb)));
  }

  @Test
  void anEmptyFileHasNoImages() {
    ImageDataset d = Idx.read("none", images(idxImages(0, 28, 28, new byte[0])),
        labels(idxLabels(new int[0])));
    assertEquals(0, d.count());
    assertEquals(28, d.height());
  }

  @Test
  void missingFileIsNamed() {
    Path nowhere = dir.resolve("nowhere-idx3-ubyte");
    DataFormatException e = failure(nowhere,
        () -> Idx.read("x", nowhere, labels(idxLabels(small))));
    assertEquals(nowhere + ": file not found", e.getMessage());
    assertEquals(nowhere, e.file());
  }

  @Test
  void labelsFileGivenAsImagesSaysWhatItLooksLike() {
    Path lb = labels(idxLabels(small));
    DataFormatException e = failure(lb, () -> Idx.read("x", lb, lb));
    assertContains(e.getMessage(), "wrong magic number", "expected 0x00000803",
        "found 0x00000801", "is this a labels file?");
  }

  @Test
  void foreignFileIsNotAnIdxFile() {
    Path png = write(dir.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2});
    DataFormatException e = failure(png, () -> Idx.readLabels(png, 10));
    assertContains(e.getMessage(), "expected 0x00000801", "found 0x89504e47",
        "not an IDX file");
  }

  @Test
  void wrongDataTypeIsNamed() {
    byte[] b = idxImages(small);
    b[2] = 0x0D;
    assertContains(imagesFailure(b),
        "32-bit floats", "expected unsigned bytes (0x08)");
  }

  @Test
  void truncatedDataSaysHowMuchWasPromisedAndFound() {
    byte[] b = idxImages(small);
    assertContains(imagesFailure(Arrays.copyOf(b, b.length - 5)),
        "truncated", "3 × 2 × 4 = 24 data bytes", "has 19");
  }

  @Test
  void truncatedHeaderIsNamed() {
    assertContains(imagesFailure(Arrays.copyOf(idxImages(small), 10)),
        "truncated header: expected 16 bytes", "has 10");
  }

  @Test
  void trailingGarbageIsCounted() {
    Path lb = labels(TestFiles.append(idxLabels(small), new byte[] {1, 2}));
    assertContains(failure(lb, () -> Idx.read("x", images(idxImages(small)), lb)).getMessage(),
        "trailing garbage: 2 bytes after the 3 = 3 data bytes");
  }

  @Test
  void mismatchedCountsNameBothFiles() {
    Path im = images(idxImages(small));
    Path lb = labels(idxLabels(new int[] {1, 2}));
    DataFormatException e = failure(lb, () -> Idx.read("x", im, lb));
    assertContains(e.getMessage(), im.toString(), "2 labels", "3 images");
  }

  @Test
  void labelOutOfRangeNamesLabelItemAndClasses() {
    Path lb = labels(idxLabels(new int[] {1, 10, 2}));
    DataFormatException e = failure(lb, () -> Idx.read("x", images(idxImages(small)), lb));
    assertContains(e.getMessage(), "label 10 of item 1", "expected 0..9 (10 classes)");
    assertEquals(10, Idx.read("x", images(idxImages(small)), lb, 11).label(1));
  }

  @Test
  void zeroRowsAreRejected() {
    assertContains(imagesFailure(idxImages(3, 0, 4, new byte[0])),
        "bad size of dim 1 (rows)", "found 0");
  }

  @Test
  void hugeSizesAreTruncationNotOverflow() {
    assertContains(imagesFailure(idxImages(-1, -1, -1, new byte[5])),
        "bad size of dim 0 (count)", "4294967295");
    assertContains(imagesFailure(idxImages(Integer.MAX_VALUE, Integer.MAX_VALUE, 3, new byte[5])),
        "truncated", "has 5");
  }

  @Test
  void concatenatedGzipMembersAreOneStream() {
    byte[] b = idxImages(small);
    byte[] two = TestFiles.append(gzip(Arrays.copyOf(b, 7)),
        gzip(Arrays.copyOfRange(b, 7, b.length)));
    assertEquals(small, Idx.read("small", images(two), labels(idxLabels(small))));
  }

  @Test
  void bytesAfterTheGzipStreamAreTrailingGarbage() {
    assertContains(imagesFailure(TestFiles.append(gzip(idxImages(small)), new byte[] {0, 0, 0})),
        "trailing garbage: 3 bytes after the end of the gzip stream");
  }

  @Test
  void gzipWithFileNameAndCommentHeaderIsRead() {
    byte[] plain = gzip(idxLabels(small));
    byte[] header = {0x1f, (byte) 0x8b, 8, 8 | 16, 0, 0, 0, 0, 0, 3, 'f', 0, 'c', 'c', 0};
    byte[] b = TestFiles.append(header, Arrays.copyOfRange(plain, 10, plain.length));
    Path lb = labels(b);
    assertArrayEquals(small.labels(), Idx.readLabels(lb, 10));
  }

  @Test
  void corruptCrcIsNamed() {
    byte[] b = gzip(idxLabels(small));
    b[b.length - 8] ^= 1;
    Path lb = labels(b);
    assertContains(failure(lb, () -> Idx.readLabels(lb, 10)).getMessage(),
        "CRC-32");
  }

  @Test
  void truncatedGzipIsNamed() {
    byte[] b = gzip(idxImages(small));
    assertContains(imagesFailure(Arrays.copyOf(b, b.length - 12)),
        "truncated");
  }

  @Test
  void directoryIsNotAFile() {
    assertContains(failure(dir, () -> Idx.readLabels(dir, 10)).getMessage(),
        "expected a file, found a directory");
  }

  @Test
  void gzipOutputStreamFilesOfAnySizeRead() throws Exception {
    ImageDataset big = TestFiles.dataset("big", 500, 28, 28, 1, 10, 3);
    Path im = dir.resolve("big-images.gz");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(im), 7)) {
      out.write(idxImages(big));
    }
    assertEquals(big, Idx.read("big", im, labels(idxLabels(big))));
  }
}
