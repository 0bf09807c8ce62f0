package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pretrained NAME} in {@code l2l evaluate} and {@code l2l compare}. */
class PretrainedCliTest {
  @TempDir
  Path dir;

  @Test
  void evaluateRunsAPretrainedOptimizerOnItsTrainingProblemByDefault() {
    Cli e = Cli.run("evaluate", "--pretrained", "quadratic", "--steps", "5", "--tasks", "2", "--out",
        dir.resolve("e").toString(), "--progress", "none");
    assertEquals(0, e.code(), e.toString());
    assertTrue(e.out().contains("LSTM     pretrained quadratic") && e.out().contains("quadratic(batch=128, dim=10"),
        e.out());
  }

  /** compare takes the same option (the shared {@code TestOptions}): it refuses an unknown name. */
  @Test
  void anUnknownNameOrNothingToRunIsOneLineAndExitCodeTwo() {
    for (String[] args : new String[][] {{"compare", "--pretrained", "nope"}, {"evaluate"}}) {
      Cli r = Cli.run(args);
      assertEquals(Main.USAGE, r.code(), r.toString());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().contains(args.length > 1
          ? "no pretrained optimizer 'nope'; available: quadratic, mnist, mnist-imitation, mnist-adam, generalist,"
              + " generalist-hd, generalist-lo"
          : "nothing to evaluate: give optimizer files or --pretrained NAME"), r.err());
    }
  }
}
