package l2l.problems;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.GradCheck;
import l2l.autodiff.Tree;
import l2l.problems.data.ImageDataset;

/** Small synthetic datasets and checks shared by the problem tests (no files, no network). */
public final class TestData {
  private TestData() {}

  /**
   * {@code count} learnable images: class k is a bright k-th band of rows over a noisy dark
   * background, so a small net separates the classes.
   */
  public static ImageDataset images(String name, int count, int channels, int height, int width, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[count * channels * height * width];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = r.nextInt(classes);
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          boolean band = y * classes / height == labels[i];
          for (int x = 0; x < width; x++) {
            int v = (band ? 150 : 0) + r.nextInt(100);
            px[((i * channels + c) * height + y) * width + x] = (byte) v;
          }
        }
      }
    }
    return ImageDataset.of(name, height, width, channels, classes, px, labels);
  }

  /** The largest error between the reverse-mode gradient and central differences (step 1e-5). */
  static double gradientError(Function<Tree, l2l.autodiff.Tensor> f, Tree at) {
    Tree analytic = Autodiff.gradTree(f).apply(at);
    Tree numeric = GradCheck.numericGrad(f, at, 1e-5);
    return GradCheck.maxError(analytic, numeric);
  }

  /** Asserts the gradient of {@code f} at {@code at} matches central differences within {@code tol}. */
  static void assertGradientMatches(Function<Tree, l2l.autodiff.Tensor> f, Tree at, double tol) {
    double err = gradientError(f, at);
    assertTrue(err < tol, () -> "gradient error " + err + " ≥ " + tol);
  }

  /**
   * Asserts that the Hessian-vector product of {@code f} at {@code at} along a random direction
   * (the gradient of ⟨∇f, v⟩) matches central differences of that inner product's gradient.
   */
  static void assertHessianVectorProductMatches(Function<Tree, l2l.autodiff.Tensor> f, Tree at, double tol) {
    SplittableRandom r = new SplittableRandom(17);
    Tree v = at.map(t -> l2l.autodiff.Tensor.uniform(t.rows(), t.cols(), -1, 1, r));
    Function<Tree, l2l.autodiff.Tensor> directional = t -> Autodiff.gradTree(f).apply(t).dot(v);
    assertGradientMatches(directional, at, tol);
  }

  /** Plain gradient descent on the task's loss at steps 0..steps−1; returns the last parameters. */
  static Tree descend(Task task, double rate, int steps) {
    Tree p = task.init();
    for (int t = 0; t < steps; t++) {
      int step = t;
      Tree g = Autodiff.gradTree((Tree q) -> task.loss(q, step)).apply(p);
      p = p.minus(g.times(rate));
    }
    return p;
  }

  /** The max |a − b| over two flat arrays. */
  static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
