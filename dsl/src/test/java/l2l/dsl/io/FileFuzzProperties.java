package l2l.dsl.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import l2l.dsl.MetaTraining;
import l2l.optimizers.Optimizers;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated malformed optimizer files and checkpoints — truncated, with flipped bytes, or with any
 * field removed, duplicated or replaced by another value (wrong types, dimensions, counts and
 * versions, huge claims) and the checksum made right again, so the checks behind it are reached —
 * either load or are refused with the documented exception ({@link OptimizerFileException},
 * {@link CheckpointException}) whose one line names the file; never another exception, never an
 * internal error, never a hang (each load within 10 s).
 */
class FileFuzzProperties {
  private enum Kind { OPTIMIZER, CHECKPOINT }

  private static Path dir;
  private static JsonObject optimizer, checkpoint;
  private static byte[] checkpointBytes;
  private static List<List<Object>> optimizerNodes, checkpointNodes;

  /** Values a field may be replaced with: every JSON type, edges of int and long, huge and impossible sizes. */
  private static final JsonElement[] VALUES = {new JsonPrimitive(0), new JsonPrimitive(-1), new JsonPrimitive(1),
      new JsonPrimitive(2), new JsonPrimitive(3), new JsonPrimitive(Integer.MAX_VALUE), new JsonPrimitive(2147483648L),
      new JsonPrimitive(2_000_000_000), new JsonPrimitive(Long.MAX_VALUE), new JsonPrimitive(1e308),
      new JsonPrimitive(new LazilyParsedNumber("1e400")), new JsonPrimitive(new LazilyParsedNumber("123456789012345678901234567890")),
      new JsonPrimitive(1.5), new JsonPrimitive(-0.0), new JsonPrimitive(Double.MIN_VALUE), new JsonPrimitive("NaN"),
      new JsonPrimitive("Infinity"), new JsonPrimitive(""), new JsonPrimitive("x/y"), new JsonPrimitive("first-order"),
      new JsonPrimitive("l2l-checkpoint"), new JsonPrimitive("l2l-learned-optimizer"), new JsonPrimitive("AAAA"),
      new JsonPrimitive(true), JsonNull.INSTANCE, new JsonArray(), new JsonObject(), array(2_000_000_000, 20),
      array(2_000_000_000, 2_000_000_000), array(0), array(1, 2, 3), array(-1, 5), JsonParser.parseString("[[1]]"),
      JsonParser.parseString("{\"kind\": \"normal\"}"), JsonParser.parseString("[{\"path\": \"a\", \"empty\": true}]")};

  private static JsonArray array(long... xs) {
    JsonArray a = new JsonArray();
    for (long x : xs) a.add(x);
    return a;
  }

  @BeforeContainer
  static void save() throws IOException {
    dir = Files.createTempDirectory("l2l-fuzz");
    optimizer = Files4Test.small(5).toJson();
    MetaTraining.Snapshot s = MetaTraining.run(CheckpointTest.meta(), Optimizers.adam(0.01),
        CheckpointTest.SETTINGS.withEpochs(3).plan());
    checkpoint = new Checkpoint(CheckpointTest.SETTINGS, s, "2025-01-01T00:00:00Z").toJson();
    checkpointBytes = Json.pretty(checkpoint).getBytes(StandardCharsets.UTF_8);
    optimizerNodes = nodes(optimizer);
    checkpointNodes = nodes(checkpoint);
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  /** The paths (keys and indices) of every node but the elements of long arrays beyond their first and last. */
  private static List<List<Object>> nodes(JsonElement root) {
    List<List<Object>> out = new ArrayList<>();
    collect(root, new ArrayList<>(), out);
    return out;
  }

  private static void collect(JsonElement e, List<Object> path, List<List<Object>> out) {
    if (!path.isEmpty()) out.add(List.copyOf(path));
    if (e.isJsonObject()) {
      for (String k : e.getAsJsonObject().keySet()) {
        path.add(k);
        collect(e.getAsJsonObject().get(k), path, out);
        path.remove(path.size() - 1);
      }
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      for (int i = 0; i < a.size(); i++) {
        if (a.size() > 8 && i > 0 && i < a.size() - 1) continue;
        path.add(i);
        collect(a.get(i), path, out);
        path.remove(path.size() - 1);
      }
    }
  }

  /** The document with the node at {@code path} removed, duplicated or replaced ({@code op}), optionally re-signed. */
  private static JsonObject mutated(JsonObject original, List<Object> path, int op, int value, boolean resign) {
    JsonObject doc = original.deepCopy();
    JsonElement parent = doc;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof String k ? parent.getAsJsonObject().get(k) : parent.getAsJsonArray().get((Integer) step);
    }
    Object last = path.get(path.size() - 1);
    JsonElement v = VALUES[value % VALUES.length].deepCopy();
    if (parent.isJsonObject()) {
      JsonObject o = parent.getAsJsonObject();
      if (op == 0) o.remove((String) last);
      else o.add((String) last, v);
    } else {
      JsonArray a = parent.getAsJsonArray();
      int i = (Integer) last;
      if (op == 0) a.remove(i);
      else if (op == 1) a.add(a.get(i).deepCopy());
      else a.set(i, v);
    }
    if (resign) {
      doc.remove("sha256");
      doc.addProperty("sha256", OptimizerFile.checksum(doc));
    }
    return doc;
  }

  /** Loads the bytes as a file of this kind: it loads or is refused with its documented exception, on one line, in time. */
  private static void loadsOrIsRefusedNamingTheFile(Kind kind, byte[] bytes) throws IOException {
    Path p = dir.resolve(kind == Kind.OPTIMIZER ? "optimizer.json" : "checkpoint.json");
    Files.write(p, bytes);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try {
        if (kind == Kind.OPTIMIZER) OptimizerFile.load(p);
        else Checkpoint.load(p);
      } catch (OptimizerFileException | CheckpointException e) {
        assertTrue(kind == Kind.OPTIMIZER ? e instanceof OptimizerFileException : e instanceof CheckpointException, e.toString());
        String m = e.getMessage();
        assertTrue(m.startsWith((kind == Kind.OPTIMIZER ? "optimizer file " : "checkpoint ") + p + ": "), m);
        assertFalse(m.contains("\n") || m.contains("internal error"), m);
        assertFalse(m.contains("Exception") || m.contains("JsonReader") || m.contains("Strictness"), "a parser's words: " + m);
      }
    }, () -> kind + " file of " + bytes.length + " bytes took over 10 s to load or refuse");
  }

  @Example
  void filesClaimingALayerTooWideToExistAreRefusedNamingTheField() throws IOException {
    for (Kind kind : Kind.values()) {
      JsonObject doc = (kind == Kind.OPTIMIZER ? optimizer : checkpoint).deepCopy();
      JsonObject architecture = kind == Kind.OPTIMIZER ? doc.getAsJsonObject("architecture")
          : doc.getAsJsonObject("settings").getAsJsonObject("architecture");
      architecture.getAsJsonArray("hidden").set(0, new JsonPrimitive(2_000_000_000));
      doc.addProperty("sha256", OptimizerFile.checksum(doc));
      Path p = dir.resolve("wide.json");
      Files.writeString(p, Json.pretty(doc));
      L2lFileException e = org.junit.jupiter.api.Assertions.assertThrows(L2lFileException.class,
          () -> { if (kind == Kind.OPTIMIZER) OptimizerFile.load(p); else Checkpoint.load(p); });
      assertTrue(e.getMessage().contains("architecture.hidden[0]' is 2000000000"), e.getMessage());
    }
  }

  @Property(tries = 250)
  void anOptimizerFileWithAnyFieldRemovedDuplicatedOrReplacedLoadsOrIsRefused(
      @ForAll @IntRange(min = 0, max = 100_000) int node, @ForAll @IntRange(min = 0, max = 2) int op,
      @ForAll @IntRange(min = 0, max = 1000) int value, @ForAll @IntRange(min = 0, max = 4) int unsigned)
      throws IOException {
    JsonObject doc = mutated(optimizer, optimizerNodes.get(node % optimizerNodes.size()), op, value, unsigned > 0);
    loadsOrIsRefusedNamingTheFile(Kind.OPTIMIZER, Json.pretty(doc).getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 250)
  void aCheckpointWithAnyFieldRemovedDuplicatedOrReplacedLoadsOrIsRefused(
      @ForAll @IntRange(min = 0, max = 100_000) int node, @ForAll @IntRange(min = 0, max = 2) int op,
      @ForAll @IntRange(min = 0, max = 1000) int value, @ForAll @IntRange(min = 0, max = 4) int unsigned)
      throws IOException {
    JsonObject doc = mutated(checkpoint, checkpointNodes.get(node % checkpointNodes.size()), op, value, unsigned > 0);
    loadsOrIsRefusedNamingTheFile(Kind.CHECKPOINT, Json.pretty(doc).getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 150)
  void aCheckpointTruncatedAtAnyByteIsRefused(@ForAll @IntRange(min = 0, max = 10_000_000) int at) throws IOException {
    loadsOrIsRefusedNamingTheFile(Kind.CHECKPOINT, Arrays.copyOf(checkpointBytes, at % checkpointBytes.length));
  }

  @Property(tries = 200)
  void aCheckpointWithFlippedBytesLoadsOrIsRefused(
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000_000) Integer> at,
      @ForAll @IntRange(min = 1, max = 255) int mask) throws IOException {
    byte[] b = checkpointBytes.clone();
    for (int i : at) b[i % b.length] ^= (byte) mask;
    loadsOrIsRefusedNamingTheFile(Kind.CHECKPOINT, b);
  }
}
