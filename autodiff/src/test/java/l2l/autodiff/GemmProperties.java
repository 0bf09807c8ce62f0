package l2l.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link Gemm} on every backend this JVM can run agrees with a naive triple loop.
 *
 * <p>Tolerance: each entry may differ from the naive loop by at most
 * {@code 2·(k+3)·2⁻⁵²·(|α|·Σ_p |a_ip|·|b_pj| + |β|·|c_ij|)}, twice the standard rounding bound of a
 * length-k dot product (both sides round, in any summation order, FMA or not). The single-precision
 * {@link Gemm#sgemm} is checked the same way against the triple loop in double, with float's unit
 * roundoff 2⁻²³ in place of 2⁻⁵².
 */
class GemmProperties {

  /** Sizes of one product: op(A) is m×k, op(B) is k×n. */
  record Shape(int m, int n, int k) {
    @Override
    public String toString() {
      return "[" + m + "×" + k + "]·[" + k + "×" + n + "]";
    }
  }

  /** One product's operands, filled from a seed; C starts non-zero so that beta matters. */
  record Operands(double[] a, double[] b, double[] c) {
    static Operands of(Shape s, long seed) {
      Random random = new Random(seed);
      return new Operands(fill(random, s.m * s.k), fill(random, s.k * s.n), fill(random, s.m * s.n));
    }

    private static double[] fill(Random random, int length) {
      double[] x = new double[length];
      for (int i = 0; i < length; i++) {
        x[i] = 2 * random.nextDouble() - 1;
      }
      return x;
    }
  }

  private static final boolean[] BOTH = {false, true};

  private static List<Gemm.Backend> available() {
    return Arrays.stream(Gemm.Backend.values()).filter(Gemm.Backend::isAvailable).toList();
  }

  // ----------------------------------------------------------------------------------------------
  // Agreement with the naive triple loop.

  @Property(tries = 300)
  void everyBackendAgreesWithNaiveTripleLoopForAllTransposes(@ForAll("shapes") Shape s,
      @ForAll("scalars") double alpha, @ForAll("scalars") double beta, @ForAll long seed) {
    Operands x = Operands.of(s, seed);
    for (boolean transA : BOTH) {
      for (boolean transB : BOTH) {
        double[] a = transA ? transpose(x.a, s.m, s.k) : x.a;
        double[] b = transB ? transpose(x.b, s.k, s.n) : x.b;
        for (Gemm.Backend backend : available()) {
          double[] c = x.c.clone();
          Gemm.gemm(backend, transA, transB, s.m, s.n, s.k, alpha, a, b, beta, c);
          assertNaiveProduct(backend + " " + transA + "/" + transB, s, alpha, x, beta, c);
        }
        double[] c = x.c.clone();
        Gemm.gemm(transA, transB, s.m, s.n, s.k, alpha, a, b, beta, c);
        assertNaiveProduct("default " + transA + "/" + transB, s, alpha, x, beta, c);
      }
    }
  }

  @Property(tries = 60)
  void rowRangesComputeExactlyTheirRowsOfTheProduct(@ForAll("shapes") Shape s,
      @ForAll("scalars") double alpha, @ForAll("scalars") double beta, @ForAll long seed,
      @ForAll boolean transA, @ForAll boolean transB) {
    Operands x = Operands.of(s, seed);
    double[] a = transA ? transpose(x.a, s.m, s.k) : x.a;
    double[] b = transB ? transpose(x.b, s.k, s.n) : x.b;
    Random random = new Random(seed);
    int from = random.nextInt(s.m + 1);
    int to = from + random.nextInt(s.m - from + 1);
    for (Gemm.Backend backend : available()) {
      double[] c = x.c.clone();
      Gemm.gemmRows(backend, transA, transB, s.m, s.n, s.k, alpha, a, b, beta, c, from, to);
      String where = backend + " rows [" + from + "," + to + ") " + transA + "/" + transB;
      assertArrayEquals(where + " outside the range", x.c, c, 0, from * s.n);
      assertArrayEquals(where + " outside the range", x.c, c, to * s.n, s.m * s.n);
      double[] whole = x.c.clone();
      System.arraycopy(c, from * s.n, whole, from * s.n, (to - from) * s.n);
      Gemm.gemmRows(backend, transA, transB, s.m, s.n, s.k, alpha, a, b, beta, whole, 0, from);
      Gemm.gemmRows(backend, transA, transB, s.m, s.n, s.k, alpha, a, b, beta, whole, to, s.m);
      assertNaiveProduct(where, s, alpha, x, beta, whole);
    }
  }

  @Property(tries = 40)
  void betaZeroNeverReadsC(@ForAll("shapes") Shape s, @ForAll("scalars") double alpha,
      @ForAll long seed, @ForAll boolean transA, @ForAll boolean transB) {
    Operands x = Operands.of(s, seed);
    double[] a = transA ? transpose(x.a, s.m, s.k) : x.a;
    double[] b = transB ? transpose(x.b, s.k, s.n) : x.b;
    for (Gemm.Backend backend : available()) {
      double[] c = new double[s.m * s.n];
      Arrays.fill(c, Double.NaN);
      Gemm.gemm(backend, transA, transB, s.m, s.n, s.k, alpha, a, b, 0.0, c);
      assertNaiveProduct(backend + " NaN in C, beta 0", s, alpha, x, 0.0, c);
    }
  }

  @Property(tries = 40)
  void alphaZeroOnlyScalesCAndNeverReadsAOrB(@ForAll("shapes") Shape s,
      @ForAll("scalars") double beta, @ForAll long seed) {
    Operands x = Operands.of(s, seed);
    double[] a = new double[s.m * s.k];
    double[] b = new double[s.k * s.n];
    Arrays.fill(a, Double.NaN);
    Arrays.fill(b, Double.POSITIVE_INFINITY);
    for (Gemm.Backend backend : available()) {
      double[] c = x.c.clone();
      Gemm.gemm(backend, false, false, s.m, s.n, s.k, 0.0, a, b, beta, c);
      for (int i = 0; i < c.length; i++) {
        assertEquals(beta * x.c[i], c[i], 0.0, backend + " entry " + i);
      }
    }
  }

  @Example
  void rowHalvesOnTwoThreadsEqualTheWholeProduct() {
    Shape s = new Shape(1280, 80, 40);
    Operands x = Operands.of(s, 42);
    for (Gemm.Backend backend : available()) {
      double[] c = x.c.clone();
      CompletableFuture<Void> top = CompletableFuture.runAsync(() ->
          Gemm.gemmRows(backend, false, false, s.m, s.n, s.k, 1.0, x.a, x.b, 1.0, c, 0, 640));
      Gemm.gemmRows(backend, false, false, s.m, s.n, s.k, 1.0, x.a, x.b, 1.0, c, 640, 1280);
      top.join();
      assertNaiveProduct(backend + " two threads", s, 1.0, x, 1.0, c);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Single precision.

  /** A float copy of {@code x} placed at {@code offset} in a longer array padded with NaN. */
  private static float[] placed(double[] x, int offset, int extra) {
    float[] f = new float[offset + x.length + extra];
    Arrays.fill(f, Float.NaN);
    for (int i = 0; i < x.length; i++) {
      f[offset + i] = (float) x[i];
    }
    return f;
  }

  @Property(tries = 300)
  void sgemmOnEveryBackendAgreesWithNaiveTripleLoopForAllTransposesAndOffsets(@ForAll("shapes") Shape s,
      @ForAll("scalars") double alpha, @ForAll("scalars") double beta, @ForAll long seed) {
    Operands x = floatOperands(s, seed);
    Random random = new Random(seed);
    float fa = (float) alpha, fb = (float) beta;
    for (boolean transA : BOTH) {
      for (boolean transB : BOTH) {
        int oa = random.nextInt(4), ob = random.nextInt(4), oc = random.nextInt(4);
        float[] a = placed(transA ? transpose(x.a, s.m, s.k) : x.a, oa, 2);
        float[] b = placed(transB ? transpose(x.b, s.k, s.n) : x.b, ob, 2);
        float[] c0 = placed(x.c, oc, 3);
        String where = transA + "/" + transB + " offsets " + oa + "," + ob + "," + oc;
        for (Gemm.Backend backend : available()) {
          float[] c = c0.clone();
          Gemm.sgemm(backend, transA, transB, s.m, s.n, s.k, fa, a, oa, b, ob, fb, c, oc);
          assertNaiveSingleProduct(backend + " " + where, s, fa, x, fb, c, oc);
          assertOutsideUnchanged(backend + " " + where, c0, c, oc, s.m * s.n);
        }
        float[] c = c0.clone();
        Gemm.sgemm(transA, transB, s.m, s.n, s.k, fa, a, oa, b, ob, fb, c, oc);
        assertNaiveSingleProduct("default " + where, s, fa, x, fb, c, oc);
        if (oa == 0 && ob == 0 && oc == 0) {
          float[] d = c0.clone();
          Gemm.sgemm(transA, transB, s.m, s.n, s.k, fa, a, b, fb, d);
          assertNaiveSingleProduct("default, no offsets " + where, s, fa, x, fb, d, 0);
        }
      }
    }
  }

  @Property(tries = 40)
  void sgemmWithBetaZeroNeverReadsC(@ForAll("shapes") Shape s, @ForAll("scalars") double alpha,
      @ForAll long seed, @ForAll boolean transA, @ForAll boolean transB) {
    Operands x = floatOperands(s, seed);
    float[] a = placed(transA ? transpose(x.a, s.m, s.k) : x.a, 0, 0);
    float[] b = placed(transB ? transpose(x.b, s.k, s.n) : x.b, 0, 0);
    for (Gemm.Backend backend : available()) {
      float[] c = new float[s.m * s.n];
      Arrays.fill(c, Float.NaN);
      Gemm.sgemm(backend, transA, transB, s.m, s.n, s.k, (float) alpha, a, 0, b, 0, 0f, c, 0);
      assertNaiveSingleProduct(backend + " NaN in C, beta 0", s, (float) alpha, x, 0f, c, 0);
    }
  }

  @Example
  void sgemmArraysEndingBeforeTheirMatrixAreRejectedNamingTheOffset() {
    float[] a = new float[6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, new float[6], 0, 0f, new float[4], 0));
    assertEquals("a: expected length >= 7 (offset 1 + m×k = 2×3), was 6", e.getMessage());
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 1, 1, 1, 1f, a, 0, new float[1], 0, 0f, a, 2));
    assertEquals("c must not be the same array as a", same.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 1, 1, 1, 1f, a, -1, new float[1], 0, 0f, new float[1], 0));
    assertEquals("aOffset: expected a size >= 0, was -1", negative.getMessage());
  }

  /** Operands whose entries are floats (so that the double reference sees the same inputs). */
  private static Operands floatOperands(Shape s, long seed) {
    Operands x = Operands.of(s, seed);
    for (double[] d : new double[][] {x.a, x.b, x.c}) {
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) d[i];
      }
    }
    return x;
  }

  /** Checks c[offset..] against alpha·A·B + beta·C0 computed in double, within float's rounding bound. */
  private static void assertNaiveSingleProduct(String where, Shape s, float alpha, Operands x, float beta, float[] c,
      int offset) {
    assertNaive(where, s, alpha, x, beta, Math.ulp(1f), idx -> c[offset + idx]);
  }

  private static void assertOutsideUnchanged(String where, float[] before, float[] after, int offset, int length) {
    for (int i = 0; i < before.length; i++) {
      if ((i < offset || i >= offset + length) && Float.compare(before[i], after[i]) != 0) {
        fail(where + ": entry " + i + " outside C changed from " + before[i] + " to " + after[i]);
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Errors and reporting.

  @Property(tries = 30)
  void negativeSizesAreRejectedNamingTheSize(@ForAll("negative") int bad,
      @ForAll("argumentIndex") int which) {
    int m = which == 0 ? bad : 2;
    int n = which == 1 ? bad : 2;
    int k = which == 2 ? bad : 2;
    String name = List.of("m", "n", "k").get(which);
    double[] x = new double[4];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, m, n, k, 1.0, x, x.clone(), 0.0, x.clone()));
    assertEquals(name + ": expected a size >= 0, was " + bad, e.getMessage());
  }

  @Property(tries = 60)
  void shortArraysAreRejectedNamingExpectedAndActualLength(@ForAll("shapes") Shape s,
      @ForAll("argumentIndex") int which, @ForAll boolean transA, @ForAll boolean transB) {
    int[] lengths = {s.m * s.k, s.k * s.n, s.m * s.n};
    if (lengths[which] == 0) {
      return; // nothing is too short for an empty matrix
    }
    double[][] arrays = {new double[lengths[0]], new double[lengths[1]], new double[lengths[2]]};
    arrays[which] = new double[lengths[which] - 1];
    String name = List.of("a", "b", "c").get(which);
    for (Gemm.Backend backend : available()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Gemm.gemm(backend, transA, transB, s.m, s.n, s.k, 1.0, arrays[0], arrays[1], 0.0,
              arrays[2]));
      String message = e.getMessage();
      assertTrue(message.startsWith(name + ": expected length >= " + lengths[which] + " ("),
          message);
      assertTrue(message.endsWith("), was " + (lengths[which] - 1)), message);
    }
  }

  @Example
  void cSharingAnArrayWithAOrBIsRejected() {
    double[] x = new double[4];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 2, 2, 1.0, x, new double[4], 0.0, x));
    assertEquals("c must not be the same array as a", e.getMessage());
  }

  @Example
  void rowRangesOutsideZeroToMAreRejected() {
    double[] x = new double[6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemmRows(false, false, 3, 2, 1, 1.0, new double[3], new double[2], 0.0, x, 2, 4));
    assertEquals("rows: expected 0 <= rowFrom <= rowTo <= m = 3, was rowFrom = 2, rowTo = 4",
        e.getMessage());
  }

  @Example
  void unknownBackendNamesAreRejectedListingTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.choose("cuda"));
    assertEquals("-Dl2l.blas=cuda is not a backend; allowed: native, java, ejml, loop",
        e.getMessage());
  }

  @Example
  void eachBackendNameChoosesThatBackendAndNoNameTheBestAvailable() {
    for (Gemm.Backend backend : available()) {
      assertEquals(backend, Gemm.choose(backend.name().toLowerCase()));
    }
    Gemm.Backend best = Gemm.Backend.NATIVE.isAvailable() ? Gemm.Backend.NATIVE
        : Gemm.Backend.JAVA.isAvailable() ? Gemm.Backend.JAVA : Gemm.Backend.EJML;
    assertEquals(best, Gemm.choose(null));
  }

  @Example
  void backendNamesTheDefaultBackendThatRuns() {
    String line = Gemm.backend();
    assertTrue(line.startsWith(Gemm.defaultBackend().description()), line);
    System.out.println("Gemm backend: " + line);
  }

  // ----------------------------------------------------------------------------------------------
  // Generators.

  @Provide
  Arbitrary<Shape> shapes() {
    Arbitrary<Integer> size = Arbitraries.integers().between(1, 24);
    Arbitrary<Shape> square = Combinators.combine(size, size, size).as(Shape::new);
    Arbitrary<Shape> vectors = Arbitraries.oneOf(
        Combinators.combine(size, size).as((n, k) -> new Shape(1, n, k)),  // 1×k · k×n
        Combinators.combine(size, size).as((m, k) -> new Shape(m, 1, k)),  // m×k · k×1
        Combinators.combine(size, size).as((m, n) -> new Shape(m, n, 1))); // outer product
    Arbitrary<Shape> edges = Arbitraries.of(new Shape(1, 1, 1), new Shape(0, 3, 2),
        new Shape(3, 0, 2), new Shape(3, 2, 0), new Shape(0, 0, 0));
    Arbitrary<Shape> large = Arbitraries.of(new Shape(1280, 80, 40), new Shape(1280, 80, 21),
        new Shape(97, 131, 67), new Shape(1, 300, 500), new Shape(400, 1, 90));
    return Arbitraries.frequencyOf(Tuple.of(6, square), Tuple.of(3, vectors), Tuple.of(1, edges),
        Tuple.of(1, large));
  }

  @Provide
  Arbitrary<Double> scalars() {
    return Arbitraries.oneOf(Arbitraries.of(0.0, 1.0, -1.0, 0.5),
        Arbitraries.doubles().between(-3, 3));
  }

  @Provide
  Arbitrary<Integer> negative() {
    return Arbitraries.integers().between(Integer.MIN_VALUE, -1);
  }

  @Provide
  Arbitrary<Integer> argumentIndex() {
    return Arbitraries.integers().between(0, 2);
  }

  // ----------------------------------------------------------------------------------------------
  // The reference and the comparison.

  /** The stored form of op(X)ᵀ: a rows×cols row-major matrix as cols×rows. */
  private static double[] transpose(double[] x, int rows, int cols) {
    double[] t = new double[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }

  /** Checks c against alpha·A·B + beta·C0 by the naive triple loop, A and B untransposed. */
  private static void assertNaiveProduct(String where, Shape s, double alpha, Operands x,
      double beta, double[] c) {
    assertNaive(where, s, alpha, x, beta, Math.ulp(1.0), idx -> c[idx]);
  }

  /**
   * Checks entry i·n + j of a product, read by {@code got}, against alpha·A·B + beta·C0 by the
   * naive triple loop in double, within 2(k + 3)·eps times the magnitude of the terms.
   */
  private static void assertNaive(String where, Shape s, double alpha, Operands x, double beta, double eps,
      java.util.function.IntToDoubleFunction gotAt) {
    for (int i = 0; i < s.m; i++) {
      for (int j = 0; j < s.n; j++) {
        double sum = 0;
        double magnitude = 0;
        for (int p = 0; p < s.k; p++) {
          double term = x.a[i * s.k + p] * x.b[p * s.n + j];
          sum += term;
          magnitude += Math.abs(term);
        }
        double c0 = beta == 0 ? 0 : x.c[i * s.n + j];
        double want = alpha * sum + beta * c0;
        double tolerance = 2 * (s.k + 3) * eps * (Math.abs(alpha) * magnitude + Math.abs(beta * c0));
        double got = gotAt.applyAsDouble(i * s.n + j);
        if (!(Math.abs(got - want) <= tolerance)) {
          fail(where + " " + s + " alpha=" + alpha + " beta=" + beta + ": C[" + i + "," + j
              + "] = " + got + ", naive " + want + ", tolerance " + tolerance);
        }
      }
    }
  }

  private static void assertArrayEquals(String where, double[] want, double[] got, int from,
      int to) {
    for (int i = from; i < to; i++) {
      if (Double.compare(want[i], got[i]) != 0) {
        fail(where + ": entry " + i + " changed from " + want[i] + " to " + got[i]);
      }
    }
  }
}
