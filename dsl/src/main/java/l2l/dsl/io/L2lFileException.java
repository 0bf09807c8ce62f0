package l2l.dsl.io;

import java.nio.file.Path;

/**
 * A file l2l wrote (a trained optimizer, a checkpoint) that cannot be read: missing, not JSON,
 * truncated, of another format or a newer version, with wrong shapes, a wrong checksum or
 * non-finite values. The message is one line naming the file and what is wrong.
 */
public class L2lFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String problem;

  /** An error about {@code file}: {@code problem} says what is wrong with it. */
  public L2lFileException(String kind, Path file, String problem, Throwable cause) {
    super(kind + " " + file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** What is wrong with it (the message without the file's name). */
  public String problem() {
    return problem;
  }
}
