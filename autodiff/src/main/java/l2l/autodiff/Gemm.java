package l2l.autodiff;

import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one place where l2l multiplies large matrices: {@code C = alpha·op(A)·op(B) + beta·C} on
 * row-major dense {@code double[]} (offset 0, leading dimension = number of columns).
 *
 * <p>The backend is chosen once, when this class is initialised: the system BLAS through
 * {@code dev.ludovic.netlib}'s JNI binding (OpenBLAS here) if it loads, else that library's pure
 * Java BLAS ({@code VectorBLAS} when the JVM runs with {@code --add-modules jdk.incubator.vector}),
 * else EJML. The system property {@code l2l.blas} = {@code native | java | ejml | loop} forces one;
 * {@link #backend()} says which one runs. Products with {@code m·n·k} below {@link #SMALL_PRODUCT}
 * always run in plain Java loops, which beat a JNI call at that size.
 *
 * <p>OpenBLAS reads its thread count from the environment when it is loaded, and the JNI binding
 * offers no {@code openblas_set_num_threads}: launch the JVM with {@code OMP_NUM_THREADS=1} (and
 * split rows across Java threads with {@link #gemmRows}); {@link #backend()} reports the value seen.
 *
 * <p>{@link #sgemm} is the same product in single precision ({@code float[]}), on the same backend
 * (BLAS {@code sgemm}); EJML has no single-precision product here, so the EJML backend runs it in
 * Java loops.
 *
 * <p>As in BLAS: when {@code beta == 0}, C is not read (NaN in C does not propagate); when
 * {@code alpha == 0} or {@code k == 0}, A and B are not read. C must not share an array with A or B.
 * All methods are thread-safe; calls writing disjoint rows of the same C may run concurrently.
 */
public final class Gemm {

  /** Products with {@code m·n·k} below this many multiply-adds run in plain Java loops. */
  public static final long SMALL_PRODUCT = 256;

  /** Name of the system property that forces a backend. */
  public static final String PROPERTY = "l2l.blas";

  /** A way to multiply matrices; {@link #LOOP} is always available, so is {@link #EJML}. */
  enum Backend {
    /** {@code dev.ludovic.netlib} JNI binding to the system BLAS ({@code libblas.so.3}). */
    NATIVE,
    /** {@code dev.ludovic.netlib}'s pure-Java BLAS (VectorBLAS, or Java11BLAS without the vector module). */
    JAVA,
    /** EJML {@code CommonOps_DDRM.mult*} on arrays wrapped as {@code DMatrixRMaj}. */
    EJML,
    /** Plain Java loops (also used by the others for small products). */
    LOOP;

    /** Whether this backend can run in this JVM. */
    boolean isAvailable() {
      return switch (this) {
        case NATIVE -> Blas.NATIVE != null;
        case JAVA -> Blas.JAVA != null;
        case EJML, LOOP -> true;
      };
    }

    /** Human-readable name of the library behind this backend. */
    String description() {
      return switch (this) {
        case NATIVE -> Blas.NATIVE == null ? "netlib JNI (unavailable: " + Blas.NATIVE_ERROR + ")"
            : "netlib JNI (" + Blas.NATIVE_LIBRARY + ")";
        case JAVA -> Blas.JAVA == null ? "netlib Java (unavailable: " + Blas.JAVA_ERROR + ")"
            : "netlib " + Blas.JAVA.getClass().getSimpleName()
                + (Blas.JAVA.getClass().getSimpleName().equals("VectorBLAS") ? ""
                    : " (VectorBLAS needs --add-modules jdk.incubator.vector)");
        case EJML -> "EJML CommonOps_DDRM";
        case LOOP -> "Java loops";
      };
    }
  }

  private static final String ALLOWED = "native, java, ejml, loop";
  private static final Backend DEFAULT;
  private static final String DEFAULT_ERROR;
  private static final String FORCED;

  static {
    String forced = System.getProperty(PROPERTY);
    FORCED = forced == null || forced.isBlank() ? null : forced;
    Backend chosen = null;
    String error = null;
    try {
      chosen = choose(FORCED);
    } catch (IllegalArgumentException | IllegalStateException e) {
      error = e.getMessage();
    }
    DEFAULT = chosen;
    DEFAULT_ERROR = error;
  }

  private Gemm() {}

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C}, where op(A) is m×k and op(B) is k×n; A is stored as
   * ({@code transA ? k×m : m×k}), B as ({@code transB ? n×k : k×n}), C as m×n, all row-major.
   *
   * @throws IllegalArgumentException if a size is negative, an array is shorter than its matrix,
   *     or C shares its array with A or B
   * @throws IllegalStateException if the {@code l2l.blas} property names no usable backend
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, double[] b, double beta, double[] c) {
    gemmRows(transA, transB, m, n, k, alpha, a, b, beta, c, 0, m);
  }

  /**
   * As {@link #gemm}, but computes (and writes) only rows {@code [rowFrom, rowTo)} of C, so that
   * callers can split one product across threads; A, B and C are the whole matrices.
   *
   * @throws IllegalArgumentException as {@link #gemm}, or if not {@code 0 <= rowFrom <= rowTo <= m}
   * @throws IllegalStateException if the {@code l2l.blas} property names no usable backend
   */
  public static void gemmRows(boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, double[] b, double beta, double[] c, int rowFrom, int rowTo) {
    Backend backend = defaultBackend();
    if ((long) (rowTo - rowFrom) * n * k < SMALL_PRODUCT) {
      backend = Backend.LOOP;
    }
    gemmRows(backend, transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom, rowTo);
  }

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C} in single precision, shaped as in {@link #gemm}.
   *
   * @throws IllegalArgumentException as {@link #gemm}
   * @throws IllegalStateException if the {@code l2l.blas} property names no usable backend
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, float[] b, float beta, float[] c) {
    sgemm(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /**
   * As {@link #sgemm(boolean, boolean, int, int, int, float, float[], float[], float, float[])},
   * on matrices that start at the given offsets of their arrays (each still row-major, with its
   * number of columns as leading dimension), e.g. a block of rows of a larger matrix.
   *
   * @throws IllegalArgumentException if a size or offset is negative, an array ends before its
   *     matrix, or C shares its array with A or B
   * @throws IllegalStateException if the {@code l2l.blas} property names no usable backend
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
    Backend backend = defaultBackend();
    if ((long) m * n * k < SMALL_PRODUCT) {
      backend = Backend.LOOP;
    }
    sgemm(backend, transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
  }

  /**
   * Human-readable name of the backend that runs, e.g. {@code "netlib JNI (OpenBLAS
   * libopenblasp-r0.3.21.so), OMP_NUM_THREADS=1"}, with the small-product rule.
   *
   * @throws IllegalStateException if the {@code l2l.blas} property names no usable backend
   */
  public static String backend() {
    Backend backend = defaultBackend();
    String threads = backend == Backend.NATIVE ? ", " + threadSetting() : "";
    String forced = FORCED == null ? "" : " [-D" + PROPERTY + "=" + FORCED + "]";
    String small = backend == Backend.LOOP ? "" : "; m·n·k < " + SMALL_PRODUCT + " in Java loops";
    return backend.description() + threads + forced + small;
  }

  // ---------------------------------------------------------------------------------------------
  // Package-private: per-backend entry points for tests and benchmarks.

  /** The backend that {@link #gemm} uses for products that are not small. */
  static Backend defaultBackend() {
    if (DEFAULT == null) {
      throw new IllegalStateException(DEFAULT_ERROR);
    }
    return DEFAULT;
  }

  /**
   * Maps a value of {@code l2l.blas} to a backend: null means the best available; otherwise one
   * of {@value #ALLOWED} (case-insensitive), which must be available.
   */
  static Backend choose(String value) {
    if (value == null || value.isBlank()) {
      return Backend.NATIVE.isAvailable() ? Backend.NATIVE
          : Backend.JAVA.isAvailable() ? Backend.JAVA : Backend.EJML;
    }
    Backend wanted = switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "native" -> Backend.NATIVE;
      case "java" -> Backend.JAVA;
      case "ejml" -> Backend.EJML;
      case "loop" -> Backend.LOOP;
      default -> throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + value + " is not a backend; allowed: " + ALLOWED);
    };
    if (!wanted.isAvailable()) {
      throw new IllegalStateException("-D" + PROPERTY + "=" + value + " but " + wanted.description());
    }
    return wanted;
  }

  /** As {@link #gemm}, on the given backend, with no small-product shortcut. */
  static void gemm(Backend backend, boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, double[] b, double beta, double[] c) {
    gemmRows(backend, transA, transB, m, n, k, alpha, a, b, beta, c, 0, m);
  }

  /** As {@link #gemmRows}, on the given backend, with no small-product shortcut. */
  static void gemmRows(Backend backend, boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, double[] b, double beta, double[] c, int rowFrom, int rowTo) {
    check(transA, transB, m, n, k, a, b, c, rowFrom, rowTo);
    if (rowFrom == rowTo || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0) {
      scaleRows(beta, c, n, rowFrom, rowTo);
      return;
    }
    switch (backend) {
      case NATIVE -> {
        if (NATIVE_THREADED) {
          // OpenBLAS may run its own threads; two callers at once would oversubscribe the cores
          synchronized (NATIVE_LOCK) {
            blas(requireAvailable(Blas.NATIVE, backend), transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom,
                rowTo);
          }
        } else {
          blas(requireAvailable(Blas.NATIVE, backend), transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom, rowTo);
        }
      }
      case JAVA -> blas(requireAvailable(Blas.JAVA, backend),
          transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom, rowTo);
      case EJML -> ejml(transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom, rowTo);
      case LOOP -> loops(transA, transB, m, n, k, alpha, a, b, beta, c, rowFrom, rowTo);
    }
  }

  /**
   * As {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, float[], int, float, float[], int)},
   * on the given backend, with no small-product shortcut.
   */
  static void sgemm(Backend backend, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
    checkFloat(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0) {
      scale(beta, c, cOffset, m * n);
      return;
    }
    switch (backend) {
      case NATIVE -> {
        if (NATIVE_THREADED) {
          synchronized (NATIVE_LOCK) {
            sblas(requireAvailable(Blas.NATIVE, backend), transA, transB, m, n, k, alpha, a, aOffset, b, bOffset,
                beta, c, cOffset);
          }
        } else {
          sblas(requireAvailable(Blas.NATIVE, backend), transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta,
              c, cOffset);
        }
      }
      case JAVA -> sblas(requireAvailable(Blas.JAVA, backend), transA, transB, m, n, k, alpha, a, aOffset, b, bOffset,
          beta, c, cOffset);
      case EJML, LOOP -> sloops(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }
  }

  /**
   * Whether OpenBLAS may start threads of its own (neither OPENBLAS_NUM_THREADS nor
   * OMP_NUM_THREADS is 1). Then native calls are serialised: callers that split rows across Java
   * threads would otherwise run several multi-threaded OpenBLAS calls at once, and their spinning
   * threads oversubscribe the cores (measured: many times slower).
   */
  static final boolean NATIVE_THREADED = !singleThreaded();
  private static final Object NATIVE_LOCK = new Object();

  private static boolean singleThreaded() {
    String openblas = System.getenv("OPENBLAS_NUM_THREADS");
    if (openblas != null) return openblas.trim().equals("1");
    String omp = System.getenv("OMP_NUM_THREADS");
    return omp != null && omp.trim().equals("1");
  }

  /** What the environment says about OpenBLAS/OpenMP threads. */
  static String threadSetting() {
    String omp = System.getenv("OMP_NUM_THREADS");
    String openblas = System.getenv("OPENBLAS_NUM_THREADS");
    if (omp == null && openblas == null) {
      return "OMP_NUM_THREADS unset (OpenBLAS may use all " + Runtime.getRuntime().availableProcessors()
          + " cores per call, so native calls are serialised; launch with OMP_NUM_THREADS=1)";
    }
    return Stream.of(omp == null ? null : "OMP_NUM_THREADS=" + omp,
            openblas == null ? null : "OPENBLAS_NUM_THREADS=" + openblas)
        .filter(s -> s != null).collect(Collectors.joining(", "))
        + (NATIVE_THREADED ? " (OpenBLAS may be multi-threaded, so native calls are serialised)" : "");
  }

  // ---------------------------------------------------------------------------------------------
  // Argument checks.

  private static void check(boolean transA, boolean transB, int m, int n, int k,
      double[] a, double[] b, double[] c, int rowFrom, int rowTo) {
    nonNegative("m", m);
    nonNegative("n", n);
    nonNegative("k", k);
    length("a", a, transA ? k : m, transA ? m : k, transA ? "k×m (transA)" : "m×k");
    length("b", b, transB ? n : k, transB ? k : n, transB ? "n×k (transB)" : "k×n");
    length("c", c, m, n, "m×n");
    if (c == a || c == b) {
      throw new IllegalArgumentException("c must not be the same array as " + (c == a ? "a" : "b"));
    }
    if (rowFrom < 0 || rowFrom > rowTo || rowTo > m) {
      throw new IllegalArgumentException("rows: expected 0 <= rowFrom <= rowTo <= m = " + m
          + ", was rowFrom = " + rowFrom + ", rowTo = " + rowTo);
    }
  }

  private static void checkFloat(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset) {
    nonNegative("m", m);
    nonNegative("n", n);
    nonNegative("k", k);
    nonNegative("aOffset", aOffset);
    nonNegative("bOffset", bOffset);
    nonNegative("cOffset", cOffset);
    length("a", a == null ? -1 : a.length, aOffset, transA ? k : m, transA ? m : k, transA ? "k×m (transA)" : "m×k");
    length("b", b == null ? -1 : b.length, bOffset, transB ? n : k, transB ? k : n, transB ? "n×k (transB)" : "k×n");
    length("c", c == null ? -1 : c.length, cOffset, m, n, "m×n");
    if (c == a || c == b) {
      throw new IllegalArgumentException("c must not be the same array as " + (c == a ? "a" : "b"));
    }
  }

  private static void length(String name, int arrayLength, int offset, int rows, int cols, String shape) {
    if (arrayLength < 0) {
      throw new IllegalArgumentException(name + ": expected an array, was null");
    }
    long needed = offset + (long) rows * cols;
    if (arrayLength < needed) {
      throw new IllegalArgumentException(name + ": expected length >= " + needed + " (" + (offset == 0 ? ""
          : "offset " + offset + " + ") + shape + " = " + rows + "×" + cols + "), was " + arrayLength);
    }
  }

  private static void scale(float beta, float[] c, int from, int count) {
    if (beta == 0) {
      Arrays.fill(c, from, from + count, 0f);
    } else if (beta != 1) {
      for (int i = from; i < from + count; i++) {
        c[i] *= beta;
      }
    }
  }

  private static void nonNegative(String name, int size) {
    if (size < 0) {
      throw new IllegalArgumentException(name + ": expected a size >= 0, was " + size);
    }
  }

  private static void length(String name, double[] array, int rows, int cols, String shape) {
    if (array == null) {
      throw new IllegalArgumentException(name + ": expected an array, was null");
    }
    long needed = (long) rows * cols;
    if (array.length < needed) {
      throw new IllegalArgumentException(name + ": expected length >= " + needed + " (" + shape
          + " = " + rows + "×" + cols + "), was " + array.length);
    }
  }

  private static <T> T requireAvailable(T blas, Backend backend) {
    if (blas == null) {
      throw new IllegalStateException(backend.description());
    }
    return blas;
  }

  private static void scaleRows(double beta, double[] c, int n, int rowFrom, int rowTo) {
    int from = rowFrom * n;
    int to = rowTo * n;
    if (beta == 0) {
      Arrays.fill(c, from, to, 0.0);
    } else if (beta != 1) {
      for (int i = from; i < to; i++) {
        c[i] *= beta;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // netlib (JNI or Java): row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ.

  private static void blas(dev.ludovic.netlib.blas.BLAS blas, boolean transA, boolean transB,
      int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c,
      int rowFrom, int rowTo) {
    // Column-major view of a row-major r×s array is s×r with leading dimension s.
    // B (k×n, or n×k when transB) is column-major n×k = op(B)ᵀ ("N"), or k×n = op(B) ("T").
    // A (m×k, or k×m when transA) is column-major k×m = op(A)ᵀ ("N"), or m×k = op(A) ("T");
    // rows [rowFrom,rowTo) of op(A) are columns of the former (offset rowFrom·k) or rows of the latter.
    int ldb = transB ? k : n;
    int lda = transA ? m : k;
    int offA = transA ? rowFrom : rowFrom * k;
    blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, rowTo - rowFrom, k,
        alpha, b, 0, ldb, a, offA, lda, beta, c, rowFrom * n, n);
  }

  private static void sblas(dev.ludovic.netlib.blas.BLAS blas, boolean transA, boolean transB,
      int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c,
      int cOffset) {
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
        alpha, b, bOffset, transB ? k : n, a, aOffset, transA ? m : k, beta, c, cOffset, n);
  }

  // ---------------------------------------------------------------------------------------------
  // EJML.

  private static void ejml(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, double[] b, double beta, double[] c, int rowFrom, int rowTo) {
    int rows = rowTo - rowFrom;
    boolean whole = rows == m;
    DMatrixRMaj ma;
    if (whole) {
      ma = transA ? DMatrixRMaj.wrap(k, m, a) : DMatrixRMaj.wrap(m, k, a);
    } else if (transA) { // op(A) rows = columns [rowFrom,rowTo) of the stored k×m matrix
      double[] part = new double[k * rows];
      for (int p = 0; p < k; p++) {
        System.arraycopy(a, p * m + rowFrom, part, p * rows, rows);
      }
      ma = DMatrixRMaj.wrap(k, rows, part);
    } else {
      ma = DMatrixRMaj.wrap(rows, k, Arrays.copyOfRange(a, rowFrom * k, rowTo * k));
    }
    DMatrixRMaj mb = transB ? DMatrixRMaj.wrap(n, k, b) : DMatrixRMaj.wrap(k, n, b);
    DMatrixRMaj mc = whole ? DMatrixRMaj.wrap(m, n, c)
        : DMatrixRMaj.wrap(rows, n, beta == 0 ? new double[rows * n]
            : Arrays.copyOfRange(c, rowFrom * n, rowTo * n));
    if (beta == 0) {
      if (transA) {
        if (transB) CommonOps_DDRM.multTransAB(alpha, ma, mb, mc);
        else CommonOps_DDRM.multTransA(alpha, ma, mb, mc);
      } else {
        if (transB) CommonOps_DDRM.multTransB(alpha, ma, mb, mc);
        else CommonOps_DDRM.mult(alpha, ma, mb, mc);
      }
    } else {
      if (beta != 1) {
        scaleRows(beta, mc.data, n, 0, rows);
      }
      if (transA) {
        if (transB) CommonOps_DDRM.multAddTransAB(alpha, ma, mb, mc);
        else CommonOps_DDRM.multAddTransA(alpha, ma, mb, mc);
      } else {
        if (transB) CommonOps_DDRM.multAddTransB(alpha, ma, mb, mc);
        else CommonOps_DDRM.multAdd(alpha, ma, mb, mc);
      }
    }
    if (!whole) {
      System.arraycopy(mc.data, 0, c, rowFrom * n, rows * n);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plain loops: row i of C accumulates alpha·a(i,p)·(row p of op(B)); with op(B) = Bᵀ, row i of C
  // is a set of dot products of contiguous rows, four at a time.

  private static void loops(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, double[] b, double beta, double[] c, int rowFrom, int rowTo) {
    scaleRows(beta, c, n, rowFrom, rowTo);
    // A vector is stored the same transposed or not: pick the layout with contiguous inner loops.
    if (m == 1 || k == 1) {
      transA = false;
    }
    if (n == 1) {
      transB = true; // each entry of C is one dot product of contiguous rows
    } else if (k == 1) {
      transB = false; // outer product: each row of C is a multiple of B's one row
    }
    double[] column = transA && transB ? new double[k] : null;
    for (int i = rowFrom; i < rowTo; i++) {
      int ci = i * n;
      if (!transB) {
        for (int p = 0; p < k; p++) {
          double s = alpha * (transA ? a[p * m + i] : a[i * k + p]);
          int bp = p * n;
          for (int j = 0; j < n; j++) {
            c[ci + j] += s * b[bp + j];
          }
        }
      } else {
        double[] row = a;
        int ai = i * k;
        if (transA) {
          for (int p = 0; p < k; p++) {
            column[p] = a[p * m + i];
          }
          row = column;
          ai = 0;
        }
        int j = 0;
        for (; j + 3 < n; j += 4) {
          int b0 = j * k;
          int b1 = b0 + k;
          int b2 = b1 + k;
          int b3 = b2 + k;
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          for (int p = 0; p < k; p++) {
            double x = row[ai + p];
            s0 += x * b[b0 + p];
            s1 += x * b[b1 + p];
            s2 += x * b[b2 + p];
            s3 += x * b[b3 + p];
          }
          c[ci + j] += alpha * s0;
          c[ci + j + 1] += alpha * s1;
          c[ci + j + 2] += alpha * s2;
          c[ci + j + 3] += alpha * s3;
        }
        for (; j < n; j++) {
          int bj = j * k;
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += row[ai + p] * b[bj + p];
          }
          c[ci + j] += alpha * s;
        }
      }
    }
  }

  /** {@link #loops} in single precision, on matrices at offsets. */
  private static void sloops(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int ao, float[] b, int bo, float beta, float[] c, int co) {
    scale(beta, c, co, m * n);
    if (m == 1 || k == 1) {
      transA = false;
    }
    if (n == 1) {
      transB = true;
    } else if (k == 1) {
      transB = false;
    }
    float[] column = transA && transB ? new float[k] : null;
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      if (!transB) {
        for (int p = 0; p < k; p++) {
          float s = alpha * (transA ? a[ao + p * m + i] : a[ao + i * k + p]);
          int bp = bo + p * n;
          for (int j = 0; j < n; j++) {
            c[ci + j] += s * b[bp + j];
          }
        }
      } else {
        float[] row = a;
        int ai = ao + i * k;
        if (transA) {
          for (int p = 0; p < k; p++) {
            column[p] = a[ao + p * m + i];
          }
          row = column;
          ai = 0;
        }
        for (int j = 0; j < n; j++) {
          int bj = bo + j * k;
          float s = 0;
          for (int p = 0; p < k; p++) {
            s += row[ai + p] * b[bj + p];
          }
          c[ci + j] += alpha * s;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Loading netlib once, quietly: its own log lines are replaced by what backend() reports.

  private static final class Blas {
    static final NativeBLAS NATIVE;
    static final String NATIVE_ERROR;
    static final String NATIVE_LIBRARY;
    static final JavaBLAS JAVA;
    static final String JAVA_ERROR;

    static {
      Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
      Level level = log.getLevel();
      log.setLevel(Level.SEVERE);
      NativeBLAS nativeBlas = null;
      String nativeError = null;
      JavaBLAS javaBlas = null;
      String javaError = null;
      try {
        try {
          nativeBlas = smokeTested(NativeBLAS.getInstance());
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, RuntimeException, ...
          nativeError = e.toString() + arpackHint();
        }
        try {
          javaBlas = smokeTested(JavaBLAS.getInstance());
        } catch (Throwable e) {
          javaError = e.toString();
        }
      } finally {
        log.setLevel(level);
      }
      NATIVE = nativeBlas;
      NATIVE_ERROR = nativeError;
      NATIVE_LIBRARY = nativeBlas == null ? null : loadedBlasLibrary();
      JAVA = javaBlas;
      JAVA_ERROR = javaError;
    }

    /** Names the usual cause of a failed JNI load: the JNI library needs f2j's classes. */
    private static String arpackHint() {
      try {
        Class.forName("org.netlib.util.intW", false, Gemm.class.getClassLoader());
        return "";
      } catch (ClassNotFoundException e) {
        return "; net.sourceforge.f2j:arpack_combined_all is not on the class path";
      }
    }

    /** Returns the BLAS if it gets a 2×2 product right in double and single precision, else throws. */
    private static <T extends dev.ludovic.netlib.blas.BLAS> T smokeTested(T blas) {
      double[] a = {1, 2, 3, 4};
      double[] b = {5, 6, 7, 8};
      double[] c = new double[4];
      blas.dgemm("N", "N", 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
      if (!Arrays.equals(c, new double[] {23, 34, 31, 46})) {
        throw new IllegalStateException("wrong 2×2 product " + Arrays.toString(c));
      }
      float[] cf = new float[4];
      blas.sgemm("N", "N", 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 2, new float[] {5, 6, 7, 8}, 2, 0f, cf, 2);
      if (!Arrays.equals(cf, new float[] {23, 34, 31, 46})) {
        throw new IllegalStateException("wrong 2×2 single-precision product " + Arrays.toString(cf));
      }
      return blas;
    }

    /** Names the BLAS library that the JNI binding loaded, from this process's memory map. */
    private static String loadedBlasLibrary() {
      String wanted = System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3");
      try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
        var libraries = lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
            .filter(p -> p.startsWith("/")).map(p -> Path.of(p).getFileName().toString())
            .distinct().toList();
        for (String vendor : new String[] {"openblas", "mkl_rt", "blis", "atlas"}) {
          for (String lib : libraries) {
            if (lib.toLowerCase(Locale.ROOT).contains(vendor)) {
              String name = vendor.equals("openblas") ? "OpenBLAS" : vendor.toUpperCase(Locale.ROOT);
              return name + " " + lib;
            }
          }
        }
        return wanted + " (vendor unknown)";
      } catch (IOException | RuntimeException e) {
        return wanted;
      }
    }
  }
}
