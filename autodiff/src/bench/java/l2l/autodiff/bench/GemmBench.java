package l2l.autodiff.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import l2l.autodiff.Gemm;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of {@link Gemm#gemm} on each backend for the products an l2l meta-epoch is made of.
 *
 * <p>Each (backend, shape, trans) combination runs in its own forked JVM, which sets
 * {@code -Dl2l.blas=backend} before {@link Gemm} is first loaded (so forks must be ≥ 1). Forks get
 * {@code --add-modules jdk.incubator.vector}, so {@code java} is netlib's VectorBLAS. The primary
 * score is products per second; the secondary {@code gflops} is {@code 2·m·n·k} flop per product
 * divided by time, in GFLOP/s. Launch with {@code OMP_NUM_THREADS=1}: forks inherit it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class GemmBench {

  /** Value of {@code -Dl2l.blas} in this fork: native, java, ejml or loop. */
  @Param({"native", "java", "ejml"})
  public String backend;

  /** {@code m x k x n}: the product [m×k]·[k×n]. */
  @Param({"1280x21x80", "1280x40x80", "10000x40x80", "512x512x512"})
  public String shape;

  /** Which operands are stored transposed: NN, NT, TN or TT. */
  @Param({"NN"})
  public String trans;

  private int m;
  private int n;
  private int k;
  private boolean transA;
  private boolean transB;
  private double[] a;
  private double[] b;
  private double[] c;

  /** Floating-point work done, reported per second of benchmark time (GFLOP/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** GFLOP done so far in this iteration. */
    public double gflops;

    /** Clears the count before each iteration. */
    @Setup(Level.Iteration)
    public void clear() {
      gflops = 0;
    }
  }

  /** Chooses the backend for this fork and fills the operands. */
  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty(Gemm.PROPERTY, backend);
    String line = Gemm.backend();
    if (!line.contains("[-D" + Gemm.PROPERTY + "=" + backend + "]")) {
      throw new IllegalStateException("Gemm was loaded before -D" + Gemm.PROPERTY + "=" + backend
          + " was set (run with forks >= 1); it runs " + line);
    }
    System.out.println();
    System.out.println("Gemm backend: " + line);
    String[] sizes = shape.split("x");
    m = Integer.parseInt(sizes[0]);
    k = Integer.parseInt(sizes[1]);
    n = Integer.parseInt(sizes[2]);
    transA = trans.charAt(0) == 'T';
    transB = trans.charAt(1) == 'T';
    Random random = new Random(1);
    a = random.doubles((long) m * k, -1, 1).toArray();
    b = random.doubles((long) k * n, -1, 1).toArray();
    c = new double[m * n];
  }

  /** One product C = A·B (beta = 0, so every call does the same work). */
  @Benchmark
  public double[] gemm(Flops flops) {
    Gemm.gemm(transA, transB, m, n, k, 1.0, a, b, 0.0, c);
    flops.gflops += 2e-9 * m * n * k;
    return c;
  }
}
