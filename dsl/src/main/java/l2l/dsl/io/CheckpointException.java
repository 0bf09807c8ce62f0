package l2l.dsl.io;

import java.nio.file.Path;

/** A checkpoint ({@link Checkpoint}) that cannot be read or written; see {@link L2lFileException}. */
public final class CheckpointException extends L2lFileException {
  private static final long serialVersionUID = 1L;

  /** An error about {@code file}. */
  public CheckpointException(Path file, String problem, Throwable cause) {
    super("checkpoint", file, problem, cause);
  }
}
