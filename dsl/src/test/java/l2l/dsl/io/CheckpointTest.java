package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import l2l.optimizers.learned.MetaGradient;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: every bit of a snapshot survives, and resuming from a loaded one ends where the whole run ends. */
class CheckpointTest {
  @TempDir
  Path dir;

  static final LstmConfig ARCH = LstmConfig.quadratic().withHidden(5, 4);
  static final TrainSettings SETTINGS = new TrainSettings(new MetaTask(CoordinatewiseLstm.of(ARCH),
      Problems.parse("quadratic:batch=8,dim=5"), 20, 5, MetaGradient.FIRST_ORDER, StepLoss.LINEAR, Precision.DOUBLE, 7),
      new MetaTraining.Plan(6, 2, 3, 10), "adam:lr=0.01", 2);

  static MetaTask meta() {
    return SETTINGS.task();
  }

  @Test
  void aLoadedCheckpointHoldsTheSameSnapshotAndResumesToTheSameBits() {
    MetaTraining.Snapshot whole = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.plan());
    MetaTraining.Snapshot cut = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(3).plan());
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
    MetaTraining.Snapshot resumed = MetaTraining.resume(meta(), Optimizers.adam(0.01), SETTINGS.plan(), s);
    Files4Test.assertSameBits(whole.phi(), resumed.phi());
    Files4Test.assertSameBits(whole.best(), resumed.best());
    Files4Test.assertSameBits(whole.metaOptState(), resumed.metaOptState());
  }

  @Test
  void aDamagedCheckpointIsRefusedWithOneLineNamingTheFile() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(1).plan());
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
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(1).plan());
    TrainSettings single = new TrainSettings(SETTINGS.task().withPrecision(Precision.FLOAT32), SETTINGS.plan(),
        "adam:lr=0.01", 2);
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    new Checkpoint(single, s, "2025-01-01T00:00:00Z").save(file);
    assertEquals(single, Checkpoint.load(dir).settings());

    com.google.gson.JsonObject o = new Checkpoint(SETTINGS, s, "2025-01-01T00:00:00Z").toJson();
    o.getAsJsonObject("settings").remove("precision");
    o.remove("sha256");
    o.addProperty("sha256", OptimizerFile.checksum(o));
    Files.writeString(file, Json.pretty(o));
    assertEquals(Precision.DOUBLE, Checkpoint.load(dir).settings().task().precision());
  }

  @Test
  void aCheckpointWithoutTheMetaGradientNormReadsItAsNaNAndKeepsTheRest() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(2).plan());
    assertTrue(s.history().forAll(r -> r.metaGradNorm() > 0), "a run records positive norms");
    com.google.gson.JsonObject o = new Checkpoint(SETTINGS, s, "2025-01-01T00:00:00Z").toJson();
    o.getAsJsonObject("snapshot").getAsJsonObject("history").remove("meta_grad_norm");
    o.remove("sha256");
    o.addProperty("sha256", OptimizerFile.checksum(o));
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Files.writeString(file, Json.pretty(o));
    io.vavr.collection.List<MetaTraining.EpochReport> back = Checkpoint.load(dir).snapshot().history();
    assertTrue(back.forAll(r -> Double.isNaN(r.metaGradNorm())));
    assertEquals(s.history().map(MetaTraining.EpochReport::metaLoss), back.map(MetaTraining.EpochReport::metaLoss));
  }

  @Test
  void aValidationProblemSurvivesTheRoundTripAndIsRecordedInTheOptimizerFile() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(2).plan());
    TrainSettings v = new TrainSettings(SETTINGS.task(), SETTINGS.plan().validatingOn(
        Problems.parse("quadratic-gaussian:batch=8,dim=3")), "adam:lr=0.01", 2);
    new Checkpoint(v, s, "2025-01-01T00:00:00Z").save(dir.resolve(Checkpoint.FILE_NAME));
    assertEquals(v, Checkpoint.load(dir).settings());
    assertEquals("quadratic-gaussian:batch=8,dim=3", v.validationProblem());
    assertEquals("quadratic:batch=8,dim=5", SETTINGS.validationProblem(), "without one: the training problem");
    Path f = dir.resolve("o.json");
    new OptimizerFile(ARCH, s.phi(), OptimizerFile.Training.of(v, "adam", 2, 2, 0.5)).save(f);
    assertEquals("quadratic-gaussian:batch=8,dim=3", OptimizerFile.load(f).training().validationProblem());
    new OptimizerFile(ARCH, s.phi(), OptimizerFile.Training.of(SETTINGS, "adam", 2, 2, 0.5)).save(f);
    assertTrue(!Files.readString(f).contains("validation_problem"), "written only when it differs");
    assertEquals("quadratic:batch=8,dim=5", OptimizerFile.load(f).training().validationProblem());
  }

  @Test
  void aCurriculumSurvivesTheRoundTripAndAStageShorterThanTheUnrollIsRefusedNamingIt() throws IOException {
    MetaTraining.Snapshot s = MetaTraining.run(meta(), Optimizers.adam(0.01), SETTINGS.withEpochs(1).plan());
    int unroll = SETTINGS.task().unroll();
    TrainSettings staged = new TrainSettings(SETTINGS.task(), SETTINGS.plan().withCurriculum(io.vavr.collection.List.of(
        new MetaTraining.Stage(unroll, 3), new MetaTraining.Stage(2 * unroll, 7))), "adam:lr=0.01", 2);
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    new Checkpoint(staged, s, "2025-01-01T00:00:00Z").save(file);
    assertEquals(staged, Checkpoint.load(dir).settings());

    com.google.gson.JsonObject o = new Checkpoint(staged, s, "2025-01-01T00:00:00Z").toJson();
    com.google.gson.JsonArray first = o.getAsJsonObject("settings").getAsJsonArray("curriculum").get(0).getAsJsonArray();
    first.set(0, new com.google.gson.JsonPrimitive(unroll - 1));
    o.remove("sha256");
    o.addProperty("sha256", OptimizerFile.checksum(o));
    Files.writeString(file, Json.pretty(o));
    L2lFileException e = assertThrows(L2lFileException.class, () -> Checkpoint.load(dir));
    assertTrue(e.getMessage().contains("must not be longer than the horizon"),
        e.getMessage());
  }
}
