package l2l.problems.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reader and writer of the IDX format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x0000TTDD} (type TT = 0x08 for unsigned bytes, DD dims), DD big-endian 32-bit sizes, then
 * the data. Images are {@code 0x00000803} (count × rows × columns), labels {@code 0x00000801}
 * (count). Files may be raw or gzipped; gzip is recognised by its magic bytes, not by the name.
 * Every problem is a {@link DataFormatException} naming the file, what was expected and what was
 * found.
 */
public final class Idx {

  /** Magic number of an IDX labels file: unsigned bytes, 1 dim. */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Magic number of an IDX images file: unsigned bytes, 3 dims. */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Number of classes assumed when none is given (MNIST and Fashion-MNIST both have 10). */
  public static final int DEFAULT_CLASSES = 10;

  private static final String[] DIM_NAMES = {"count", "rows", "columns"};

  private Idx() {}

  /** Reads an images file and a labels file of 10 classes into one dataset. */
  public static ImageDataset read(String name, Path images, Path labels) {
    return read(name, images, labels, DEFAULT_CLASSES);
  }

  /**
   * Reads an images file ({@code 0x00000803}) and a labels file ({@code 0x00000801}) into one
   * single-channel dataset whose labels must lie in {@code 0..classes-1}.
   *
   * @throws DataFormatException if either file is missing or malformed, or their counts differ
   */
  public static ImageDataset read(String name, Path images, Path labels, int classes) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
    }
    Parsed im = parse(images, 3, "images");
    int[] lb = readLabels(labels, classes);
    if (lb.length != im.dims[0]) {
      throw new DataFormatException(labels, "has " + lb.length + " labels but the images file "
          + images + " has " + im.dims[0] + " images; expected equal counts");
    }
    byte[] pixels = Arrays.copyOfRange(im.bytes, im.offset, im.bytes.length);
    return new ImageDataset(name, im.dims[1], im.dims[2], 1, classes, pixels, lb);
  }

  /**
   * Reads a labels file ({@code 0x00000801}) whose labels must lie in {@code 0..classes-1}.
   *
   * @throws DataFormatException if the file is missing or malformed or a label is out of range
   */
  public static int[] readLabels(Path file, int classes) {
    Parsed p = parse(file, 1, "labels");
    int[] labels = new int[p.dims[0]];
    for (int i = 0; i < labels.length; i++) {
      int label = p.bytes[p.offset + i] & 0xFF;
      if (label >= classes) {
        throw new DataFormatException(file, "label " + label + " of item " + i + " (byte "
            + (p.offset + i) + ") is out of range: expected 0.." + (classes - 1) + " ("
            + classes + " classes)");
      }
      labels[i] = label;
    }
    return labels;
  }

  /**
   * Writes a single-channel dataset as an images file and a labels file, gzipped if asked.
   *
   * @throws IllegalArgumentException if the images have more than 1 channel or a label is above
   *     255
   * @throws java.io.UncheckedIOException if a file cannot be written
   */
  public static void write(ImageDataset data, Path images, Path labels, boolean gzip) {
    if (data.channels() != 1) {
      throw new IllegalArgumentException("IDX images have 1 channel, " + data.name() + " has "
          + data.channels());
    }
    if (data.classes() > 256) {
      throw new IllegalArgumentException("IDX labels are bytes, " + data.name() + " has "
          + data.classes() + " classes");
    }
    int n = data.count();
    int plane = data.height() * data.width();
    ByteBuffer im = ByteBuffer.allocate(16 + n * plane);
    im.putInt(IMAGES_MAGIC).putInt(n).putInt(data.height()).putInt(data.width());
    for (int i = 0; i < n; i++) {
      im.put(data.rawImage(i));
    }
    ByteBuffer lb = ByteBuffer.allocate(8 + n);
    lb.putInt(LABELS_MAGIC).putInt(n);
    for (int i = 0; i < n; i++) {
      lb.put((byte) data.label(i));
    }
    writeFile(images, im.array(), gzip);
    writeFile(labels, lb.array(), gzip);
  }

  private static void writeFile(Path file, byte[] bytes, boolean gzip) {
    try {
      Files.write(file, gzip ? Gzip.gzip(bytes) : bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  /** An IDX file's sizes and its (decompressed) bytes, the data starting at {@code offset}. */
  private record Parsed(int[] dims, byte[] bytes, int offset) {}

  private static Parsed parse(Path file, int dims, String kind) {
    byte[] raw = RawFile.read(file);
    boolean gz = Gzip.isGzip(raw);
    byte[] b = gz ? Gzip.gunzip(file, raw) : raw;
    String content = gz ? "the decompressed content" : "the file";
    int magic = dims == 3 ? IMAGES_MAGIC : LABELS_MAGIC;
    String expected = String.format("0x%08x (IDX %s: unsigned bytes, %d dim%s)", magic, kind,
        dims, dims == 1 ? "" : "s");
    if (b.length < 4) {
      throw new DataFormatException(file, "truncated: expected a 4-byte magic number "
          + expected + ", " + content + " has " + b.length + " bytes");
    }
    int found = ByteBuffer.wrap(b).getInt(0);
    if (found != magic) {
      throw new DataFormatException(file, "wrong magic number: expected " + expected
          + ", found " + describeMagic(found, dims));
    }
    int header = 4 + 4 * dims;
    if (b.length < header) {
      throw new DataFormatException(file, "truncated header: expected " + header
          + " bytes (magic + " + dims + " sizes), " + content + " has " + b.length);
    }
    int[] sizes = new int[dims];
    long promised = 1;
    StringBuilder product = new StringBuilder();
    for (int d = 0; d < dims; d++) {
      long size = ByteBuffer.wrap(b).getInt(4 + 4 * d) & 0xFFFFFFFFL;
      String dimName = dims == 1 ? "count" : DIM_NAMES[d];
      if (size > Integer.MAX_VALUE || (d > 0 && size == 0)) {
        throw new DataFormatException(file, "bad size of dim " + d + " (" + dimName
            + "): expected " + (d > 0 ? "1" : "0") + ".." + Integer.MAX_VALUE + ", found "
            + size);
      }
      sizes[d] = (int) size;
      promised = promised > Long.MAX_VALUE / Math.max(1, size) ? Long.MAX_VALUE
          : promised * size;
      product.append(d == 0 ? "" : " × ").append(size);
    }
    long actual = b.length - header;
    if (actual < promised) {
      throw new DataFormatException(file, "truncated: the header promises " + product + " = "
          + promised + " data bytes after the " + header + "-byte header, " + content
          + " has " + actual + (gz ? " (gzip)" : ""));
    }
    if (actual > promised) {
      throw new DataFormatException(file, "trailing garbage: " + (actual - promised)
          + " bytes after the " + product + " = " + promised + " data bytes the header promises"
          + (gz ? " (in the decompressed content)" : ""));
    }
    return new Parsed(sizes, b, header);
  }

  private static String describeMagic(int magic, int expectedDims) {
    String hex = String.format("0x%08x", magic);
    if ((magic >>> 16) != 0) {
      return hex + ", which is not an IDX file (an IDX magic number starts with two zero bytes)";
    }
    int type = (magic >>> 8) & 0xFF;
    int dims = magic & 0xFF;
    String typeName = switch (type) {
      case 0x08 -> "unsigned bytes";
      case 0x09 -> "signed bytes";
      case 0x0B -> "16-bit integers";
      case 0x0C -> "32-bit integers";
      case 0x0D -> "32-bit floats";
      case 0x0E -> "64-bit floats";
      default -> "unknown type 0x" + Integer.toHexString(type);
    };
    String what = hex + " (IDX of " + typeName + ", " + dims + " dim" + (dims == 1 ? "" : "s")
        + ")";
    if (type != 0x08) {
      return what + ": wrong data type, expected unsigned bytes (0x08)";
    }
    String hint = dims == 1 ? " — is this a labels file?"
        : dims == 3 ? " — is this an images file?" : "";
    return what + ": wrong number of dims, expected " + expectedDims + ", found " + dims + hint;
  }
}
