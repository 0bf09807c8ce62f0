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
 * is removed and the old file is left as it was; one left by a killed process (named
 * {@code .NAME.N.tmp}) is removed by {@link #removeTemporaries} when its run starts again.
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
      temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", TEMP_SUFFIX);
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

  private static final String TEMP_SUFFIX = ".tmp";
  /** The names of the temporary files {@link #write} makes: {@code .NAME.N.tmp}, N a number. */
  private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.[0-9]+\\.tmp");

  /**
   * Removes the temporary files a killed write left in {@code folder} (regular files named
   * {@code .NAME.N.tmp}, not in subfolders); call it only while no other process writes there.
   * Returns the names removed.
   *
   * @throws UncheckedIOException naming the folder if it cannot be listed or a file removed
   */
  public static java.util.List<String> removeTemporaries(Path folder) {
    java.util.List<String> removed = new java.util.ArrayList<>();
    try (var files = Files.list(folder)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (TEMPORARY.matcher(name).matches() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
          removed.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary files in " + folder + ": " + describe(e), e);
    }
    java.util.Collections.sort(removed);
    return removed;
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

  /** Why an I/O operation failed, in words: "FILE: permission denied", "FILE: no such file or folder", …. */
  public static String describe(IOException e) {
    if (e instanceof java.nio.file.FileSystemException f) {
      String file = f.getFile() == null ? "" : f.getFile() + ": ";
      if (f.getReason() != null) return file + f.getReason();
      if (f instanceof java.nio.file.AccessDeniedException) return file + "permission denied";
      if (f instanceof java.nio.file.NoSuchFileException) return file + "no such file or folder";
      if (f instanceof java.nio.file.FileAlreadyExistsException) return file + "already exists";
      if (f instanceof java.nio.file.NotDirectoryException) return file + "not a folder";
      if (f instanceof java.nio.file.DirectoryNotEmptyException) return file + "folder not empty";
    }
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName().replace("Exception", "");
    return m == null ? kind : kind.equals("IO") ? m : kind + " " + m;
  }
}
