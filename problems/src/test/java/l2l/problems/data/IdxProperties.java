package l2l.problems.data;

import static l2l.problems.data.TestFiles.assertContains;
import static l2l.problems.data.TestFiles.failure;
import static l2l.problems.data.TestFiles.gzip;
import static l2l.problems.data.TestFiles.idxImages;
import static l2l.problems.data.TestFiles.idxLabels;
import static l2l.problems.data.TestFiles.readOrNull;
import static l2l.problems.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Laws of the IDX reader on generated and then corrupted files: a file is either read exactly as
 * its bytes say, or rejected with a {@link DataFormatException} naming it — never another
 * exception, never silent garbage.
 */
class IdxProperties {

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = TestFiles.tempDir("l2l-idx-properties");
  }

  @AfterContainer
  static void removeDir() {
    DataCache.deleteTree(dir);
  }

  /** Small single-channel datasets of 1..6 images, 10 classes. */
  @Provide
  Arbitrary<ImageDataset> datasets() {
    return Combinators.combine(Arbitraries.integers().between(1, 6),
        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5))
        .flatAs((n, h, w) -> Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofSize(n * h * w),
            Arbitraries.integers().between(0, 9).array(int[].class).ofSize(n))
            .as((px, lb) -> ImageDataset.of("gen", h, w, 1, 10, px, lb)));
  }

  private static Path images(byte[] b, boolean gz) {
    return write(dir.resolve("images-idx3-ubyte"), gz ? gzip(b) : b);
  }

  private static Path labels(byte[] b, boolean gz) {
    return write(dir.resolve("labels-idx1-ubyte"), gz ? gzip(b) : b);
  }

  @Property(tries = 200)
  void writtenDatasetsReadBackEqual(@ForAll("datasets") ImageDataset d, @ForAll boolean gz) {
    Path im = dir.resolve("w-images");
    Path lb = dir.resolve("w-labels");
    Idx.write(d, im, lb, gz);
    assertEquals(d, Idx.read("gen", im, lb));
  }

  @Property(tries = 300)
  void truncationAtAnyByteFailsNamingTheFile(@ForAll("datasets") ImageDataset d,
      @ForAll boolean gz, @ForAll boolean cutImages, @ForAll @IntRange(max = 10_000) int cut) {
    byte[] im = gz ? gzip(idxImages(d)) : idxImages(d);
    byte[] lb = gz ? gzip(idxLabels(d)) : idxLabels(d);
    byte[] victim = cutImages ? im : lb;
    byte[] cutBytes = Arrays.copyOf(victim, cut % victim.length);
    Path imf = images(cutImages ? cutBytes : im, false);
    Path lbf = labels(cutImages ? lb : cutBytes, false);
    failure(cutImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
  }

  @Property(tries = 300)
  void extraBytesFailAsTrailingGarbage(@ForAll("datasets") ImageDataset d, @ForAll boolean gz,
      @ForAll boolean onImages, @ForAll @Size(min = 1, max = 40) byte[] extra) {
    byte[] im = gz ? gzip(idxImages(d)) : idxImages(d);
    byte[] lb = gz ? gzip(idxLabels(d)) : idxLabels(d);
    Path imf = images(onImages ? TestFiles.append(im, extra) : im, false);
    Path lbf = labels(onImages ? lb : TestFiles.append(lb, extra), false);
    DataFormatException e = failure(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
    if (!gz) {
      assertContains(e.getMessage(), "trailing garbage: " + extra.length + " bytes");
    }
  }

  /**
   * A flipped header byte fails; a flipped pixel reads back as exactly that change; a flipped
   * label reads back as that change when it is still below 10 and fails otherwise.
   */
  @Property(tries = 500)
  void flippedRawByteReadsBackAsThatChangeOrFails(@ForAll("datasets") ImageDataset d,
      @ForAll boolean onImages, @ForAll @IntRange(max = 10_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] im = idxImages(d);
    byte[] lb = idxLabels(d);
    byte[] victim = onImages ? im : lb;
    int at = position % victim.length;
    byte[] flipped = TestFiles.flip(victim, at, mask);
    Path imf = images(onImages ? flipped : im, false);
    Path lbf = labels(onImages ? lb : flipped, false);
    ImageDataset read = readOrNull(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
    int header = onImages ? 16 : 8;
    if (at < header) {
      assertNull(read, "a flipped header byte must fail");
    } else if (onImages) {
      byte[] px = TestFiles.allPixels(d);
      px[at - header] ^= (byte) mask;
      assertEquals(ImageDataset.of("gen", d.height(), d.width(), 1, 10, px, d.labels()), read);
    } else {
      int[] labels = d.labels();
      labels[at - header] ^= mask;
      if (labels[at - header] >= 10) {
        assertNull(read, "an out-of-range label must fail");
      } else {
        assertEquals(ImageDataset.of("gen", d.height(), d.width(), 1, 10, TestFiles.allPixels(d),
            labels), read);
      }
    }
  }

  @Property(tries = 300)
  void flippedGzipByteReadsTheSameDatasetOrFails(@ForAll("datasets") ImageDataset d,
      @ForAll boolean onImages, @ForAll @IntRange(max = 10_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] im = gzip(idxImages(d));
    byte[] lb = gzip(idxLabels(d));
    byte[] victim = onImages ? im : lb;
    byte[] flipped = TestFiles.flip(victim, position % victim.length, mask);
    Path imf = images(onImages ? flipped : im, false);
    Path lbf = labels(onImages ? lb : flipped, false);
    ImageDataset read = readOrNull(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
    if (read != null) {
      assertEquals(d, read);
    }
  }

  @Property(tries = 200)
  void labelAtOrAboveTheClassCountFailsNamingTheLabel(@ForAll("datasets") ImageDataset d,
      @ForAll @IntRange(max = 100) int index, @ForAll @IntRange(min = 10, max = 255) int label,
      @ForAll boolean gz) {
    int[] labels = d.labels();
    int at = index % labels.length;
    labels[at] = label;
    Path imf = images(idxImages(d), gz);
    Path lbf = labels(idxLabels(labels), gz);
    DataFormatException e = failure(lbf, () -> Idx.read("gen", imf, lbf));
    assertContains(e.getMessage(), "label " + label + " of item " + at, "expected 0..9");
  }

  @Property(tries = 200)
  void mismatchedCountsFailNamingBothFiles(@ForAll("datasets") ImageDataset d,
      @ForAll @IntRange(max = 8) int labelCount, @ForAll boolean gz) {
    int[] labels = new int[labelCount == d.count() ? labelCount + 1 : labelCount];
    Path imf = images(idxImages(d), gz);
    Path lbf = labels(idxLabels(labels), gz);
    DataFormatException e = failure(lbf, () -> Idx.read("gen", imf, lbf));
    assertContains(e.getMessage(), imf.toString(), labels.length + " labels",
        d.count() + " images");
  }

  @Property(tries = 200)
  void anyOtherMagicFailsNamingExpectedAndFound(@ForAll("datasets") ImageDataset d,
      @ForAll int magic, @ForAll boolean onImages, @ForAll boolean gz) {
    int expected = onImages ? Idx.IMAGES_MAGIC : Idx.LABELS_MAGIC;
    int m = magic == expected ? ~magic : magic;
    byte[] victim = onImages ? idxImages(d) : idxLabels(d);
    java.nio.ByteBuffer.wrap(victim).putInt(0, m);
    Path imf = images(onImages ? victim : idxImages(d), gz);
    Path lbf = labels(onImages ? idxLabels(d) : victim, gz);
    DataFormatException e = failure(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
    assertContains(e.getMessage(), "wrong magic number",
        String.format("expected 0x%08x", expected), String.format("found 0x%08x", m));
  }

  @Property(tries = 300)
  void arbitraryBytesReadOrFailNamingTheFile(@ForAll @Size(max = 64) byte[] bytes,
      @ForAll boolean gz) {
    Path lbf = labels(bytes, gz);
    int[] read = readOrNull(lbf, () -> Idx.readLabels(lbf, 10));
    if (read != null) {
      assertEquals(8 + read.length, bytes.length);
    }
  }
}
