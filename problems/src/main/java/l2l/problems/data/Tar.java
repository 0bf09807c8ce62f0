package l2l.problems.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A tiny reader of (gzipped) tar archives, as npm packs them: ustar headers, GNU long names and
 * pax {@code path} records; only regular files are extracted, and only those asked for.
 */
final class Tar {

  private static final int BLOCK = 512;

  private Tar() {}

  /**
   * Extracts from the gzipped tar {@code tgz} each entry whose name is a key of {@code wanted}
   * (a leading {@code ./} ignored) to the path it maps to, and returns the names found.
   *
   * @throws IOException if the archive cannot be read or is malformed
   */
  static Set<String> extractGzipped(Path tgz, Map<String, Path> wanted) throws IOException {
    try (InputStream in = new GZIPInputStream(
        new BufferedInputStream(Files.newInputStream(tgz)), 1 << 16)) {
      return extract(in, wanted, tgz.toString());
    }
  }

  /** Same as {@link #extractGzipped} for an uncompressed tar stream; {@code what} names it. */
  static Set<String> extract(InputStream in, Map<String, Path> wanted, String what)
      throws IOException {
    Set<String> found = new HashSet<>();
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      if (!readFully(in, header)) {
        throw new IOException(what + ": truncated tar: archive ends inside a header");
      }
      if (isZero(header)) {
        return found;
      }
      checkChecksum(header, what);
      long size = octal(header, 124, 12, what);
      char type = (char) header[156];
      String name = longName != null ? longName : fullName(header);
      longName = null;
      if (type == 'L' || type == 'x') {
        byte[] data = readData(in, size, what);
        String text = new String(data, StandardCharsets.UTF_8);
        longName = type == 'L' ? text.replaceAll("\0+$", "") : paxPath(text);
        continue;
      }
      String key = name.startsWith("./") ? name.substring(2) : name;
      Path target = (type == '0' || type == '\0') ? wanted.get(key) : null;
      if (target != null) {
        try (OutputStream out = Files.newOutputStream(target)) {
          copy(in, out, size, what);
        }
        found.add(key);
        skip(in, pad(size) - size, what);
      } else {
        skip(in, pad(size), what);
      }
    }
  }

  private static String fullName(byte[] h) {
    String name = string(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? string(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String paxPath(String records) {
    String path = null;
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        path = line.substring(space + 1 + 5);
      }
    }
    return path;
  }

  private static String string(byte[] h, int from, int len) {
    int end = from;
    while (end < from + len && h[end] != 0) {
      end++;
    }
    return new String(h, from, end - from, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int from, int len, String what) throws IOException {
    long v = 0;
    boolean digits = false;
    for (int i = from; i < from + len; i++) {
      int b = h[i] & 0xFF;
      if (b == 0 || b == ' ') {
        if (digits) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        throw new IOException(what + ": bad tar header: size field is not octal");
      }
      v = v * 8 + (b - '0');
      digits = true;
    }
    return v;
  }

  private static void checkChecksum(byte[] h, String what) throws IOException {
    long stored = octal(h, 148, 8, what);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
    }
    if (sum != stored) {
      throw new IOException(what + ": bad tar header checksum (corrupt or not a tar archive)");
    }
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static long pad(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean readFully(InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int n = in.read(buf, off, buf.length - off);
      if (n < 0) {
        return false;
      }
      off += n;
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size, String what) throws IOException {
    if (size > 1 << 20) {
      throw new IOException(what + ": tar extended header of " + size + " bytes is too long");
    }
    byte[] data = new byte[(int) size];
    if (!readFully(in, data)) {
      throw new IOException(what + ": truncated tar: archive ends inside an entry");
    }
    skip(in, pad(size) - size, what);
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size, String what)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException(what + ": truncated tar: archive ends inside an entry");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n, String what) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException(what + ": truncated tar: archive ends inside an entry");
        }
        s = 1;
      }
      left -= s;
    }
  }
}
