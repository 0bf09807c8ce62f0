package l2l.optimizers.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent blocks of coordinates on worker threads. The partition into blocks depends
 * only on the number of rows (blocks of {@value #BLOCK_ROWS} rows at most), never on the number of
 * threads, and results are combined in block order — so a computation gives the same bits with
 * one thread or many.
 *
 * <p>The thread count comes from the system property {@code l2l.threads} (default: the number of
 * processors) and can be changed with {@link #setThreads}. A native BLAS should then run one
 * thread per call ({@code OMP_NUM_THREADS=1}).
 */
public final class RowParallel {
  /** The largest number of rows in one block. */
  public static final int BLOCK_ROWS = 640;

  private static volatile int threads = initialThreads();
  private static ExecutorService pool;
  private static int poolThreads;

  private RowParallel() {}

  private static int initialThreads() {
    String p = System.getProperty("l2l.threads");
    if (p == null) return Runtime.getRuntime().availableProcessors();
    try {
      int t = Integer.parseInt(p.trim());
      if (t < 1) throw new NumberFormatException();
      return t;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property l2l.threads must be a whole number ≥ 1, got '" + p + "'");
    }
  }

  /** The number of worker threads used for blocks. */
  public static int threads() {
    return threads;
  }

  /** Sets the number of worker threads (≥ 1). */
  public static void setThreads(int n) {
    if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
    threads = n;
  }

  /** The number of blocks for n rows. */
  public static int blocks(int rows) {
    return Math.max(1, (rows + BLOCK_ROWS - 1) / BLOCK_ROWS);
  }

  /** The first row of block b of n rows (block b spans [start(b), start(b + 1))). */
  public static int start(int rows, int block) {
    int nb = blocks(rows);
    return (int) ((long) rows * block / nb);
  }

  /** Whether this thread is running a block: then nested loops run in it, one block after another. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

  /**
   * Runs body(b) for every block b, on the worker threads; returns when all are done. A loop
   * inside a block (e.g. a rule evaluated in blocks inside a parallel loop over perturbations) runs
   * in the block's thread.
   */
  public static void forEachBlock(int blocks, IntConsumer body) {
    int t = Math.min(threads, blocks);
    if (t <= 1 || INSIDE.get()) {
      for (int b = 0; b < blocks; b++) body.accept(b);
      return;
    }
    ExecutorService ex = pool(t);
    AtomicInteger next = new AtomicInteger();
    Callable<Void> worker = () -> {
      boolean outer = INSIDE.get();
      INSIDE.set(Boolean.TRUE);
      try {
        for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) body.accept(b);
      } finally {
        INSIDE.set(outer);
      }
      return null;
    };
    List<Future<Void>> fs = new ArrayList<>();
    for (int i = 1; i < t; i++) fs.add(ex.submit(worker));
    RuntimeException first = null;
    try {
      worker.call();
    } catch (RuntimeException e) {
      first = e;
    } catch (Exception e) {
      first = new IllegalStateException(e);
    }
    for (Future<Void> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a block", e);
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    }
    if (first != null) throw first;
  }

  private static synchronized ExecutorService pool(int t) {
    if (pool == null || poolThreads != t - 1) {
      if (pool != null) pool.shutdown();
      poolThreads = t - 1;
      pool = Executors.newFixedThreadPool(poolThreads, r -> {
        Thread th = new Thread(r, "l2l-rows");
        th.setDaemon(true);
        return th;
      });
    }
    return pool;
  }
}
