package l2l.problems.data;

/**
 * A dataset could not be fetched into the cache. The message says what failed and which commands
 * to run by hand to place the files.
 */
public final class DataFetchException extends DataException {

  private static final long serialVersionUID = 1L;

  /** A fetch failure described by {@code message}. */
  public DataFetchException(String message) {
    super(message, null);
  }

  /** A fetch failure described by {@code message}, caused by {@code cause}. */
  public DataFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
