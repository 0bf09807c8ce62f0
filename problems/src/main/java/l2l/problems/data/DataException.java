package l2l.problems.data;

/**
 * Any failure to obtain a dataset: a malformed or missing file ({@link DataFormatException}) or a
 * failed fetch into the cache ({@link DataFetchException}). Unchecked, so callers catch it only
 * where they can do something about it.
 */
public abstract sealed class DataException extends RuntimeException
    permits DataFormatException, DataFetchException {

  private static final long serialVersionUID = 1L;

  /** A failure with the given message and optional cause. */
  protected DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
