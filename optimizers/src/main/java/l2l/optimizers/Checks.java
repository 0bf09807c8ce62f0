package l2l.optimizers;

import io.vavr.collection.List;
import io.vavr.control.Option;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Up-front checks with clear messages: whether two trees have the same structure (naming the
 * first entry where they differ), and whether a hyperparameter lies in its allowed range (naming
 * the value and the range). Every optimizer of this package checks its gradients with
 * {@link #requireGradientsFit} before computing anything.
 */
public final class Checks {
  private Checks() {}

  /**
   * The first entry, in depth-first order, where {@code actual}'s structure (names, their order,
   * nesting, leaf shapes) differs from {@code expected}'s, as a sentence using the two trees'
   * names (e.g. "'layer1/w' is 3×4 in the parameters but 3×5 in the gradients"); empty when the
   * structures are the same.
   */
  public static Option<String> firstDifference(Tree expected, String expectedName, Tree actual, String actualName) {
    return difference(expected, actual, "", expectedName, actualName);
  }

  /**
   * Throws an {@link IllegalArgumentException} "{@code who}: the gradients do not fit the
   * parameters: …" naming the first differing entry, unless the gradients have the parameters'
   * structure.
   */
  public static void requireGradientsFit(String who, Tree params, Tree grads) {
    requireSameStructure(who, params, "parameters", grads, "gradients");
  }

  /**
   * Throws an {@link IllegalArgumentException} "{@code who}: the {@code actualName} do not fit
   * the {@code expectedName}: …" naming the first differing entry, unless the structures agree.
   */
  public static void requireSameStructure(String who, Tree expected, String expectedName, Tree actual,
      String actualName) {
    if (expected == null || actual == null) {
      throw new IllegalArgumentException(who + ": the " + (expected == null ? expectedName : actualName)
          + " are missing (null)");
    }
    firstDifference(expected, expectedName, actual, actualName).peek(d -> {
      throw new IllegalArgumentException(who + ": the " + actualName + " do not fit the " + expectedName + ": " + d);
    });
  }

  private static Option<String> difference(Tree e, Tree a, String path, String en, String an) {
    String where = path.isEmpty() ? "the root" : "'" + path + "'";
    if (e.isLeaf() != a.isLeaf()) {
      return Option.of(where + " is a " + kind(e) + " in the " + en + " but a " + kind(a) + " in the " + an);
    }
    if (e.isLeaf()) {
      Tensor x = e.tensor(), y = a.tensor();
      return x.sameShape(y) ? Option.none()
          : Option.of(where + " is " + x.shape() + " in the " + en + " but " + y.shape() + " in the " + an);
    }
    List<String> ne = e.names(), na = a.names();
    for (String n : ne) {
      if (!a.has(n)) return Option.of("'" + join(path, n) + "' is in the " + en + " but missing from the " + an);
    }
    for (String n : na) {
      if (!e.has(n)) return Option.of("'" + join(path, n) + "' is in the " + an + " but not in the " + en);
    }
    if (!ne.equals(na)) {
      return Option.of("the entries under " + where + " are in another order: " + ne.mkString("(", ", ", ")")
          + " in the " + en + ", " + na.mkString("(", ", ", ")") + " in the " + an);
    }
    for (String n : ne) {
      Option<String> d = difference(e.get(n), a.get(n), join(path, n), en, an);
      if (d.isDefined()) return d;
    }
    return Option.none();
  }

  private static String kind(Tree t) {
    return t.isLeaf() ? "leaf (" + t.tensor().shape() + ")" : "branch";
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "/" + name;
  }

  // ------------------------------------------------------------------ hyperparameters

  /** Checks that a hyperparameter is a 1×1 tensor; returns it. */
  public static Tensor requireScalar(String who, String name, Tensor t) {
    if (t == null) throw new IllegalArgumentException(who + ": " + name + " is missing (null)");
    if (!t.isScalar()) {
      throw new IllegalArgumentException(who + ": " + name + " must be a 1×1 tensor, got " + t.shape());
    }
    return t;
  }

  /** Checks 0 ≤ value &lt; ∞ (learning rates, ε, weight decay, norms); returns the tensor. */
  public static Tensor requireNonNegative(String who, String name, Tensor t) {
    requireNonNegative(who, name, requireScalar(who, name, t).item());
    return t;
  }

  /** Checks 0 ≤ value &lt; ∞; returns the value. */
  public static double requireNonNegative(String who, String name, double v) {
    if (!(v >= 0) || v == Double.POSITIVE_INFINITY) throw outside(who, name, v, "[0, ∞)");
    return v;
  }

  /** Checks 0 &lt; value &lt; ∞; returns the tensor. */
  public static Tensor requirePositive(String who, String name, Tensor t) {
    double v = requireScalar(who, name, t).item();
    if (!(v > 0) || v == Double.POSITIVE_INFINITY) throw outside(who, name, v, "(0, ∞)");
    return t;
  }

  /** Checks a decay rate: 0 ≤ value &lt; 1; returns the tensor. */
  public static Tensor requireDecay(String who, String name, Tensor t) {
    requireDecay(who, name, requireScalar(who, name, t).item());
    return t;
  }

  /** Checks a decay rate: 0 ≤ value &lt; 1; returns the value. */
  public static double requireDecay(String who, String name, double v) {
    if (!(v >= 0 && v < 1)) throw outside(who, name, v, "[0, 1)");
    return v;
  }

  /** Checks that a hyperparameter is a finite number (any sign); returns the tensor. */
  public static Tensor requireFinite(String who, String name, Tensor t) {
    double v = requireScalar(who, name, t).item();
    if (!Double.isFinite(v)) throw outside(who, name, v, "(-∞, ∞)");
    return t;
  }

  /** Checks lo ≤ value ≤ hi; returns the value. */
  public static double requireInRange(String who, String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) throw outside(who, name, v, "[" + Numbers.num(lo) + ", " + Numbers.num(hi) + "]");
    return v;
  }

  /** Checks a count of steps is at least {@code min}; returns it. */
  public static long requireAtLeast(String who, String name, long v, long min) {
    if (v < min) {
      throw new IllegalArgumentException(who + ": " + name + " = " + v + " is outside the allowed range [" + min + ", ∞)");
    }
    return v;
  }

  private static IllegalArgumentException outside(String who, String name, double v, String range) {
    return new IllegalArgumentException(who + ": " + name + " = " + Numbers.num(v) + " is outside the allowed range " + range);
  }
}
