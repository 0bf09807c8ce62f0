package l2l.dsl.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vavr.collection.Map;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.dsl.MetaTask;
import l2l.optimizers.Optimizer;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;

/**
 * A trained learned optimizer as one documented, versioned UTF-8 JSON file: its architecture
 * (every {@link LstmConfig} field), its parameters φ (each entry with its path, shape and exact
 * values), how it was trained, and a SHA-256 checksum of all of that. See dsl/README.md for the
 * format. {@link #save} writes atomically; {@link #load} checks the format, the version, the
 * checksum, every shape against the architecture and that every value is finite, and refuses
 * anything else with an {@link OptimizerFileException} whose one-line message names the file and
 * what is wrong.
 *
 * @param architecture the coordinatewise LSTM's configuration
 * @param phi its parameters (the structure {@code CoordinatewiseLstm.of(architecture).init(·)} has)
 * @param training how φ was obtained
 */
public record OptimizerFile(LstmConfig architecture, Tree phi, Training training) {
  /** The value of the file's {@code format} field. */
  public static final String FORMAT = "l2l-learned-optimizer";
  /**
   * The format version this l2l writes and the newest it reads. Version 2 added the architecture's
   * head and the stateful preprocessings (RNNprop, momenta), version 3 its base step; files of
   * versions 1 and 2 still load.
   */
  public static final int VERSION = 3;
  /** What the file's {@code about} field says. */
  static final String ABOUT = "A learned optimizer trained with l2l (learning to learn by gradient descent by gradient"
      + " descent). Format documented in dsl/README.md of l2l; sha256 is the SHA-256 of the compact JSON of this object"
      + " without the sha256 member.";

  /**
   * How the optimizer was trained.
   *
   * @param problem the problem spec it was trained on, as given to {@code Problems.parse}
   * @param problemName the problem's full name with its settings
   * @param horizon optimizee steps per epoch
   * @param unroll optimizee steps per truncation
   * @param metaGradient "first-order" or "second-order"
   * @param metaOptimizer the meta-optimizer (its spec and description)
   * @param epochs epochs trained
   * @param seed the meta-training seed (φ₀, training and validation tasks)
   * @param selectedAfterEpochs φ is the one after this many epochs (the one kept by held-out validation, or the last)
   * @param validationLoss its mean final loss on the held-out validation tasks (NaN if it was not evaluated)
   * @param validationTasks how many held-out tasks that was
   * @param date when the file was made (ISO-8601, UTC)
   * @param l2lVersion the l2l version that made it
   * @param stepLoss "linear" or "log"
   * @param precision the precision of meta-training's LSTM arithmetic, "double" or "float32"
   * @param validationProblem the spec of the problem whose held-out tasks selected φ (the training problem's unless
   *     the run validated on another)
   */
  public record Training(String problem, String problemName, int horizon, int unroll, String metaGradient,
      String metaOptimizer, int epochs, long seed, int selectedAfterEpochs, double validationLoss, int validationTasks,
      String date, String l2lVersion, String stepLoss, String precision, String validationProblem) {
    /** Training settings selected on the training problem. */
    public Training(String problem, String problemName, int horizon, int unroll, String metaGradient,
        String metaOptimizer, int epochs, long seed, int selectedAfterEpochs, double validationLoss, int validationTasks,
        String date, String l2lVersion, String stepLoss, String precision) {
      this(problem, problemName, horizon, unroll, metaGradient, metaOptimizer, epochs, seed, selectedAfterEpochs,
          validationLoss, validationTasks, date, l2lVersion, stepLoss, precision, problem);
    }

    /** Training settings with the paper's linear meta-loss. */
    public Training(String problem, String problemName, int horizon, int unroll, String metaGradient,
        String metaOptimizer, int epochs, long seed, int selectedAfterEpochs, double validationLoss, int validationTasks,
        String date, String l2lVersion) {
      this(problem, problemName, horizon, unroll, metaGradient, metaOptimizer, epochs, seed, selectedAfterEpochs,
          validationLoss, validationTasks, date, l2lVersion, "linear");
    }

    /** Training settings in double precision. */
    public Training(String problem, String problemName, int horizon, int unroll, String metaGradient,
        String metaOptimizer, int epochs, long seed, int selectedAfterEpochs, double validationLoss, int validationTasks,
        String date, String l2lVersion, String stepLoss) {
      this(problem, problemName, horizon, unroll, metaGradient, metaOptimizer, epochs, seed, selectedAfterEpochs,
          validationLoss, validationTasks, date, l2lVersion, stepLoss, "double");
    }

    /** Checks that the strings are present. */
    public Training {
      Objects.requireNonNull(stepLoss, "stepLoss");
      Objects.requireNonNull(precision, "precision");
      Objects.requireNonNull(validationProblem, "validationProblem");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(problemName, "problemName");
      Objects.requireNonNull(metaGradient, "metaGradient");
      Objects.requireNonNull(metaOptimizer, "metaOptimizer");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(l2lVersion, "l2lVersion");
    }

    /**
     * How a run with these settings produced φ: after {@code after} epochs, with this held-out loss
     * (NaN if not evaluated); {@code by} names the meta-optimizer.
     */
    public static Training of(TrainSettings s, String by, int epochs, int after, double validation) {
      MetaTask t = s.task();
      return new Training(s.problem(), t.problem().name(), t.horizon(), t.unroll(), t.metaGradient().label(), by, epochs,
          t.seed(), after, validation, s.plan().evaluationTasks(), now(), Version.l2l(), t.stepLoss().label(),
          t.precision().label(), s.validationProblem());
    }

    /** The current time, to the second, as ISO-8601 UTC. */
    public static String now() {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("problem", problem);
      o.addProperty("problem_name", problemName);
      o.addProperty("horizon", horizon);
      o.addProperty("unroll", unroll);
      o.addProperty("meta_gradient", metaGradient);
      o.addProperty("meta_optimizer", metaOptimizer);
      o.addProperty("epochs", epochs);
      o.addProperty("seed", seed);
      o.addProperty("selected_after_epochs", selectedAfterEpochs);
      o.add("validation_loss", Json.finiteOrNull(validationLoss));
      o.addProperty("validation_tasks", validationTasks);
      if (!validationProblem.equals(problem)) o.addProperty("validation_problem", validationProblem);
      o.addProperty("date", date);
      o.addProperty("l2l_version", l2lVersion);
      o.addProperty("step_loss", stepLoss);
      o.addProperty("precision", precision);
      return o;
    }

    static Training fromJson(JsonObject o, String w) {
      JsonElement v = o.get("validation_loss");
      if (v == null) throw new Json.Bad("has no field '" + w + ".validation_loss'");
      double validation = v.isJsonNull() ? Double.NaN : Json.real(v, "field '" + w + ".validation_loss'");
      return new Training(Json.string(o, w, "problem"), Json.string(o, w, "problem_name"), Json.integer(o, w, "horizon"),
          Json.integer(o, w, "unroll"), Json.string(o, w, "meta_gradient"), Json.string(o, w, "meta_optimizer"),
          Json.integer(o, w, "epochs"), Json.longValue(o, w, "seed"), Json.integer(o, w, "selected_after_epochs"), validation,
          Json.integer(o, w, "validation_tasks"), Json.string(o, w, "date"), Json.string(o, w, "l2l_version"),
          o.has("step_loss") ? Json.string(o, w, "step_loss") : "linear",
          o.has("precision") ? Json.string(o, w, "precision") : "double",
          o.has("validation_problem") ? Json.string(o, w, "validation_problem") : Json.string(o, w, "problem"));
    }
  }

  /** Checks that φ fits the architecture and is finite. */
  public OptimizerFile {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(phi, "phi");
    Objects.requireNonNull(training, "training");
    String wrong = shapeProblem(architecture, phi);
    if (wrong != null) throw new IllegalArgumentException("φ does not fit " + architecture.describe() + ": " + wrong);
    String nonFinite = nonFinite(phi);
    if (nonFinite != null) throw new IllegalArgumentException("φ is not finite: " + nonFinite);
  }

  /** The learned optimizer of this architecture. */
  public CoordinatewiseLstm learned() {
    return CoordinatewiseLstm.of(architecture);
  }

  /** The optimizer g(φ), ready to use. */
  public Optimizer optimizer() {
    return learned().apply(phi);
  }

  // ------------------------------------------------------------------ writing

  /** The file's JSON (with its checksum). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("version", VERSION);
    o.addProperty("about", ABOUT);
    o.add("architecture", ArchitectureJson.write(architecture));
    o.add("training", training.toJson());
    o.add("phi", TreeJson.write(phi, TreeJson.Values.NUMBERS));
    o.addProperty("sha256", checksum(o));
    return o;
  }

  /** The SHA-256 that a document's {@code sha256} member must hold: of its compact JSON without that member. */
  static String checksum(JsonObject document) {
    JsonObject content = document.deepCopy();
    content.remove("sha256");
    return Json.sha256(Json.compact(content));
  }

  /**
   * Writes the file atomically (a temporary file in the same folder, synced, then renamed over
   * {@code file}); if writing fails the old file is left intact.
   *
   * @throws OptimizerFileException if the file cannot be written
   */
  public void save(Path file) {
    String text = Json.pretty(toJson());
    try {
      AtomicFiles.writeString(file, text);
    } catch (UncheckedIOException e) {
      throw new OptimizerFileException(file, "cannot be written: " + e.getCause().getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads and checks a file.
   *
   * @throws OptimizerFileException naming the file and what is wrong: missing, not UTF-8, not
   *     JSON, truncated, another format, an unknown (e.g. newer) version, a checksum mismatch, an
   *     impossible architecture, a φ entry missing, extra or of the wrong shape, a non-finite value
   */
  public static OptimizerFile load(Path file) {
    return parse(file, null);
  }

  /**
   * As {@link #load}, of bytes read elsewhere (e.g. a resource in a jar); {@code source} names them
   * in errors.
   *
   * @throws OptimizerFileException naming {@code source} and what is wrong, as {@link #load}
   */
  public static OptimizerFile read(Path source, byte[] bytes) {
    return parse(source, Objects.requireNonNull(bytes, "bytes"));
  }

  /** Reads the bytes (from {@code source} when null) and checks them. */
  private static OptimizerFile parse(Path source, byte[] bytes) {
    try {
      return fromJson(Json.parseObject(bytes != null ? bytes : Json.readBytes(source),
          "an l2l learned-optimizer file (JSON)"));
    } catch (Json.Bad e) {
      throw new OptimizerFileException(source, e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new OptimizerFileException(source, "internal error while reading it: " + e, e);
    }
  }

  /** The optimizer file of a parsed document (checks as {@link #load}); problems are {@link Json.Bad}. */
  static OptimizerFile fromJson(JsonObject o) {
    checkFormatAndVersion(o, FORMAT, 1, VERSION, "an l2l learned-optimizer file");
    String stored = Json.string(o, "", "sha256");
    String actual = checksum(o);
    if (!stored.equals(actual)) {
      throw new Json.Bad("checksum mismatch: the content's SHA-256 is " + abbreviate(actual) + " but the file says "
          + abbreviate(stored) + " (the file was changed or damaged)");
    }
    LstmConfig architecture = ArchitectureJson.read(Json.object(o, "", "architecture"), "architecture");
    Training training = Training.fromJson(Json.object(o, "", "training"), "training");
    Tree phi = TreeJson.read(Json.member(o, "", "phi"), "phi");
    String wrong = shapeProblem(architecture, phi);
    if (wrong != null) throw new Json.Bad(wrong);
    Tree ordered = CoordinatewiseLstm.of(architecture).init(0).mapWithPath((p, t) -> phi.tensor(p));
    String nonFinite = nonFinite(ordered);
    if (nonFinite != null) throw new Json.Bad(nonFinite);
    return new OptimizerFile(architecture, ordered, training);
  }

  /** Checks the {@code format} and {@code version} members of an l2l file (versions oldest … newest are read). */
  static void checkFormatAndVersion(JsonObject o, String format, int oldest, int version, String what) {
    JsonElement f = o.get("format");
    if (f == null || !f.isJsonPrimitive() || !f.getAsJsonPrimitive().isString()) {
      throw new Json.Bad("has no 'format' field naming what it is: not " + what + " (format '" + format + "')");
    }
    if (!f.getAsString().equals(format)) {
      throw new Json.Bad("is a '" + f.getAsString() + "' file, not " + what + " (format '" + format + "')");
    }
    int v = Json.integer(o, "", "version");
    if (v > version) {
      throw new Json.Bad("has format version " + v + ", newer than this l2l reads (version " + version
          + "); use a newer l2l");
    }
    if (v < oldest) {
      throw new Json.Bad("has format version " + v + ", which this l2l does not know (it reads versions " + oldest
          + " to " + version + ")");
    }
  }

  private static String abbreviate(String hex) {
    return hex.length() > 12 ? hex.substring(0, 12) + "…" : hex;
  }

  /**
   * What is wrong with φ's structure for the architecture, or null: missing, extra or misshapen
   * entries. Compares shapes without building the architecture, so a file claiming a huge one
   * costs nothing.
   */
  static String shapeProblem(LstmConfig architecture, Tree phi) {
    java.util.Map<String, String> want = shapes(architecture);
    Map<String, Tensor> have = phi.toMap();
    for (var e : want.entrySet()) {
      if (!have.containsKey(e.getKey())) {
        return "phi has no entry '" + e.getKey() + "' (shape " + e.getValue() + "), which the architecture needs";
      }
      Tensor h = have.get(e.getKey()).get();
      if (!h.shape().equals(e.getValue())) {
        return "phi entry '" + e.getKey() + "' has shape " + h.shape() + " but the architecture needs " + e.getValue();
      }
    }
    for (var e : have) {
      if (!want.containsKey(e._1)) {
        return "phi has an entry '" + e._1 + "' (shape " + e._2.shape() + ") that the architecture does not have"
            + " (it has " + String.join(", ", want.keySet()) + ")";
      }
    }
    return null;
  }

  /**
   * φ's entries for an architecture, in order, with their shapes ("rows×cols"), as
   * {@code CoordinatewiseLstm.init} makes them: {@code lstmL/w} ((in + h)×4h), {@code lstmL/b}
   * (1×4h), {@code out/w} (width×1), {@code out/b} (1×1).
   */
  static java.util.Map<String, String> shapes(LstmConfig c) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int l = 0; l < c.hidden().size(); l++) {
      long in = c.inputWidth(l), h = c.hidden().get(l);
      m.put("lstm" + l + "/w", (in + h) + "×" + 4 * h);
      m.put("lstm" + l + "/b", "1×" + 4 * h);
    }
    m.put("out/w", c.outputInputWidth() + "×1");
    m.put("out/b", "1×1");
    return m;
  }

  /** The first non-finite value of φ, described, or null. */
  static String nonFinite(Tree phi) {
    for (var e : phi.toMap()) {
      double[] v = e._2.toArray();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) {
          return "phi entry '" + e._1 + "' holds a non-finite value (" + v[i] + " at index " + i + ")";
        }
      }
    }
    return null;
  }
}
