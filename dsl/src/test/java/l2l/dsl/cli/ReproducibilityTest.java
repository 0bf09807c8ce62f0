package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import l2l.autodiff.Tree;
import l2l.dsl.io.OptimizerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README claims about repeating a run: on one machine (the same CPU, BLAS library and
 * JVM) the same commands with the same seed give the same bits at 1 and 2 threads and on a
 * repeat — the trained φ, every curve and the table. The demo's recipe on the quadratic (1 280
 * coordinates: two row blocks, so the threads really split the work), shortened. That another
 * CPU's BLAS kernels round differently cannot be checked on one machine.
 */
class ReproducibilityTest {
  @TempDir
  Path dir;

  /** Trains and compares at this thread count; returns φ's bits, curves.csv and table.txt. */
  private Object[] run(String name, int threads) throws Exception {
    Path train = dir.resolve(name).resolve("train"), results = dir.resolve(name).resolve("results");
    String t = Integer.toString(threads);
    Cli a = Cli.run("train", "--problem", "quadratic", "--preprocess", "log-and-sign:5", "--step-loss", "log", "--epochs",
        "3", "--horizon", "20", "--unroll", "5", "--evaluate-every", "1", "--evaluation-tasks", "2", "--threads", t,
        "--progress", "none", "--out", train.toString());
    assertEquals(0, a.code(), a.toString());
    Cli b = Cli.run("compare", train.resolve("optimizer.json").toString(), "--tasks", "3", "--tuning-tasks", "2",
        "--lr-grid", "0.1,1", "--threads", t, "--progress", "none", "--out", results.toString());
    assertEquals(0, b.code(), b.toString());
    Tree phi = OptimizerFile.load(train.resolve("optimizer.json")).phi();
    long[] bits = java.util.Arrays.stream(phi.flatten().toArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    String here = train.resolve("optimizer.json").toString();
    return new Object[] {bits, Files.readString(results.resolve("curves.csv")).replace(here, "FILE"),
        Files.readString(results.resolve("table.txt")).replace(here, "FILE")};
  }

  @Test
  void theSameCommandsGiveTheSameBitsAtOneAndTwoThreadsAndOnARepeat() throws Exception {
    Object[] one = run("one", 1), two = run("two", 2), again = run("new", 2);
    for (Object[] other : new Object[][] {two, again}) {
      assertArrayEquals((long[]) one[0], (long[]) other[0], "φ");
      assertEquals(one[1], other[1], "curves.csv");
      assertEquals(one[2], other[2], "table.txt");
    }
  }
}
