package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import l2l.dsl.io.OptimizerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l self-train}: g trains g, and fixed-point iteration, with their files and comparison. */
class SelfTrainTest {
  @TempDir
  Path dir;

  /** A briefly trained g; at output scale 1 its meta-steps make g' diverge, at 0.1 they do not. */
  private Path trained(String scale) {
    Path run = dir.resolve("run" + scale);
    Cli t = Cli.run(Cli.with(Cli.train(), "--epochs", "2", "--evaluate-every", "1", "--scale", scale, "--out",
        run.toString()));
    assertEquals(0, t.code(), t.toString());
    return run.resolve("optimizer.json");
  }

  @Test
  void aSelfTrainedOptimizerWhoseEveryEvaluationDivergedIsNotSavedAndTheCommandFails() {
    Path out = dir.resolve("self");
    Cli r = Cli.run("self-train", "--optimizer", trained("1").toString(), "--epochs", "2", "--evaluate-every", "1",
        "--evaluation-tasks", "2", "--tasks", "2", "--out", out.toString(), "--progress", "none");
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("g' (meta-trained by file:") && r.err().contains("diverged"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out.resolve("optimizer.json")));
  }

  @Test
  void aTrainedOptimizerTrainsAFreshCopyOfItself() throws Exception {
    Path g = trained("0.1");
    Path out = dir.resolve("self");
    Cli r = Cli.run("self-train", "--optimizer", g.toString(), "--epochs", "2", "--evaluate-every", "1",
        "--evaluation-tasks", "2", "--tasks", "2", "--out", out.toString(), "--progress", "none");
    assertEquals(0, r.code(), r.toString());
    OptimizerFile f = OptimizerFile.load(out.resolve("optimizer.json"));
    assertEquals("file:" + g, f.training().metaOptimizer());
    assertEquals(OptimizerFile.load(g).architecture(), f.architecture());
    assertTrue(r.out().contains("g'"), r.out());
    for (String name : new String[] {"table.txt", "curves.csv", "curves.json", "loss.png"}) {
      assertTrue(Files.exists(out.resolve(name)), name);
    }
  }

  @Test
  void fixedPointIterationReportsEveryIteration() throws Exception {
    Path out = dir.resolve("fp");
    Cli r = Cli.run("self-train", "--mode", "fixed-point", "--problem", "quadratic:batch=8,dim=5", "--hidden", "4",
        "--horizon", "10", "--unroll", "5", "--iterations", "1", "--epochs", "5", "--first", "adam:lr=0.01", "--evaluate-every", "1",
        "--evaluation-tasks", "2", "--tasks", "2", "--meta-scale", "0.1", "--out", out.toString(), "--progress", "none");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("fixed point:"), r.out());
    assertTrue(Files.readString(out.resolve("fixed-point.txt")).contains("k=0"));
    assertEquals(3, Files.readAllLines(out.resolve("fixed-point.csv")).size());
    assertTrue(Files.exists(out.resolve("optimizer-0.json")));
  }
}
