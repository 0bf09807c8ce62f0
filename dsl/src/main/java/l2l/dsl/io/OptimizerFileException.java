package l2l.dsl.io;

import java.nio.file.Path;

/** A trained-optimizer file ({@link OptimizerFile}) that cannot be read or written; see {@link L2lFileException}. */
public final class OptimizerFileException extends L2lFileException {
  private static final long serialVersionUID = 1L;

  /** An error about {@code file}. */
  public OptimizerFileException(Path file, String problem, Throwable cause) {
    super("optimizer file", file, problem, cause);
  }
}
