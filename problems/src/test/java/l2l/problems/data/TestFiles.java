package l2l.problems.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/** Writes test files byte by byte, independently of the readers and writers under test. */
final class TestFiles {

  private TestFiles() {}

  /** IDX images bytes: magic 0x803, count, rows, cols, then the pixels. */
  static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
    b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** IDX labels bytes: magic 0x801, count, then one byte per label. */
  static byte[] idxLabels(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(0x00000801).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  /** The IDX images bytes of a 1-channel dataset. */
  static byte[] idxImages(ImageDataset d) {
    return idxImages(d.count(), d.height(), d.width(), allPixels(d));
  }

  /** The IDX labels bytes of a dataset. */
  static byte[] idxLabels(ImageDataset d) {
    return idxLabels(d.labels());
  }

  /** CIFAR-10 records: per image a label byte then its 3072 CHW bytes. */
  static byte[] cifar(ImageDataset d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < d.count(); i++) {
      out.write(d.label(i));
      out.writeBytes(d.rawImage(i));
    }
    return out.toByteArray();
  }

  /** A reference decoding of CIFAR-10 record bytes (whole records only, labels unchecked). */
  static ImageDataset decodeCifar(String name, byte[] bytes) {
    int n = bytes.length / 3073;
    byte[] px = new byte[n * 3072];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      labels[r] = bytes[r * 3073] & 0xFF;
      System.arraycopy(bytes, r * 3073 + 1, px, r * 3072, 3072);
    }
    return ImageDataset.of(name, 32, 32, 3, 10, px, labels);
  }

  /** All pixel bytes of a dataset, image after image in CHW order. */
  static byte[] allPixels(ImageDataset d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < d.count(); i++) {
      out.writeBytes(d.rawImage(i));
    }
    return out.toByteArray();
  }

  /** The gzip compression of {@code data}, as java.util.zip writes it. */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code bytes} to {@code file} and returns the file. */
  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code bytes} with byte {@code at} xor-ed with {@code mask}. */
  static byte[] flip(byte[] bytes, int at, int mask) {
    byte[] b = bytes.clone();
    b[at] ^= (byte) mask;
    return b;
  }

  /** {@code bytes} followed by {@code extra}. */
  static byte[] append(byte[] bytes, byte[] extra) {
    byte[] b = Arrays.copyOf(bytes, bytes.length + extra.length);
    System.arraycopy(extra, 0, b, bytes.length, extra.length);
    return b;
  }

  /** A deterministic dataset of n images with pseudo-random pixels and labels. */
  static ImageDataset dataset(String name, int n, int h, int w, int c, int classes, long seed) {
    java.util.Random r = new java.util.Random(seed);
    byte[] px = new byte[n * c * h * w];
    r.nextBytes(px);
    int[] labels = r.ints(n, 0, classes).toArray();
    return ImageDataset.of(name, h, w, c, classes, px, labels);
  }

  /**
   * n grey h×w images that are cheap to make and to gzip at MNIST's size: image i is zero but
   * for pixel i mod h·w, which is i mod 251 + 1; its label is i mod 10.
   */
  static ImageDataset sparse(String name, int n, int h, int w) {
    byte[] px = new byte[n * h * w];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      px[i * h * w + i % (h * w)] = (byte) (i % 251 + 1);
      labels[i] = i % 10;
    }
    return ImageDataset.of(name, h, w, 1, 10, px, labels);
  }

  /** One ustar header block plus the entry's data, padded to 512 bytes. */
  static byte[] tarEntry(String name, char type, byte[] data) {
    byte[] h = new byte[512];
    byte[] nb = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(nb, 0, h, 0, nb.length);
    put(h, 100, "0000644\0");
    put(h, 108, "0001750\0");
    put(h, 116, "0001750\0");
    put(h, 124, String.format("%011o\0", data.length));
    put(h, 136, "00000000000\0");
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    put(h, 148, "        ");
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xFF;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    byte[] out = Arrays.copyOf(h, 512 + (data.length + 511) / 512 * 512);
    System.arraycopy(data, 0, out, 512, data.length);
    return out;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  /**
   * Runs {@code read}: its value, or null if it threw a DataFormatException naming
   * {@code file}; any other exception, or one not naming the file, fails the test.
   */
  static <T> T readOrNull(Path file, Supplier<T> read) {
    try {
      return read.get();
    } catch (DataFormatException e) {
      if (!e.getMessage().contains(file.toString())) {
        throw new AssertionError("message does not name " + file + ": " + e.getMessage(), e);
      }
      return null;
    } catch (Throwable t) {
      throw new AssertionError("expected a value or DataFormatException, got " + t, t);
    }
  }

  /** Runs {@code read}, which must throw a DataFormatException naming {@code file}; returns it. */
  static DataFormatException failure(Path file, Supplier<?> read) {
    Object v;
    try {
      v = read.get();
    } catch (DataFormatException e) {
      if (!e.getMessage().contains(file.toString())) {
        throw new AssertionError("message does not name " + file + ": " + e.getMessage(), e);
      }
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a DataFormatException, got " + t, t);
    }
    throw new AssertionError("expected a DataFormatException naming " + file + ", read " + v);
  }

  /** Fails unless {@code message} contains every one of {@code parts}. */
  static void assertContains(String message, String... parts) {
    for (String part : parts) {
      if (!message.contains(part)) {
        throw new AssertionError("expected the message to contain \"" + part + "\": " + message);
      }
    }
  }

  /**
   * A new temporary folder for property tests, on tmpfs ({@code /dev/shm}) where there is one:
   * thousands of small writes are ten times faster there than on a disk.
   */
  static Path tempDir(String prefix) throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return Files.createTempDirectory(shm, prefix);
    }
    return Files.createTempDirectory(prefix);
  }
}
