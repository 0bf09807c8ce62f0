package l2l.autodiff;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.function.Supplier;

/**
 * Work arrays that an op keeps for its backward pass, recycled. An op takes them with
 * {@link #take}; when its vector-Jacobian product runs in a pullback's last application
 * ({@link Autodiff.Pullback#applyLast}) it gives them back, and later forward passes on the same
 * thread take them again. An engine that records a whole truncation before going back keeps
 * hundreds of megabytes this way: allocated afresh, every young collection would copy them;
 * recycled, they settle in the old generation and cost the collector nothing.
 *
 * <p>Each thread keeps at most {@value #MAX_BYTES} bytes, softly referenced, so that memory
 * pressure clears them.
 */
final class Buffers {
  private static final long MAX_BYTES = 1L << 30;
  private static final ThreadLocal<SoftReference<Buffers>> POOL = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> LAST = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final HashMap<Integer, ArrayDeque<double[]>> free = new HashMap<>();
  private long bytes;

  private Buffers() {}

  private static Buffers pool() {
    SoftReference<Buffers> ref = POOL.get();
    Buffers b = ref == null ? null : ref.get();
    if (b == null) {
      b = new Buffers();
      POOL.set(new SoftReference<>(b));
    }
    return b;
  }

  /** An array of this length with undefined contents: the op must write all of it before reading. */
  static double[] take(int length) {
    Buffers b = pool();
    ArrayDeque<double[]> q = b.free.get(length);
    double[] a = q == null ? null : q.poll();
    if (a == null) return new double[length];
    b.bytes -= 8L * length;
    return a;
  }

  /**
   * Gives arrays back if the running backward pass is a pullback's last application (nothing can
   * read them again); otherwise does nothing.
   */
  static void giveBack(double[]... arrays) {
    if (!LAST.get()) return;
    Buffers b = pool();
    for (double[] a : arrays) {
      if (b.bytes + 8L * a.length > MAX_BYTES) return;
      b.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
      b.bytes += 8L * a.length;
    }
  }

  /** Runs a backward pass as a last application ({@code last}) or as one that may be repeated. */
  static <T> T backward(boolean last, Supplier<T> pass) {
    Boolean outer = LAST.get();
    LAST.set(last);
    try {
      return pass.get();
    } finally {
      LAST.set(outer);
    }
  }
}
