package l2l.dsl.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock of a run's folder, held for the run's life: an operating-system lock on the file
 * {@value #FILE_NAME} in the folder, which records the holder ("pid 1234, started …"). A second
 * run, or a resume, of a folder whose run is still going is refused with {@link Busy} naming that
 * process. The lock goes with the process (also when it is killed); the file stays.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name in a run's folder. */
  public static final String FILE_NAME = "run.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The folder is in use by another run; the message names the folder and the holder. */
  public static final class Busy extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message);
    }
  }

  /**
   * Locks a run's folder for this process, recording its pid and {@code what} (e.g. "l2l train").
   *
   * @throws Busy if another run holds it
   * @throws UncheckedIOException naming the lock file if it cannot be created or locked
   */
  public static RunLock acquire(Path folder, String what) {
    Path file = folder.resolve(FILE_NAME);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        throw new Busy(folder + " is in use by another l2l run (" + (holder.isEmpty() ? "its process has not written"
            + " its pid yet" : holder) + "); wait for it to end or choose another folder");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + what + ", started "
          + OptimizerFile.Training.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(false);
      RunLock r = new RunLock(ch, lock);
      ch = null;
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file + ": " + AtomicFiles.describe(e), e);
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // the lock was not taken; the message says why
        }
      }
    }
  }

  /** Releases the lock (the file stays: the lock, not the file, says whether a run is going). */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock " + FILE_NAME + ": " + AtomicFiles.describe(e), e);
    }
  }
}
