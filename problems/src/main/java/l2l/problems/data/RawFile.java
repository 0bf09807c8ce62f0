package l2l.problems.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole file, turning every I/O failure into a {@link DataFormatException}. */
final class RawFile {

  private RawFile() {}

  /** All bytes of {@code file}, a regular file (not a device or a pipe, which may never end). */
  static byte[] read(Path file) {
    if (Files.isDirectory(file)) {
      throw new DataFormatException(file, "expected a file, found a directory");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new DataFormatException(file,
          "expected a regular file, found a device, pipe or socket");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (AccessDeniedException e) {
      throw new DataFormatException(file, "permission denied", e);
    } catch (IOException | OutOfMemoryError e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
  }

  /** All bytes of {@code file}, decompressed if they start with the gzip magic. */
  static byte[] readMaybeGzipped(Path file) {
    byte[] bytes = read(file);
    return Gzip.isGzip(bytes) ? Gzip.gunzip(file, bytes) : bytes;
  }
}
