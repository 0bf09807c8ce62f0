package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import java.nio.file.Path;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.OptimizerFile;
import l2l.problems.Mixture;
import l2l.problems.Problems;
import l2l.problems.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l train --problem mix:…}: tasks of different shapes in one run, which checkpoints and resumes. */
class MixtureTrainingTest {
  @TempDir
  Path dir;

  @Test
  void aRunOnAMixtureTrainsOnEveryComponentAndResumesFromItsSpec() {
    String mix = "mix:quadratic:batch=2,dim=3,conditioning=100,weight=2+rosenbrock:dims=4+simple-multi:dims=3";
    String[] settings = {"train", "--problem", mix, "--hidden", "4x4", "--horizon", "10", "--unroll", "5",
        "--step-loss", "log", "--evaluate-every", "3", "--evaluation-tasks", "3", "--checkpoint-every", "3",
        "--progress", "none", "--out", dir.toString()};
    Cli a = Cli.run(Cli.with(settings, "--epochs", "6", "--stop-after", "4"));
    assertEquals(0, a.code(), a.toString());
    Cli b = Cli.run("train", "--resume", dir.toString(), "--progress", "none");
    assertEquals(0, b.code(), b.toString());
    assertEquals(mix, OptimizerFile.load(dir.resolve("optimizer.json")).training().problem());
    Mixture m = (Mixture) ((Problems.Specified) Problems.parse(mix)).problem();
    assertEquals(HashSet.of(0, 1, 2), List.range(0, 6).map(e -> m.component(Seeds.derive(0, "train", e))).toSet(),
        "the 6 epochs' tasks come from every component");
    assertTrue(Checkpoint.load(dir).snapshot().history().forAll(r -> Double.isFinite(r.metaLoss())),
        Checkpoint.load(dir).snapshot().history()::toString);
  }
}
