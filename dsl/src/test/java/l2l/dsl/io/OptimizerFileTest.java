package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;
import l2l.autodiff.Tensor;
import l2l.optimizers.learned.Init;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Preprocess;
import io.vavr.collection.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trained-optimizer file: exact round trips, atomic saves, and a clear one-line error for each kind of bad file. */
class OptimizerFileTest {
  @TempDir
  Path dir;

  private OptimizerFileException refused(Path file) {
    OptimizerFileException e = assertThrows(OptimizerFileException.class, () -> OptimizerFile.load(file));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(e.getMessage().contains("internal error"), e.getMessage());
    return e;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  /** A saved small file's JSON, changed by {@code edit}, with its checksum recomputed (so only the edit is wrong). */
  private Path edited(String name, Consumer<JsonObject> edit) throws IOException {
    JsonObject o = Files4Test.small(1).toJson();
    edit.accept(o);
    o.addProperty("sha256", OptimizerFile.checksum(o));
    return write(name, Json.pretty(o).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSavedFileLoadsWithEveryBitOfPhiAndEverySetting() {
    for (LstmConfig c : List.of(LstmConfig.quadratic(), LstmConfig.mnist(), LstmConfig.linear(),
        LstmConfig.quadratic().withHidden(4, 3).withGlobalAveragingCells(2).withInit(Init.normal(0.25)),
        LstmConfig.mnist().withPreprocess(new Preprocess.LogAndSign(10, 1e-9)).withScale(-0.5))) {
      OptimizerFile f = new OptimizerFile(c, Files4Test.phi(c, 3), Files4Test.training());
      Path p = dir.resolve("o.json");
      f.save(p);
      OptimizerFile back = OptimizerFile.load(p);
      assertEquals(c, back.architecture());
      assertEquals(f.training(), back.training());
      Files4Test.assertSameBits(f.phi(), back.phi());
    }
  }

  @Test
  void aFileWithoutValidationLossKeepsItAsNaN() {
    OptimizerFile.Training t = Files4Test.training();
    OptimizerFile f = new OptimizerFile(Files4Test.SMALL, Files4Test.phi(Files4Test.SMALL, 1),
        new OptimizerFile.Training(t.problem(), t.problemName(), t.horizon(), t.unroll(), t.metaGradient(),
            t.metaOptimizer(), t.epochs(), t.seed(), t.selectedAfterEpochs(), Double.NaN, t.validationTasks(), t.date(),
            t.l2lVersion()));
    Path p = dir.resolve("n.json");
    f.save(p);
    assertTrue(Double.isNaN(OptimizerFile.load(p).training().validationLoss()));
  }

  @Test
  void theFileIsDocumentedJsonWithFormatVersionArchitectureTrainingPhiAndChecksum() throws IOException {
    Path p = dir.resolve("o.json");
    Files4Test.small(2).save(p);
    JsonObject o = JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    assertEquals("l2l-learned-optimizer", o.get("format").getAsString());
    assertEquals(3, o.get("version").getAsInt());
    for (String k : new String[] {"about", "architecture", "training", "phi", "sha256"}) assertTrue(o.has(k), k);
    JsonObject first = o.getAsJsonArray("phi").get(0).getAsJsonObject();
    assertEquals("lstm0/w", first.get("path").getAsString());
    assertEquals("[5,12]", first.get("shape").toString());
    assertEquals(60, first.getAsJsonArray("values").size());
  }

  @Test
  void aFailedSaveLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
    Path p = dir.resolve("o.json");
    Files4Test.small(1).save(p);
    byte[] before = Files.readAllBytes(p);
    assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.write(p, temp -> {
      Files.writeString(temp, "{\"partial\": ");
      throw new IOException("disk full (simulated)");
    }));
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(p));
    try (var s = Files.list(dir)) {
      assertEquals(List.of("o.json"), List.ofAll(s.map(x -> x.getFileName().toString()).toList()));
    }
  }

  @Test
  void aMissingFileIsRefused() {
    assertTrue(refused(dir.resolve("nope.json")).problem().contains("no such file"));
  }

  @Test
  void aFolderIsRefused() {
    assertTrue(refused(dir).problem().contains("folder"));
  }

  @Test
  void anEmptyFileIsRefused() throws IOException {
    assertTrue(refused(write("e.json", new byte[0])).problem().contains("empty"));
  }

  @Test
  void aFileThatIsNotJsonIsRefused() throws IOException {
    assertTrue(refused(write("x.json", "hello world".getBytes(StandardCharsets.UTF_8))).problem().contains("not JSON"));
    assertTrue(refused(write("y.json", "{\"a\": 1} trailing".getBytes(StandardCharsets.UTF_8))).problem()
        .contains("not valid JSON"));
    assertTrue(refused(write("z.json", "[1, 2]".getBytes(StandardCharsets.UTF_8))).problem()
        .contains("is JSON but an array, not an object"));
  }

  @Test
  void malformedJsonIsNamedWithItsLineAndColumnAndNoParserHint() throws IOException {
    String[] bad = {"{a: 1}", "{'a': 1}", "{\"a\": NaN}", "{\"a\": 1} // note", "{\"a\": 01}", "{\"a\": tru}",
        "{\"a\": 1,}", "{\"a\" 1}", "{\"a\": \"\\x\"}"};
    for (int i = 0; i < bad.length; i++) {
      String m = refused(write("j" + i + ".json", bad[i].getBytes(StandardCharsets.UTF_8))).problem();
      assertTrue(m.startsWith("is not valid JSON: ") && m.contains("at line 1, column "), bad[i] + ": " + m);
      for (String leak : new String[] {"JsonReader", "Strictness", "gson", "Exception"}) {
        assertFalse(m.contains(leak), bad[i] + ": " + m);
      }
    }
  }

  @Test
  void aLayerTooWideToExistIsRefusedNamingTheFieldInsteadOfOverflowing() throws IOException {
    String m = refused(edited("wide.json", o -> o.getAsJsonObject("architecture").getAsJsonArray("hidden")
        .set(0, new com.google.gson.JsonPrimitive(2_000_000_000)))).problem();
    assertTrue(m.contains("'architecture.hidden[0]' is 2000000000") && m.contains("2000000002×8000000000"), m);
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    assertTrue(refused(write("b.json", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})).problem().contains("UTF-8"));
  }

  @Test
  void aTruncatedFileIsRefusedAsTruncated() throws IOException {
    Path p = dir.resolve("o.json");
    Files4Test.small(1).save(p);
    byte[] all = Files.readAllBytes(p);
    for (int cut : new int[] {1, all.length / 3, all.length / 2, all.length - 3}) {
      byte[] part = java.util.Arrays.copyOf(all, cut);
      assertTrue(refused(write("t" + cut + ".json", part)).problem().contains("truncated"), "cut at " + cut);
    }
  }

  @Test
  void anotherFormatIsRefusedNamingIt() throws IOException {
    assertTrue(refused(edited("c.json", o -> o.addProperty("format", "l2l-checkpoint"))).problem()
        .contains("'l2l-checkpoint' file"));
    assertTrue(refused(write("f.json", "{\"name\": 1}".getBytes(StandardCharsets.UTF_8))).problem()
        .contains("no 'format'"));
    String broken = refused(edited("n.json", o -> o.addProperty("format", "l2l-lea\ned"))).getMessage();
    assertEquals(1, broken.lines().count(), "a newline from the file is escaped: " + broken);
    assertTrue(broken.contains("'l2l-lea\\u000aed' file"), broken);
  }

  @Test
  void aVersionOneFileWithoutAHeadOrBaseLoadsAsTheLinearHeadWithoutBase() throws IOException {
    Path p = dir.resolve("v1.json");
    JsonObject o = Files4Test.small(3).toJson();
    o.addProperty("version", 1);
    o.getAsJsonObject("architecture").remove("head");
    o.getAsJsonObject("architecture").remove("base");
    o.remove("sha256");
    o.addProperty("sha256", OptimizerFile.checksum(o));
    Files.writeString(p, Json.pretty(o));
    OptimizerFile f = OptimizerFile.load(p);
    assertEquals(l2l.optimizers.learned.LstmConfig.Head.LINEAR, f.architecture().head());
    assertTrue(f.architecture().base().isNone());
    assertEquals(Files4Test.small(3).architecture(), f.architecture());
  }

  @Test
  void everyArchitectureSurvivesTheRoundTrip() throws IOException {
    for (l2l.optimizers.learned.LstmConfig c : new l2l.optimizers.learned.LstmConfig[] {
        l2l.optimizers.learned.LstmConfig.rnnprop().withHidden(3),
        l2l.optimizers.learned.LstmConfig.lstmFeatures().withHidden(2, 2),
        l2l.optimizers.learned.LstmConfig.rnnprop().withHidden(2).withBase(
            l2l.optimizers.learned.LstmConfig.Base.nag(0.3, 0.75)),
        l2l.optimizers.learned.LstmConfig.mnist().withHidden(2).withBase(
            l2l.optimizers.learned.LstmConfig.Base.scaledNag(1.5, 0)),
        l2l.optimizers.learned.LstmConfig.rnnprop().withHidden(2).withBase(
            l2l.optimizers.learned.LstmConfig.Base.adam(0.03)),
        l2l.optimizers.learned.LstmConfig.lstmFeatures().withHidden(2).withBase(new l2l.optimizers.learned.LstmConfig.Base(
            l2l.optimizers.learned.LstmConfig.Base.Kind.ADAM, 0.03, 0.9, l2l.optimizers.learned.LstmConfig.Base.Combine.ACCUMULATE))}) {
      var g = l2l.optimizers.learned.CoordinatewiseLstm.of(c);
      OptimizerFile f = new OptimizerFile(c, g.init(1), Files4Test.small(1).training());
      Path p = dir.resolve("a.json");
      f.save(p);
      OptimizerFile back = OptimizerFile.load(p);
      assertEquals(c, back.architecture());
      Files4Test.assertSameBits(f.phi(), back.phi());
    }
  }

  @Test
  void aNewerVersionIsRefusedWithBothNumbers() throws IOException {
    String m = refused(edited("v.json", o -> o.addProperty("version", 7))).problem();
    assertTrue(m.contains("version 7") && m.contains("version 3") && m.contains("newer"), m);
    assertTrue(refused(edited("v0.json", o -> o.addProperty("version", 0))).problem().contains("version 0"));
  }

  @Test
  void aChangedValueIsAChecksumMismatch() throws IOException {
    Path p = dir.resolve("o.json");
    Files4Test.small(1).save(p);
    String text = Files.readString(p);
    JsonObject o = JsonParser.parseString(text).getAsJsonObject();
    o.getAsJsonArray("phi").get(0).getAsJsonObject().getAsJsonArray("values").set(0, new com.google.gson.JsonPrimitive(0.5));
    assertTrue(refused(write("m.json", Json.pretty(o).getBytes(StandardCharsets.UTF_8))).problem()
        .contains("checksum mismatch"));
  }

  @Test
  void aShapeThatDoesNotFitTheArchitectureIsRefusedNamingTheEntryAndBothShapes() throws IOException {
    String m = refused(edited("s.json", o -> o.getAsJsonObject("architecture").getAsJsonArray("hidden")
        .set(0, new com.google.gson.JsonPrimitive(4)))).problem();
    assertTrue(m.contains("'lstm0/w'") && m.contains("5×12") && m.contains("6×16"), m);
    String missing = refused(edited("s2.json", o -> o.getAsJsonArray("phi").remove(1))).problem();
    assertTrue(missing.contains("no entry 'lstm0/b'"), missing);
    String extra = refused(edited("s3.json", o -> {
      JsonObject e = new JsonObject();
      e.addProperty("path", "extra");
      JsonArray shape = new JsonArray();
      shape.add(1);
      shape.add(1);
      e.add("shape", shape);
      JsonArray v = new JsonArray();
      v.add(1.0);
      e.add("values", v);
      o.getAsJsonArray("phi").add(e);
    })).problem();
    assertTrue(extra.contains("'extra'"), extra);
    String count = refused(edited("s4.json", o -> o.getAsJsonArray("phi").get(0).getAsJsonObject().getAsJsonArray("values")
        .remove(0))).problem();
    assertTrue(count.contains("'lstm0/w'") && count.contains("59 values"), count);
  }

  @Test
  void aNonFiniteValueIsRefused() throws IOException {
    String m = refused(edited("nan.json", o -> {
      JsonObject e = o.getAsJsonArray("phi").get(1).getAsJsonObject();
      e.remove("values");
      ByteBuffer b = ByteBuffer.allocate(12 * 8);
      for (int i = 0; i < 12; i++) b.putDouble(i == 3 ? Double.NaN : 0.5);
      e.addProperty("base64", Base64.getEncoder().encodeToString(b.array()));
    })).problem();
    assertTrue(m.contains("non-finite") && m.contains("'lstm0/b'") && m.contains("index 3"), m);
  }

  @Test
  void aMissingOrMistypedFieldIsRefusedNamingIt() throws IOException {
    assertTrue(refused(edited("a.json", o -> o.remove("training"))).problem().contains("'training'"));
    assertTrue(refused(edited("b.json", o -> o.getAsJsonObject("training").addProperty("horizon", "long"))).problem()
        .contains("training.horizon"));
    assertTrue(refused(edited("c.json", o -> o.getAsJsonObject("architecture").addProperty("scale", 0))).problem()
        .contains("scale"));
    assertTrue(refused(edited("d.json", o -> o.getAsJsonObject("architecture").getAsJsonObject("preprocess")
        .addProperty("kind", "magic"))).problem().contains("magic"));
    assertTrue(refused(edited("e.json", o -> o.getAsJsonObject("architecture").getAsJsonObject("base")
        .addProperty("kind", "rmsprop"))).problem().contains("base.kind"));
    String momentum = refused(edited("f.json", o -> {
      JsonObject b = o.getAsJsonObject("architecture").getAsJsonObject("base");
      b.addProperty("kind", "nag");
      b.addProperty("lr", 1.0);
      b.addProperty("momentum", 1.5);
      b.addProperty("combine", "add");
    })).problem();
    assertTrue(momentum.contains("momentum") && momentum.contains("1.5"), momentum);
  }

  @Test
  void aNonFinitePhiCannotBeSaved() {
    LstmConfig c = Files4Test.SMALL;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OptimizerFile(c,
        Files4Test.phi(c, 1).map(t -> t.mul(Tensor.scalar(Double.POSITIVE_INFINITY))), Files4Test.training()));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
  }
}
