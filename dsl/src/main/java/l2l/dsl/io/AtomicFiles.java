package l2l.dsl.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the new one, never a part: the
 * bytes go to a temporary file in the same folder, which is flushed to disk ({@code fsync}) and
 * then renamed over the target with {@code ATOMIC_MOVE}. If anything fails, the temporary file
 * is removed and the old file is left as it was.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** A writer of a file's content into a temporary path (e.g. a plotting library's own save). */
  @FunctionalInterface
  public interface Writer {
    /** Writes the content to {@code temp}, which exists and is empty. */
    void writeTo(Path temp) throws IOException;
  }

  /** Writes {@code text} as UTF-8, atomically. */
  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes}, atomically. */
  public static void write(Path target, byte[] bytes) {
    write(target, temp -> {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
      }
    });
  }

  /**
   * Lets {@code writer} fill a temporary file next to {@code target}, then syncs it and renames it
   * over the target atomically.
   *
   * @throws UncheckedIOException naming the target when any step fails (the old file is intact)
   */
  public static void write(Path target, Writer writer) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      permissions(temp, abs);
      writer.writeTo(temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
      temp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + describe(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the write already failed; the message says why
        }
      }
    }
  }

  /** The target's permissions if it exists, else rw-r--r-- (a temporary file starts as rw-------). */
  private static void permissions(Path temp, Path target) {
    try {
      Set<PosixFilePermission> p = Files.exists(target) ? Files.getPosixFilePermissions(target)
          : PosixFilePermissions.fromString("rw-r--r--");
      Files.setPosixFilePermissions(temp, p);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not a POSIX file system: its defaults apply
    }
  }

  /** Makes the rename durable (best effort: not every platform can open a folder). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // the file itself is on disk; only the folder entry may be delayed
    }
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName().replace("Exception", "");
    return m == null ? kind : kind.equals("IO") ? m : kind + " " + m;
  }
}
