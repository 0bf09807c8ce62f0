package l2l.autodiff;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of tensors and trees, shared with the other modules' tests. */
public final class TensorArbitraries {
  private TensorArbitraries() {}

  /** Tensors of rows×cols within the given size bounds, entries uniform in [lo, hi). */
  public static Arbitrary<Tensor> tensors(int maxRows, int maxCols, double lo, double hi) {
    return Combinators.combine(Arbitraries.integers().between(1, maxRows), Arbitraries.integers().between(1, maxCols),
        Arbitraries.longs()).as((r, c, seed) -> uniform(r, c, lo, hi, seed));
  }

  /** Entries uniform in [lo, hi) from a seed. */
  public static Tensor uniform(int rows, int cols, double lo, double hi, long seed) {
    return Tensor.uniform(rows, cols, lo, hi, new SplittableRandom(seed));
  }

  /** Entries with magnitude uniform in [lo, hi) and a random sign: values bounded away from 0. */
  public static Tensor awayFromZero(int rows, int cols, double lo, double hi, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) d[i] = (rng.nextBoolean() ? 1 : -1) * (lo + (hi - lo) * rng.nextDouble());
    return Tensor.fromRowMajor(rows, cols, d);
  }

  /** Trees of one to three named leaves of small random shapes with entries in [-1, 1). */
  public static Arbitrary<Tree> trees() {
    return Arbitraries.longs().map(seed -> {
      SplittableRandom rng = new SplittableRandom(seed);
      int n = 1 + rng.nextInt(3);
      Tree t = Tree.empty();
      for (int i = 0; i < n; i++) {
        Tensor leaf = Tensor.uniform(1 + rng.nextInt(4), 1 + rng.nextInt(4), -1, 1, rng);
        if (rng.nextBoolean()) {
          t = t.with("p" + i, leaf);
        } else {
          t = t.with("g" + i, Tree.of("w", leaf, "b", Tensor.uniform(1, leaf.cols(), -1, 1, rng)));
        }
      }
      return t;
    });
  }
}
