package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import l2l.autodiff.Tree;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.OptimizerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l2l train}: its files, and a stopped run resumed with --resume ends bit for bit where an uninterrupted run ends. */
class TrainResumeTest {
  @TempDir
  Path dir;

  private static void assertSameBits(Tree a, Tree b) {
    assertEquals(a.paths(), b.paths());
    for (int i = 0; i < a.leafCount(); i++) {
      double[] x = a.leaves().get(i).toArray(), y = b.leaves().get(i).toArray();
      for (int k = 0; k < x.length; k++) {
        assertEquals(Double.doubleToRawLongBits(x[k]), Double.doubleToRawLongBits(y[k]), a.paths().get(i) + "[" + k + "]");
      }
    }
  }

  @Test
  void aStoppedRunResumedFromItsCheckpointEndsWhereAnUninterruptedRunEnds() {
    Path whole = dir.resolve("whole"), cut = dir.resolve("cut");
    String[] settings = Cli.with(Cli.with(new String[] {"train"}, Cli.TINY), "--epochs", "7", "--evaluate-every", "2", "--checkpoint-every", "2", "--seed", "3");
    Cli a = Cli.run(Cli.with(settings, "--out", whole.toString()));
    assertEquals(0, a.code(), a.toString());

    Cli b = Cli.run(Cli.with(settings, "--out", cut.toString(), "--stop-after", "5"));
    assertEquals(0, b.code(), b.toString());
    assertTrue(b.out().contains("stopped after epoch 5"), b.out());
    assertFalse(Files.exists(cut.resolve("optimizer.json")), "a stopped run has no final optimizer");
    assertEquals(4, Checkpoint.load(cut).snapshot().nextEpoch(), "the last checkpoint is from epoch 4");

    Cli c = Cli.run("train", "--resume", cut.toString(), "--progress", "none");
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().contains("resuming at epoch 5"), c.out());

    Checkpoint x = Checkpoint.load(whole), y = Checkpoint.load(cut);
    assertEquals(7, y.snapshot().nextEpoch());
    assertSameBits(x.snapshot().phi(), y.snapshot().phi());
    assertSameBits(x.snapshot().best(), y.snapshot().best());
    assertSameBits(x.snapshot().metaOptState(), y.snapshot().metaOptState());
    assertEquals(x.snapshot().bestEvaluation(), y.snapshot().bestEvaluation());
    assertEquals(x.snapshot().history().map(r -> r.finalLoss()), y.snapshot().history().map(r -> r.finalLoss()));
    assertSameBits(OptimizerFile.load(whole.resolve("optimizer.json")).phi(), OptimizerFile.load(cut.resolve("optimizer.json")).phi());
    assertSameBits(OptimizerFile.load(whole.resolve("optimizer-last.json")).phi(),
        OptimizerFile.load(cut.resolve("optimizer-last.json")).phi());
  }

  @Test
  void anImitationWarmStartIsCheckpointedBeforeTheFirstEpochAndNotRepeatedOnResume() {
    Path whole = dir.resolve("im-whole"), cut = dir.resolve("im-cut");
    String[] settings = Cli.with(Cli.train(), "--epochs", "3", "--checkpoint-every", "1", "--seed", "2", "--imitate",
        "adam:lr=0.1", "--imitation-tasks", "3");
    Cli a = Cli.run(Cli.with(settings, "--out", whole.toString()));
    assertEquals(0, a.code(), a.toString());
    assertTrue(a.out().contains("imitated adam:lr=0.1") && a.out().contains("on 3 tasks: relative squared error"),
        a.out());
    Cli b = Cli.run(Cli.with(settings, "--out", cut.toString(), "--stop-after", "1"));
    assertEquals(0, b.code(), b.toString());
    Cli c = Cli.run("train", "--resume", cut.toString(), "--progress", "none");
    assertEquals(0, c.code(), c.toString());
    assertFalse(c.out().contains("imitated"), "a resumed run does not imitate again: " + c.out());
    Checkpoint x = Checkpoint.load(whole), y = Checkpoint.load(cut);
    assertEquals("adam:lr=0.1,b1=0.9,b2=0.999,eps=1.0E-8", y.settings().imitation().get().teacher());
    assertEquals(3, y.settings().imitation().get().tasks());
    assertEquals("adam:lr=0.001,b1=0.9,b2=0.999,eps=1.0E-8", y.settings().imitation().get().optimizer(),
        "imitated with the meta-optimizer by default");
    assertSameBits(x.snapshot().phi(), y.snapshot().phi());
    Cli own = Cli.run(Cli.with(Cli.train(), "--epochs", "1", "--imitate", "sgd:lr=0.1", "--imitation-tasks", "2",
        "--imitation-optimizer", "adam:lr=0.01", "--out", dir.resolve("own").toString()));
    assertEquals(0, own.code(), own.toString());
    assertEquals("adam:lr=0.01,b1=0.9,b2=0.999,eps=1.0E-8", Checkpoint.load(dir.resolve("own")).settings().imitation()
        .get().optimizer());
    Cli orphan = Cli.run(Cli.with(Cli.train(), "--imitation-optimizer", "adam", "--out", dir.resolve("o").toString()));
    assertEquals(Main.USAGE, orphan.code());
    assertTrue(orphan.err().contains("--imitation-optimizer needs --imitate"), orphan.err());
    Cli bad = Cli.run(Cli.with(Cli.train(), "--imitate", "adamx", "--out", dir.resolve("b").toString()));
    assertEquals(Main.USAGE, bad.code());
    assertTrue(bad.err().contains("--imitate"), bad.err());
  }

  @Test
  void aRunStartedFromAnOptimizerFileStartsFromItsPhiWithItsArchitectureAndProblem() {
    Path first = dir.resolve("first"), second = dir.resolve("second");
    assertEquals(0, Cli.run(Cli.with(Cli.train(), "--epochs", "2", "--out", first.toString())).code());
    String file = first.resolve("optimizer-last.json").toString();
    Cli r = Cli.run("train", "--start", file, "--epochs", "0", "--horizon", "20", "--unroll", "5", "--progress", "none",
        "--out", second.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("starting from " + file), r.out());
    OptimizerFile a = OptimizerFile.load(Path.of(file)), b = OptimizerFile.load(second.resolve("optimizer.json"));
    assertSameBits(a.phi(), b.phi());
    assertEquals(a.training().problem(), b.training().problem());
    assertEquals(a.architecture(), b.architecture());
    assertEquals(0, Checkpoint.load(second).snapshot().nextEpoch(), "the start is checkpointed before any epoch");
    Cli both = Cli.run("train", "--start", file, "--hidden", "4", "--out", dir.resolve("both").toString());
    assertEquals(Main.USAGE, both.code());
    assertTrue(both.err().contains("leave out the architecture options"), both.err());
  }

  @Test
  void aKilledProcessResumesFromItsLastCheckpointToTheSameBits() throws Exception {
    Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
    String[] settings = Cli.with(Cli.with(new String[] {"train"}, Cli.TINY), "--epochs", "150", "--evaluate-every", "50",
        "--checkpoint-every", "3", "--seed", "5");
    Process p = new ProcessBuilder(Cli.inNewJvm(java.util.List.of(), Cli.with(settings, "--out", killed.toString()))).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile())
        .start();
    Path checkpoint = killed.resolve(Checkpoint.FILE_NAME);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
    p.destroyForcibly();  // SIGKILL: no shutdown hook, no final checkpoint
    p.waitFor();
    assertTrue(Files.exists(checkpoint), "the run wrote a checkpoint before it was killed");
    int at = Checkpoint.load(killed).snapshot().nextEpoch();
    assertTrue(at < 150, "killed before the end (at epoch " + at + ")");
    assertFalse(Files.exists(killed.resolve("optimizer.json")));

    Cli r = Cli.run("train", "--resume", killed.toString(), "--progress", "none");
    assertEquals(0, r.code(), r.toString());
    Cli w = Cli.run(Cli.with(settings, "--out", whole.toString()));
    assertEquals(0, w.code(), w.toString());
    Checkpoint x = Checkpoint.load(whole), y = Checkpoint.load(killed);
    assertEquals(150, y.snapshot().nextEpoch());
    assertSameBits(x.snapshot().phi(), y.snapshot().phi());
    assertSameBits(x.snapshot().best(), y.snapshot().best());
    assertSameBits(x.snapshot().metaOptState(), y.snapshot().metaOptState());
    assertSameBits(OptimizerFile.load(whole.resolve("optimizer.json")).phi(),
        OptimizerFile.load(killed.resolve("optimizer.json")).phi());
  }

  @Test
  void trainWritesTheOptimizerTheCheckpointAndTheHistory() throws Exception {
    Path out = dir.resolve("run");
    Cli r = Cli.run(Cli.with(Cli.train(), "--epochs", "3", "--evaluate-every", "1", "--out", out.toString(),
        "--seed", "1"));
    assertEquals(0, r.code(), r.toString());
    for (String f : new String[] {"checkpoint.json", "optimizer.json", "optimizer-last.json", "training.csv", "training.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    OptimizerFile f = OptimizerFile.load(out.resolve("optimizer.json"));
    assertEquals("quadratic:batch=8,dim=5", f.training().problem());
    assertEquals(20, f.training().horizon());
    assertEquals(5, f.training().unroll());
    assertEquals(3, f.training().epochs());
    assertEquals(1, f.training().seed());
    assertTrue(Double.isFinite(f.training().validationLoss()));
    assertEquals(4, Files.readAllLines(out.resolve("training.csv")).size());
    Cli again = Cli.run(Cli.with(Cli.train(), "--epochs", "3", "--out", out.toString()));
    assertEquals(Main.USAGE, again.code(), again.toString());
    assertTrue(again.err().contains("already holds a run") && again.err().contains("--resume"), again.err());
    Cli extend = Cli.run("train", "--resume", out.toString(), "--epochs", "4", "--progress", "none");
    assertEquals(0, extend.code(), extend.toString());
    assertEquals(4, Checkpoint.load(out).snapshot().nextEpoch());
    Cli changed = Cli.run("train", "--resume", out.toString(), "--horizon", "10");
    assertEquals(Main.USAGE, changed.code(), changed.toString());
    assertTrue(changed.err().contains("--horizon cannot be changed when resuming"), changed.err());
  }

  @Test
  void aRunValidatedOnAnotherProblemRecordsItInItsFilesAndKeepsItWhenResumed() throws Exception {
    Path out = dir.resolve("validated");
    String other = "quadratic-gaussian:batch=8,dim=3";
    Cli r = Cli.run(Cli.with(Cli.train(), "--epochs", "2", "--evaluate-every", "1", "--validate-on", other, "--out",
        out.toString()));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("selecting φ on"), r.out());
    assertEquals(other, OptimizerFile.load(out.resolve("optimizer.json")).training().validationProblem());
    Cli changed = Cli.run("train", "--resume", out.toString(), "--validate-on", "quadratic");
    assertEquals(Main.USAGE, changed.code(), changed.toString());
    assertTrue(changed.err().contains("--validate-on cannot be changed when resuming"), changed.err());
    Cli extend = Cli.run("train", "--resume", out.toString(), "--epochs", "3", "--progress", "none");
    assertEquals(0, extend.code(), extend.toString());
    assertEquals(other, Checkpoint.load(out).settings().validationProblem());
  }

  @Test
  void float32TrainingIsStoredInItsFilesAndResumesToTheSameBits() throws Exception {
    Path whole = dir.resolve("whole32"), cut = dir.resolve("cut32");
    String[] settings = Cli.with(Cli.train(), "--epochs", "4", "--evaluate-every", "2", "--checkpoint-every", "2",
        "--precision", "float32", "--seed", "2");
    Cli a = Cli.run(Cli.with(settings, "--out", whole.toString()));
    assertEquals(0, a.code(), a.toString());
    assertTrue(a.out().contains("float32 precision"), a.out());
    assertEquals(l2l.optimizers.learned.Precision.FLOAT32, Checkpoint.load(whole).settings().task().precision());
    assertEquals("float32", OptimizerFile.load(whole.resolve("optimizer.json")).training().precision());
    assertTrue(Files.readString(whole.resolve("checkpoint.json")).contains("\"precision\": \"float32\""));

    Cli b = Cli.run(Cli.with(settings, "--out", cut.toString(), "--stop-after", "2"));
    assertEquals(0, b.code(), b.toString());
    Cli changed = Cli.run("train", "--resume", cut.toString(), "--precision", "double");
    assertEquals(Main.USAGE, changed.code(), changed.toString());
    assertTrue(changed.err().contains("--precision cannot be changed when resuming"), changed.err());
    Cli c = Cli.run("train", "--resume", cut.toString(), "--progress", "none");
    assertEquals(0, c.code(), c.toString());
    assertSameBits(Checkpoint.load(whole).snapshot().phi(), Checkpoint.load(cut).snapshot().phi());

    Cli bad = Cli.run(Cli.with(Cli.train(), "--precision", "half", "--out", dir.resolve("bad").toString()));
    assertEquals(Main.USAGE, bad.code(), bad.toString());
    assertTrue(bad.err().contains("--precision must be double or float32, got 'half'"), bad.err());
  }
}
