package l2l.autodiff;

/**
 * The vector-Jacobian product of an op, written with tensor ops so that it is itself
 * differentiable.
 */
@FunctionalInterface
public interface Vjp {
  /**
   * @param cotangent the cotangent of the op's output (same shape as the output)
   * @param output the op's output, for rules that reuse it (e.g. exp, tanh)
   * @param needed which inputs need a cotangent; entries not needed may be {@code null}
   * @return one cotangent per input, each of that input's shape (or {@code null} if not needed)
   */
  Tensor[] apply(Tensor cotangent, Tensor output, boolean[] needed);
}
