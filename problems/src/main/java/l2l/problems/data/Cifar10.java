package l2l.problems.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader and writer of the CIFAR-10 binary format: each file a sequence of 3073-byte records, one
 * label byte 0..9 then 1024 red, 1024 green and 1024 blue bytes of a 32×32 image, row-major. The
 * distribution's files are {@link #TRAIN_FILES} and {@link #TEST_FILE}. Every problem is a
 * {@link DataFormatException} naming the file.
 */
public final class Cifar10 {

  /** Rows and columns of an image. */
  public static final int SIDE = 32;

  /** Colour channels (R, G, B). */
  public static final int CHANNELS = 3;

  /** Number of classes. */
  public static final int CLASSES = 10;

  /** Bytes of one record: a label byte and 3×32×32 pixel bytes. */
  public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;

  /** The five training files, 10000 records each. */
  public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

  /** The test file, 10000 records. */
  public static final String TEST_FILE = "test_batch.bin";

  /** Class names, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat",
      "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10() {}

  /** The 50000 training images: {@link #TRAIN_FILES} in folder {@code dir}. */
  public static ImageDataset train(Path dir) {
    return read("cifar10-train", TRAIN_FILES.stream().map(dir::resolve).toList());
  }

  /** The 10000 test images: {@link #TEST_FILE} in folder {@code dir}. */
  public static ImageDataset test(Path dir) {
    return read("cifar10-test", List.of(dir.resolve(TEST_FILE)));
  }

  /**
   * Reads and concatenates CIFAR-10 binary files into a dataset of 32×32 RGB images.
   *
   * @throws DataFormatException if a file is missing, empty, not a whole number of records, or
   *     holds a label above 9
   */
  public static ImageDataset read(String name, List<Path> files) {
    List<byte[]> contents = new ArrayList<>(files.size());
    long records = 0;
    for (Path file : files) {
      byte[] b = read(file);
      contents.add(b);
      records += b.length / RECORD_BYTES;
      if (records * (RECORD_BYTES - 1) > Integer.MAX_VALUE) {
        throw new DataFormatException(file, "brings " + name + " to " + records
            + " records, expected at most " + Integer.MAX_VALUE / (RECORD_BYTES - 1)
            + " (one array of pixels)");
      }
    }
    int n = (int) records;
    int plane = RECORD_BYTES - 1;
    byte[] pixels = new byte[n * plane];
    int[] labels = new int[n];
    int i = 0;
    for (byte[] b : contents) {
      for (int r = 0; r < b.length / RECORD_BYTES; r++, i++) {
        labels[i] = b[r * RECORD_BYTES];
        System.arraycopy(b, r * RECORD_BYTES + 1, pixels, i * plane, plane);
      }
    }
    return new ImageDataset(name, SIDE, SIDE, CHANNELS, CLASSES, pixels, labels);
  }

  private static byte[] read(Path file) {
    byte[] b = RawFile.read(file);
    if (b.length == 0) {
      throw new DataFormatException(file, "empty file: expected CIFAR-10 records of "
          + RECORD_BYTES + " bytes (1 label byte + 3072 pixel bytes)");
    }
    if (b.length % RECORD_BYTES != 0) {
      String hint = b.length % (RECORD_BYTES + 1) == 0
          ? "; it is a multiple of 3074 — is this CIFAR-100 (2 label bytes per record)?"
          : Gzip.isGzip(b) ? "; it starts with the gzip magic — extract the archive first" : "";
      throw new DataFormatException(file, "size " + b.length + " is not a multiple of the "
          + RECORD_BYTES + "-byte CIFAR-10 record (1 label byte + 3072 pixel bytes): "
          + b.length / RECORD_BYTES + " whole records and " + b.length % RECORD_BYTES
          + " bytes left over" + hint);
    }
    for (int r = 0; r < b.length / RECORD_BYTES; r++) {
      int label = b[r * RECORD_BYTES] & 0xFF;
      if (label >= CLASSES) {
        throw new DataFormatException(file, "label " + label + " of record " + r + " (byte "
            + (long) r * RECORD_BYTES + ") is out of range: expected 0.." + (CLASSES - 1));
      }
    }
    return b;
  }

  /**
   * Writes a dataset of 32×32 RGB images with at most 10 classes as one CIFAR-10 binary file.
   *
   * @throws IllegalArgumentException if the dataset does not have CIFAR-10's shape
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(ImageDataset data, Path file) {
    if (data.height() != SIDE || data.width() != SIDE || data.channels() != CHANNELS
        || data.classes() > CLASSES) {
      throw new IllegalArgumentException("CIFAR-10 holds 3×32×32 images of at most 10 classes, "
          + data + " does not fit");
    }
    byte[] out = new byte[Math.multiplyExact(data.count(), RECORD_BYTES)];
    for (int i = 0; i < data.count(); i++) {
      out[i * RECORD_BYTES] = (byte) data.label(i);
      byte[] image = data.rawImage(i);
      System.arraycopy(image, 0, out, i * RECORD_BYTES + 1, image.length);
    }
    try {
      Files.write(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
