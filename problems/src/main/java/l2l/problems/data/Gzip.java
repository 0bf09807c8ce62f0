package l2l.problems.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * Strict gzip (RFC 1952) for whole files in memory: unlike {@code GZIPInputStream}, which stops
 * silently at bytes after the last member, every problem (truncation, bad CRC or length, trailing
 * garbage) is a {@link DataFormatException} naming the file.
 */
final class Gzip {

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final long MAX_OUTPUT = 1L << 30;

  private Gzip() {}

  /** Whether {@code bytes} start with the gzip magic 0x1f 0x8b. */
  static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
  }

  /** The gzip compression of {@code data}. */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decompresses all members of the gzip file {@code in} read from {@code file}. */
  static byte[] gunzip(Path file, byte[] in) {
    int bufSize = (int) Math.min(1 << 16, Math.max(1 << 10, in.length * 4L));
    ByteArrayOutputStream out = new ByteArrayOutputStream(bufSize);
    byte[] buf = new byte[bufSize];
    int pos = 0;
    int member = 0;
    do {
      String where = member == 0 ? "gzip" : "gzip member " + (member + 1);
      if (in.length - pos < 2 || (in[pos] & 0xFF) != 0x1f || (in[pos + 1] & 0xFF) != 0x8b) {
        throw new DataFormatException(file, "trailing garbage: " + (in.length - pos)
            + " bytes after the end of the gzip stream at byte " + pos
            + " (expected end of file or another gzip member starting 0x1f 0x8b)");
      }
      int start = pos;
      need(file, in, pos, 10, where + " header");
      if ((in[pos + 2] & 0xFF) != 8) {
        throw new DataFormatException(file, where + ": expected compression method 8 (deflate), "
            + "found " + (in[pos + 2] & 0xFF));
      }
      int flags = in[pos + 3] & 0xFF;
      if ((flags & 0xE0) != 0) {
        throw new DataFormatException(file, where + ": reserved header flag bits are set (flags "
            + String.format("0x%02x", flags) + ")");
      }
      pos += 10;
      if ((flags & FEXTRA) != 0) {
        need(file, in, pos, 2, where + " extra field length");
        int xlen = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        need(file, in, pos + 2, xlen, where + " extra field");
        pos += 2 + xlen;
      }
      if ((flags & FNAME) != 0) {
        pos = skipZeroTerminated(file, in, pos, where + " file name");
      }
      if ((flags & FCOMMENT) != 0) {
        pos = skipZeroTerminated(file, in, pos, where + " comment");
      }
      if ((flags & FHCRC) != 0) {
        need(file, in, pos, 2, where + " header CRC");
        CRC32 h = new CRC32();
        h.update(in, start, pos - start);
        int expected = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        if (((int) h.getValue() & 0xFFFF) != expected) {
          throw new DataFormatException(file, where + ": header CRC mismatch");
        }
        pos += 2;
      }
      Inflater inflater = new Inflater(true);
      CRC32 crc = new CRC32();
      long size = 0;
      try {
        inflater.setInput(in, pos, in.length - pos);
        while (!inflater.finished()) {
          int n = inflater.inflate(buf);
          if (n > 0) {
            out.write(buf, 0, n);
            crc.update(buf, 0, n);
            size += n;
            if (out.size() > MAX_OUTPUT) {
              throw new DataFormatException(file, "decompresses to more than " + MAX_OUTPUT
                  + " bytes; expected a dataset file below 1 GiB");
            }
          } else if (inflater.needsInput()) {
            throw new DataFormatException(file, "truncated: " + where
                + " stream ends before its last compressed block (" + in.length + " bytes)");
          } else if (inflater.needsDictionary()) {
            throw new DataFormatException(file, where + ": corrupt deflate data (asks for a "
                + "preset dictionary)");
          }
        }
        pos = in.length - inflater.getRemaining();
      } catch (java.util.zip.DataFormatException e) {
        throw new DataFormatException(file, where + ": corrupt deflate data (" + e.getMessage()
            + ")", e);
      } finally {
        inflater.end();
      }
      need(file, in, pos, 8, where + " trailer (CRC-32 and length)");
      long storedCrc = le32(in, pos);
      long storedSize = le32(in, pos + 4);
      if (storedCrc != crc.getValue()) {
        throw new DataFormatException(file, where + ": CRC-32 mismatch: trailer says "
            + String.format("0x%08x", storedCrc) + ", data has "
            + String.format("0x%08x", crc.getValue()));
      }
      if (storedSize != (size & 0xFFFFFFFFL)) {
        throw new DataFormatException(file, where + ": length mismatch: trailer says "
            + storedSize + " bytes, data has " + size);
      }
      pos += 8;
      member++;
    } while (pos < in.length);
    return out.toByteArray();
  }

  private static void need(Path file, byte[] in, int pos, int n, String what) {
    if (in.length - pos < n) {
      throw new DataFormatException(file, "truncated: expected " + n + " bytes of " + what
          + " at byte " + pos + ", found " + Math.max(0, in.length - pos));
    }
  }

  private static int skipZeroTerminated(Path file, byte[] in, int pos, String what) {
    for (int p = pos; p < in.length; p++) {
      if (in[p] == 0) {
        return p + 1;
      }
    }
    throw new DataFormatException(file, "truncated: " + what + " at byte " + pos
        + " has no terminating zero byte");
  }

  private static long le32(byte[] in, int pos) {
    return (in[pos] & 0xFFL) | (in[pos + 1] & 0xFFL) << 8 | (in[pos + 2] & 0xFFL) << 16
        | (in[pos + 3] & 0xFFL) << 24;
  }
}
