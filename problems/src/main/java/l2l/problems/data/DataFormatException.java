package l2l.problems.data;

import java.nio.file.Path;

/**
 * A data file is missing, unreadable or not in the expected format. The message always starts
 * with the file and says what was expected and what was found.
 */
public final class DataFormatException extends DataException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** The file {@code file} has the given problem. */
  public DataFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  /** The file {@code file} has the given problem, found through {@code cause}. */
  public DataFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
