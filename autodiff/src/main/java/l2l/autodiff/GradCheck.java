package l2l.autodiff;

import io.vavr.collection.List;
import java.util.function.Function;

/**
 * Central finite differences, for checking gradients in tests: {@code (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h}
 * per coordinate. The truncation error is O(h²·f‴), the rounding error O(ε·|f| / h); h = 1e-5 on
 * functions of moderate size gives about 1e-8 to 1e-10 absolute accuracy.
 */
public final class GradCheck {
  private GradCheck() {}

  /** The finite-difference gradient of a scalar function of a tensor at x. */
  public static Tensor numericGrad(Function<Tensor, Tensor> f, Tensor x, double h) {
    double[] base = x.toArray();
    double[] g = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      double keep = base[i];
      base[i] = keep + h;
      double plus = f.apply(Tensor.fromRowMajor(x.rows(), x.cols(), base)).item();
      base[i] = keep - h;
      double minus = f.apply(Tensor.fromRowMajor(x.rows(), x.cols(), base)).item();
      base[i] = keep;
      g[i] = (plus - minus) / (2 * h);
    }
    return Tensor.own(x.rows(), x.cols(), g);
  }

  /** The finite-difference gradient of a scalar function of a tree at x, as a tree. */
  public static Tree numericGrad(Function<Tree, Tensor> f, Tree x, double h) {
    Tensor flat = x.detach().flatten();
    Tensor g = numericGrad((Tensor v) -> f.apply(x.unflatten(v)), flat, h);
    return x.unflatten(g);
  }

  /**
   * The finite-difference Jacobian-transpose-vector product of a vector function: the gradient of
   * x ↦ Σ f(x) ⊙ ct.
   */
  public static Tensor numericVjp(Function<Tensor, Tensor> f, Tensor x, Tensor ct, double h) {
    return numericGrad((Tensor v) -> f.apply(v).mul(ct).sum(), x, h);
  }

  /**
   * The largest entrywise error between two tensors of the same shape, each error relative to
   * {@code max(1, |a|, |b|)}: absolute near zero, relative for large entries.
   */
  public static double maxError(Tensor a, Tensor b) {
    if (!a.sameShape(b)) {
      throw new ShapeException("GradCheck.maxError: shapes " + a.shape() + " and " + b.shape() + " differ");
    }
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      double x = a.data()[i], y = b.data()[i];
      if (Double.isNaN(x) != Double.isNaN(y)) return Double.POSITIVE_INFINITY;
      if (x == y) continue;
      worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.max(Math.abs(x), Math.abs(y))));
    }
    return worst;
  }

  /** {@link #maxError} over all leaves of two trees of the same structure. */
  public static double maxError(Tree a, Tree b) {
    a.requireSameStructure(b, "GradCheck.maxError");
    List<Tensor> la = a.leaves(), lb = b.leaves();
    double worst = 0;
    for (int i = 0; i < la.size(); i++) worst = Math.max(worst, maxError(la.get(i), lb.get(i)));
    return worst;
  }

  /**
   * The largest entrywise error of a gradient {@code a} of f at x against central differences with
   * step h, beyond what those differences resolve: each entry may miss the step-h estimate by
   * {@code tol·max(1, |a|)} plus that estimate's own truncation error, bounded by its distance to
   * the step-2h estimate (three times the error for a smooth f). Where f bends sharply on the scale
   * of h (e.g. g/√(g² + ε) near g = 0) a fixed tolerance on {@link #maxError} fails a right gradient;
   * this does not. Returns 0 when every entry is within its allowance, else the worst excess.
   */
  public static double errorBeyondResolution(Tree a, Function<Tree, Tensor> f, Tree x, double h, double tol) {
    double[] an = a.flatten().toArray();
    double[] fine = numericGrad(f, x, h).flatten().toArray(), coarse = numericGrad(f, x, 2 * h).flatten().toArray();
    double worst = 0;
    for (int i = 0; i < an.length; i++) {
      if (Double.isNaN(an[i]) != Double.isNaN(fine[i])) return Double.POSITIVE_INFINITY;
      double allowed = tol * Math.max(1, Math.abs(an[i])) + Math.abs(coarse[i] - fine[i]);
      worst = Math.max(worst, Math.abs(an[i] - fine[i]) - allowed);
    }
    return worst;
  }

  /**
   * The norm-relative error ‖a − b‖ / ‖b‖ over all leaves of two trees of the same structure
   * (b the reference), e.g. of a gradient computed in lower precision.
   */
  public static double relativeError(Tree a, Tree b) {
    a.requireSameStructure(b, "GradCheck.relativeError");
    double[] x = a.flatten().toArray(), y = b.flatten().toArray();
    double d = 0, m = 0;
    for (int i = 0; i < x.length; i++) {
      d += (x[i] - y[i]) * (x[i] - y[i]);
      m += y[i] * y[i];
    }
    return Math.sqrt(d / m);
  }
}
