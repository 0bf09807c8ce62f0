package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l2l train} runs that diverge: one line saying where, naming the folder and the setting to
 * change, exit code 1, and no diverged φ saved as a trained optimizer.
 */
class TrainDivergenceTest {
  @TempDir
  Path dir;

  private Cli diverges(Path out, String... settings) {
    Cli r = Cli.run(Cli.with(Cli.with(Cli.train(), settings), "--out", out.toString()));
    assertEquals(Main.FAILED, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertFalse(r.out().contains("trained optimizer"), r.out());
    assertFalse(Files.exists(out.resolve(Trainer.BEST)), "no trained optimizer");
    assertFalse(Files.exists(out.resolve(Trainer.LAST)), "no diverged last optimizer");
    return r;
  }

  @Test
  void aRunWhoseEveryHeldOutEvaluationDivergedFailsAndSavesNoOptimizer() {
    Path a = dir.resolve("adam");
    Cli r = diverges(a, "--epochs", "3", "--meta-optimizer", "adam:lr=1e3");
    assertTrue(r.err().contains("meta-training in " + a + " diverged: in every held-out evaluation (1, the last after"
        + " epoch 3)") && r.err().contains("--meta-optimizer adam:lr=1000.0"), r.err());
    Path s = dir.resolve("scale");
    assertTrue(diverges(s, "--epochs", "3", "--scale", "1e9").err().contains("--scale 1.0E9"));
  }

  @Test
  void aRunStoppedByDivergedTruncationsSaysWhereAndKeepsNoDivergedPhi() {
    Cli r = diverges(dir.resolve("sgd"), "--epochs", "30", "--evaluate-every", "2", "--meta-optimizer", "sgd:lr=1e6");
    assertTrue(r.err().contains("meta-training diverged at epoch 10: the optimizee diverged")
        && r.err().contains("in 10 truncations in a row") && r.err().contains("no trained optimizer saved"), r.err());
  }

  @Test
  void aRunOutOfHeapFailsWithOneLineNamingTheHeapAndHowToRaiseIt() throws Exception {
    // 128 quadratics of 2 000 dimensions need 4 GB for their matrices; a 32 MB heap cannot hold the first task
    Path log = dir.resolve("oom.log");
    Process p = new ProcessBuilder(Cli.inNewJvm(java.util.List.of("-Xmx32m"), "train", "--problem", "quadratic:dim=2000",
        "--epochs", "1", "--progress", "none", "--out", dir.resolve("oom").toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the run ended");
    assertEquals(Main.FAILED, p.exitValue());
    java.util.List<String> err = Files.readAllLines(log).stream().filter(l -> !l.startsWith("WARNING: Using incubator"))
        .toList();
    assertEquals(1, err.size(), "one line: " + err);
    assertTrue(err.get(0).matches("l2l train: error: out of memory: the Java heap of \\d+ MB is too small for this run; .*")
        && err.get(0).contains("-Xmx8g") && err.get(0).contains("--resume"), err.get(0));
  }
}
