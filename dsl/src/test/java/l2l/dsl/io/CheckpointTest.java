package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import l2l.dsl.MetaGradient;
import l2l.dsl.MetaObjective;
import l2l.dsl.MetaTraining;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.problems.Quadratic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: every bit of a snapshot survives, and resuming from a loaded one ends where the whole run ends. */
class CheckpointTest {
  @TempDir
  Path dir;

  static final LstmConfig ARCH = LstmConfig.quadratic().withHidden(5, 4);
  static final TrainSettings SETTINGS = new TrainSettings("quadratic:batch=8,dim=5", ARCH, 20, 5, MetaGradient.FIRST_ORDER,
      "adam:lr=0.01", 6, 2, 3, 10, 7, 2);

  static MetaObjective meta() {
    return new MetaObjective(CoordinatewiseLstm.of(ARCH), new Quadratic(8, 5, 0.01, Quadratic.Distribution.UNIFORM), 20, 5,
        MetaGradient.FIRST_ORDER, 7);
  }

  @Test
  void aLoadedCheckpointHoldsTheSameSnapshotAndResumesToTheSameBits() {
    MetaTraining.Snapshot whole = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.plan(), MetaTraining.Listener.none());
    ArrayList<MetaTraining.Snapshot> seen = new ArrayList<>();
    MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(3).plan(), (r, s) -> seen.add(s));
    MetaTraining.Snapshot cut = seen.get(seen.size() - 1);
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    new Checkpoint(SETTINGS, cut, "2025-01-01T00:00:00Z").save(file);
    Checkpoint back = Checkpoint.load(dir);
    assertEquals(SETTINGS, back.settings());
    MetaTraining.Snapshot s = back.snapshot();
    assertEquals(cut.nextEpoch(), s.nextEpoch());
    Files4Test.assertSameBits(cut.phi(), s.phi());
    Files4Test.assertSameBits(cut.best(), s.best());
    Files4Test.assertSameBits(cut.metaOptState(), s.metaOptState());
    assertEquals(cut.metaOptState().toString(), s.metaOptState().toString(), "empty subtrees are kept");
    assertEquals(cut.bestEvaluation(), s.bestEvaluation());
    assertEquals(cut.bestEpoch(), s.bestEpoch());
    assertEquals(cut.history(), s.history());
    assertEquals(cut.nonFiniteInARow(), s.nonFiniteInARow());
    MetaTraining.Snapshot resumed = MetaTraining.resume(meta(), Optimizers.adam(0.01), SETTINGS.plan(),
        MetaTraining.Listener.none(), s);
    Files4Test.assertSameBits(whole.phi(), resumed.phi());
    Files4Test.assertSameBits(whole.best(), resumed.best());
    Files4Test.assertSameBits(whole.metaOptState(), resumed.metaOptState());
  }

  @Test
  void aDamagedCheckpointIsRefusedWithOneLineNamingTheFile() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(1).plan(),
        MetaTraining.Listener.none());
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    new Checkpoint(SETTINGS, s, "2025-01-01T00:00:00Z").save(file);
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    String text = new String(all, StandardCharsets.UTF_8).replaceFirst("\"next_epoch\": 1", "\"next_epoch\": 2");
    Files.writeString(file, text);
    e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    Files4Test.small(1).save(file);
    e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir));
    assertTrue(e.getMessage().contains("'l2l-learned-optimizer' file"), e.getMessage());
  }

  @Test
  void aCheckpointWithoutAPrecisionIsDoubleAndFloat32SurvivesTheRoundTrip() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(1).plan(),
        MetaTraining.Listener.none());
    TrainSettings single = new TrainSettings(SETTINGS.problem(), ARCH, 20, 5, MetaGradient.FIRST_ORDER, "adam:lr=0.01",
        6, 2, 3, 10, 7, 2, l2l.optimizers.learned.StepLoss.LINEAR, l2l.optimizers.learned.Precision.FLOAT32);
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    new Checkpoint(single, s, "2025-01-01T00:00:00Z").save(file);
    assertEquals(single, Checkpoint.load(dir).settings());

    com.google.gson.JsonObject o = new Checkpoint(SETTINGS, s, "2025-01-01T00:00:00Z").toJson();
    o.getAsJsonObject("settings").remove("precision");
    o.remove("sha256");
    o.addProperty("sha256", OptimizerFile.checksum(o));
    Files.writeString(file, Json.pretty(o));
    assertEquals(l2l.optimizers.learned.Precision.DOUBLE, Checkpoint.load(dir).settings().precision());
  }
}
