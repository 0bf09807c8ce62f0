package l2l.optimizers;

import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Tensor arithmetic with 1×1 hyperparameters (taking the cheap scalar path when a hyperparameter
 * is not traced), a square root whose derivative at 0 is 0, and step counters.
 */
final class Ops {
  private Ops() {}

  /** x · s for a 1×1 s. */
  static Tensor mul(Tensor x, Tensor s) {
    return s.isTraced() ? x.mul(s) : x.mul(s.item());
  }

  /** x / s for a 1×1 s. */
  static Tensor div(Tensor x, Tensor s) {
    return s.isTraced() ? x.div(s) : x.div(s.item());
  }

  /** x + s for a 1×1 s. */
  static Tensor add(Tensor x, Tensor s) {
    return s.isTraced() ? x.add(s) : x.add(s.item());
  }

  /** 1 − s. */
  static Tensor oneMinus(Tensor s) {
    return s.isTraced() ? s.rsub(1) : Tensor.scalar(1 - s.item());
  }

  /** sᵗ for a 1×1 s and a whole t ≥ 1. */
  static Tensor pow(Tensor s, long t) {
    return s.isTraced() ? s.pow(t) : Tensor.scalar(Math.pow(s.item(), t));
  }

  /** −s. */
  static Tensor neg(Tensor s) {
    return s.isTraced() ? s.neg() : Tensor.scalar(-s.item());
  }

  /** A new step counter at 0. */
  static Tensor zeroCount() {
    return Tensor.scalar(0);
  }

  /** The number of steps a counter holds. */
  static long steps(Tensor count) {
    return Math.round(count.item());
  }

  /** The counter one step on (untraced). */
  static Tensor increment(Tensor count) {
    return Tensor.scalar(steps(count) + 1);
  }

  /** A tree of zeros with the given structure. */
  static Tree zerosLike(Tree t) {
    return t.zerosLike();
  }

  /** A tree with the given structure, every entry {@code v} (differentiable in v). */
  static Tree filledLike(Tree t, Tensor v) {
    return t.map(x -> add(Tensor.zeros(x.rows(), x.cols()), v));
  }
}
