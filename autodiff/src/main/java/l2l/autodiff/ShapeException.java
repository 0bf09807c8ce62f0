package l2l.autodiff;

/** Thrown when the shapes given to an op do not fit; the message names the op and the shapes. */
public final class ShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param message names the op and both shapes */
  public ShapeException(String message) {
    super(message);
  }
}
