package l2l.problems.data;

import static l2l.problems.data.TestFiles.append;
import static l2l.problems.data.TestFiles.gzip;
import static l2l.problems.data.TestFiles.idxImages;
import static l2l.problems.data.TestFiles.idxLabels;
import static l2l.problems.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the data readers: IDX files (raw and gzipped), their gzip wrapping and CIFAR-10
 * files, broken in generated ways — truncated, bytes flipped, wrong dimensions or counts, wrong
 * magic numbers or versions, huge size claims — are each refused with a one-line
 * {@link DataFormatException} that starts with the broken file, within seconds and without
 * allocating more than {@value #MAX_ALLOCATION} bytes: never another exception, never a hang.
 */
class ReaderFuzzProperties {

  private static final long MAX_ALLOCATION = 64L << 20;
  private static final Duration MAX_TIME = Duration.ofSeconds(10);
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = TestFiles.tempDir("l2l-reader-fuzz");
  }

  @AfterContainer
  static void removeDir() {
    DataCache.deleteTree(dir);
  }

  /**
   * Runs {@code read}, which must throw a one-line DataFormatException starting with {@code file},
   * within {@link #MAX_TIME} and {@link #MAX_ALLOCATION}.
   */
  private static void refused(Path file, Supplier<?> read) {
    assertTimeoutPreemptively(MAX_TIME, () -> {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      String message = TestFiles.failure(file, read).getMessage();
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < MAX_ALLOCATION, "allocated " + allocated + " bytes: " + message);
      assertTrue(message.startsWith(file + ": ") && message.lines().count() == 1, message);
    });
  }

  /** A value other than {@code old} for a 32-bit field: a neighbour, zero, or a huge claim. */
  private static int otherThan(int old, Random r) {
    int[] candidates = {old + 1, old - 1, 0, 1 << 31, Integer.MAX_VALUE, -1, r.nextInt()};
    int v = candidates[r.nextInt(candidates.length)];
    return v == old ? old + 1 : v;
  }

  private static byte[] randomBytes(int n, Random r) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Ways to break an IDX file of {@code dims} dimensions (its header is 4 + 4·dims bytes). */
  enum IdxFault {
    TRUNCATED, EXTENDED, WRONG_MAGIC, WRONG_SIZE, FLIPPED_HEADER_BYTE;

    private static final int[] NEAR_MAGICS = {0x00000801, 0x00000802, 0x00000803, 0x00000804,
        0x00000903, 0x00000d01, 0x00000c03, 0x01080000, 0x03080000, 0x08030000};

    byte[] apply(byte[] idx, int dims, Random r) {
      byte[] b = idx.clone();
      ByteBuffer buf = ByteBuffer.wrap(b);
      return switch (this) {
        case TRUNCATED -> Arrays.copyOf(b, r.nextInt(b.length));
        case EXTENDED -> append(b, randomBytes(1 + r.nextInt(40), r));
        case WRONG_MAGIC -> {
          int m = r.nextBoolean() ? NEAR_MAGICS[r.nextInt(NEAR_MAGICS.length)] : r.nextInt();
          buf.putInt(0, m == buf.getInt(0) ? ~m : m);
          yield b;
        }
        case WRONG_SIZE -> {
          int at = 4 + 4 * r.nextInt(dims);
          buf.putInt(at, otherThan(buf.getInt(at), r));
          yield b;
        }
        case FLIPPED_HEADER_BYTE -> TestFiles.flip(b, r.nextInt(4 + 4 * dims), 1 + r.nextInt(255));
      };
    }
  }

  /** Ways to break a gzip file (RFC 1952: 10-byte header, deflate data, CRC-32 and length). */
  enum GzipFault {
    TRUNCATED, CRC_FLIPPED, WRONG_LENGTH, WRONG_METHOD, RESERVED_FLAGS, EXTRA_FIELD_TOO_LONG,
    NAME_NOT_TERMINATED, GARBAGE_AFTER, SECOND_MEMBER_TRUNCATED;

    byte[] apply(byte[] g, Random r) {
      byte[] b = g.clone();
      int n = b.length;
      switch (this) {
        case TRUNCATED -> b = Arrays.copyOf(b, r.nextInt(n));
        case CRC_FLIPPED -> b = TestFiles.flip(b, n - 8 + r.nextInt(4), 1 + r.nextInt(255));
        case WRONG_LENGTH -> {
          ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
          le.putInt(n - 4, otherThan(le.getInt(n - 4), r));
        }
        case WRONG_METHOD -> b[2] = (byte) (9 + r.nextInt(247));
        case RESERVED_FLAGS -> b[3] |= (byte) (0x20 << r.nextInt(3));
        case EXTRA_FIELD_TOO_LONG -> {
          b[3] |= 4;
          b = append(append(Arrays.copyOf(b, 10), new byte[] {(byte) 0xFF, (byte) 0xFF}),
              Arrays.copyOfRange(g, 10, n));
        }
        case NAME_NOT_TERMINATED -> {
          b[3] |= 8;
          byte[] name = new byte[1 + r.nextInt(20)];
          Arrays.fill(name, (byte) 'x');
          b = append(Arrays.copyOf(b, 10), name);
        }
        case GARBAGE_AFTER -> {
          byte[] extra = randomBytes(1 + r.nextInt(40), r);
          extra[0] = (byte) (0x20 + r.nextInt(0x60));
          b = append(b, extra);
        }
        case SECOND_MEMBER_TRUNCATED -> b = append(b, Arrays.copyOf(g, 1 + r.nextInt(n - 1)));
      }
      return b;
    }
  }

  /** Ways to break a CIFAR-10 file of 3073-byte records. */
  enum CifarFault {
    TRUNCATED, EXTENDED, LABEL_ABOVE_9, CIFAR100_RECORDS, GZIPPED;

    byte[] apply(byte[] c, Random r) {
      int records = c.length / 3073;
      return switch (this) {
        case TRUNCATED -> {
          int k = r.nextInt(c.length);
          yield Arrays.copyOf(c, k > 0 && k % 3073 == 0 ? k - 1 : k);
        }
        case EXTENDED -> append(c, randomBytes(1 + r.nextInt(3072), r));
        case LABEL_ABOVE_9 -> {
          byte[] b = c.clone();
          b[r.nextInt(records) * 3073] = (byte) (10 + r.nextInt(246));
          yield b;
        }
        case CIFAR100_RECORDS -> {
          ByteBuffer b = ByteBuffer.allocate(records * 3074);
          for (int i = 0; i < records; i++) {
            b.put((byte) r.nextInt(20)).put(c, i * 3073, 3073);
          }
          yield b.array();
        }
        case GZIPPED -> gzip(c);
      };
    }
  }

  /** Small single-channel datasets of 1..6 images of 1..5 × 1..5 pixels, 10 classes. */
  @Provide
  Arbitrary<ImageDataset> datasets() {
    return Combinators.combine(Arbitraries.integers().between(1, 6),
        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5),
        Arbitraries.longs()).as((n, h, w, seed) -> TestFiles.dataset("gen", n, h, w, 1, 10, seed));
  }

  @Property(tries = 500)
  void brokenIdxFilesAreRefusedNamingTheFile(@ForAll("datasets") ImageDataset d,
      @ForAll IdxFault fault, @ForAll boolean onImages, @ForAll boolean gz, @ForAll long seed) {
    byte[] victim = fault.apply(onImages ? idxImages(d) : idxLabels(d), onImages ? 3 : 1,
        new Random(seed));
    byte[] im = onImages ? victim : idxImages(d);
    byte[] lb = onImages ? idxLabels(d) : victim;
    Path imf = write(dir.resolve("images-idx3-ubyte"), gz ? gzip(im) : im);
    Path lbf = write(dir.resolve("labels-idx1-ubyte"), gz ? gzip(lb) : lb);
    refused(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
  }

  @Property(tries = 500)
  void brokenGzipWrappingIsRefusedNamingTheFile(@ForAll("datasets") ImageDataset d,
      @ForAll GzipFault fault, @ForAll boolean onImages, @ForAll long seed) {
    byte[] im = gzip(idxImages(d));
    byte[] lb = gzip(idxLabels(d));
    byte[] victim = fault.apply(onImages ? im : lb, new Random(seed));
    Path imf = write(dir.resolve("images-idx3-ubyte.gz"), onImages ? victim : im);
    Path lbf = write(dir.resolve("labels-idx1-ubyte.gz"), onImages ? lb : victim);
    refused(onImages ? imf : lbf, () -> Idx.read("gen", imf, lbf));
  }

  @Property(tries = 300)
  void brokenCifarFilesAreRefusedNamingTheFile(@ForAll @IntRange(min = 1, max = 3) int records,
      @ForAll CifarFault fault, @ForAll long seed) {
    Random r = new Random(seed);
    byte[] valid = randomBytes(records * 3073, r);
    for (int i = 0; i < records; i++) {
      valid[i * 3073] = (byte) r.nextInt(10);
    }
    Path good = write(dir.resolve("data_batch_1.bin"), valid);
    Path bad = write(dir.resolve("data_batch_2.bin"), fault.apply(valid, r));
    refused(bad, () -> Cifar10.read("gen", List.of(good, bad)));
  }

  /** Valid IDX files of any shape but MNIST's, placed as MNIST or as (gzipped) Fashion-MNIST. */
  @Property(tries = 100)
  void namedDatasetsRefuseOtherCountsAndSizesNamingTheImagesFile(
      @ForAll @IntRange(max = 20) int count, @ForAll @IntRange(min = 1, max = 40) int rows,
      @ForAll @IntRange(min = 1, max = 40) int cols, @ForAll boolean fashion) throws IOException {
    String folder = fashion ? Datasets.FASHION_MNIST : Datasets.MNIST;
    List<String> files = fashion ? Datasets.FASHION_MNIST_FILES : Datasets.MNIST_FILES;
    Path data = Files.createDirectories(dir.resolve("cache").resolve(folder));
    ImageDataset d = TestFiles.dataset("gen", count, rows, cols, 1, 10, count);
    for (int i = 0; i < 4; i++) {
      byte[] b = i % 2 == 0 ? idxImages(d) : idxLabels(d);
      write(data.resolve(files.get(i)), fashion ? gzip(b) : b);
    }
    DataCache cache = DataCache.at(dir.resolve("cache"));
    refused(data.resolve(files.get(0)),
        () -> fashion ? Datasets.fashionMnistTrain(cache) : Datasets.mnistTrain(cache));
  }

  @Example
  void aLinkToAnEndlessDeviceIsRefusedWithoutReadingIt() throws IOException {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero");
    Path link = dir.resolve("endless");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, zero);
    Path lbf = write(dir.resolve("labels-idx1-ubyte"), idxLabels(new int[1]));
    refused(link, () -> Idx.read("gen", link, lbf));
    refused(link, () -> Cifar10.read("gen", List.of(link)));
  }
}
