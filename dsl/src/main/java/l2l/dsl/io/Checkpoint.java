package l2l.dsl.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vavr.collection.List;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import l2l.autodiff.Tree;
import l2l.dsl.MetaTraining;
import l2l.optimizers.learned.LstmConfig;

/**
 * A meta-training run stopped at an epoch boundary: its full settings and the
 * {@link MetaTraining.Snapshot} (φ, the meta-optimizer's state including the {@code applyIfFinite}
 * wrapper's, the best φ with its evaluation, the history of epochs, the count of non-finite
 * truncations in a row). Trees are stored leaf by leaf with their paths, empty subtrees kept, and
 * values as base64 of big-endian IEEE-754 doubles, so a resumed run continues with exactly the
 * same bits. One JSON file ({@value #FILE_NAME} in the run's folder), written atomically, with a
 * SHA-256 checksum like {@link OptimizerFile}'s.
 *
 * @param settings the run's settings
 * @param snapshot where it stopped
 * @param date when the checkpoint was taken (ISO-8601, UTC)
 */
public record Checkpoint(TrainSettings settings, MetaTraining.Snapshot snapshot, String date) {
  /** The value of the file's {@code format} field. */
  public static final String FORMAT = "l2l-checkpoint";
  /**
   * The format version this l2l writes (3 added {@code settings.meta_batch}, 4 the architecture's
   * base step; 1 and 2 load with one task, all before 4 without a base).
   */
  public static final int VERSION = 4;
  /** The checkpoint's name in a run's folder. */
  public static final String FILE_NAME = "checkpoint.json";

  /** Checks presence. */
  public Checkpoint {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(date, "date");
  }

  /** The checkpoint file of a run's folder (or the file itself if {@code path} is a file). */
  public static Path fileIn(Path path) {
    return Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
  }

  /** The checkpoint's JSON, with its checksum. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("version", VERSION);
    o.addProperty("about", "A checkpoint of an l2l meta-training run: continue it with 'l2l train --resume DIR'."
        + " Format documented in dsl/README.md of l2l.");
    o.addProperty("date", date);
    o.addProperty("l2l_version", Version.l2l());
    o.add("settings", settings.toJson());
    MetaTraining.Snapshot s = snapshot;
    JsonObject snap = new JsonObject();
    snap.addProperty("next_epoch", s.nextEpoch());
    snap.add("phi", TreeJson.write(s.phi(), TreeJson.Values.BASE64));
    snap.add("meta_optimizer_state", TreeJson.write(s.metaOptState(), TreeJson.Values.BASE64));
    snap.add("best", TreeJson.write(s.best(), TreeJson.Values.BASE64));
    snap.add("best_evaluation", Json.number(s.bestEvaluation()));
    snap.addProperty("best_epoch", s.bestEpoch());
    snap.addProperty("non_finite_in_a_row", s.nonFiniteInARow());
    snap.add("history", history(s.history()));
    o.add("snapshot", snap);
    o.addProperty("sha256", OptimizerFile.checksum(o));
    return o;
  }

  private static JsonObject history(List<MetaTraining.EpochReport> h) {
    JsonArray epoch = new JsonArray(), finalLoss = new JsonArray(), metaLoss = new JsonArray(),
        gradNorm = new JsonArray(), nonFinite = new JsonArray(), seconds = new JsonArray(),
        evaluation = new JsonArray(), best = new JsonArray();
    for (MetaTraining.EpochReport r : h) {
      epoch.add(r.epoch());
      finalLoss.add(Json.number(r.finalLoss()));
      metaLoss.add(Json.number(r.metaLoss()));
      gradNorm.add(Json.number(r.metaGradNorm()));
      nonFinite.add(r.nonFinite());
      seconds.add(Json.number(r.seconds()));
      evaluation.add(Json.number(r.evaluation()));
      best.add(r.best());
    }
    JsonObject o = new JsonObject();
    o.add("epoch", epoch);
    o.add("final_loss", finalLoss);
    o.add("meta_loss", metaLoss);
    o.add("meta_grad_norm", gradNorm);
    o.add("non_finite", nonFinite);
    o.add("seconds", seconds);
    o.add("evaluation", evaluation);
    o.add("best", best);
    return o;
  }

  private static List<MetaTraining.EpochReport> history(JsonObject o, String w) {
    JsonArray epoch = Json.array(o, w, "epoch"), finalLoss = Json.array(o, w, "final_loss"),
        metaLoss = Json.array(o, w, "meta_loss"), nonFinite = Json.array(o, w, "non_finite"),
        seconds = Json.array(o, w, "seconds"), evaluation = Json.array(o, w, "evaluation"), best = Json.array(o, w, "best");
    // checkpoints written before the meta-gradient norm was recorded read it as NaN
    JsonArray gradNorm = o.has("meta_grad_norm") ? Json.array(o, w, "meta_grad_norm") : null;
    int n = epoch.size();
    for (JsonArray a : new JsonArray[] {finalLoss, metaLoss, gradNorm, nonFinite, seconds, evaluation, best}) {
      if (a != null && a.size() != n) {
        throw new Json.Bad(w + " has columns of different lengths (" + n + " and " + a.size() + ")");
      }
    }
    List<MetaTraining.EpochReport> out = List.empty();
    for (int i = 0; i < n; i++) {
      String at = w + "[" + i + "]";
      JsonElement b = best.get(i);
      if (!b.isJsonPrimitive() || !b.getAsJsonPrimitive().isBoolean()) throw new Json.Bad(at + ".best must be true or false");
      out = out.append(new MetaTraining.EpochReport(Json.integer(epoch.get(i), at + ".epoch"),
          Json.real(finalLoss.get(i), at + ".final_loss"), Json.real(metaLoss.get(i), at + ".meta_loss"),
          gradNorm == null ? Double.NaN : Json.real(gradNorm.get(i), at + ".meta_grad_norm"),
          Json.integer(nonFinite.get(i), at + ".non_finite"), Json.real(seconds.get(i), at + ".seconds"),
          Json.real(evaluation.get(i), at + ".evaluation"), b.getAsBoolean()));
    }
    return out;
  }

  /**
   * Writes the checkpoint atomically to {@code file} (a failure leaves the old one intact).
   *
   * @throws CheckpointException if it cannot be written
   */
  public void save(Path file) {
    try {
      AtomicFiles.writeString(file, Json.pretty(toJson()));
    } catch (UncheckedIOException e) {
      throw new CheckpointException(file, "cannot be written: " + e.getCause().getMessage(), e);
    }
  }

  /**
   * Reads and checks a checkpoint ({@code path} may be the run's folder).
   *
   * @throws CheckpointException naming the file and what is wrong with it
   * @throws l2l.problems.data.DataException if the run's problem needs a dataset that cannot be read
   */
  public static Checkpoint load(Path path) {
    Path file = fileIn(path);
    try {
      JsonObject o = Json.parseObject(Json.readBytes(file), "an l2l checkpoint (JSON)");
      OptimizerFile.checkFormatAndVersion(o, FORMAT, 1, VERSION, "an l2l checkpoint");
      String stored = Json.string(o, "", "sha256");
      String actual = OptimizerFile.checksum(o);
      if (!stored.equals(actual)) {
        throw new Json.Bad("checksum mismatch: the content's SHA-256 is " + actual.substring(0, 12) + "… but the file says "
            + (stored.length() > 12 ? stored.substring(0, 12) + "…" : stored) + " (the file was changed or damaged)");
      }
      JsonObject so = Json.object(o, "", "settings");
      LstmConfig architecture = ArchitectureJson.read(Json.object(so, "settings", "architecture"),
          "settings.architecture");
      JsonObject s = Json.object(o, "", "snapshot");
      Tree phi = TreeJson.read(Json.member(s, "snapshot", "phi"), "snapshot.phi");
      Tree best = TreeJson.read(Json.member(s, "snapshot", "best"), "snapshot.best");
      String wrong = OptimizerFile.shapeProblem(architecture, phi);
      if (wrong == null) wrong = OptimizerFile.shapeProblem(architecture, best);
      if (wrong != null) throw new Json.Bad("the snapshot does not fit the architecture: " + wrong);
      TrainSettings settings = TrainSettings.fromJson(so, "settings");
      Tree state = TreeJson.read(Json.member(s, "snapshot", "meta_optimizer_state"), "snapshot.meta_optimizer_state");
      MetaTraining.Snapshot snapshot = new MetaTraining.Snapshot(Json.integer(s, "snapshot", "next_epoch"), phi, state,
          best, Json.real(s, "snapshot", "best_evaluation"), Json.integer(s, "snapshot", "best_epoch"),
          history(Json.object(s, "snapshot", "history"), "snapshot.history"),
          Json.integer(s, "snapshot", "non_finite_in_a_row"));
      if (snapshot.history().size() != snapshot.nextEpoch()) {
        throw new Json.Bad("the snapshot's history has " + snapshot.history().size() + " epochs but next_epoch is "
            + snapshot.nextEpoch());
      }
      return new Checkpoint(settings, snapshot, Json.string(o, "", "date"));
    } catch (Json.Bad e) {
      throw new CheckpointException(file, e.getMessage(), e);
    } catch (l2l.problems.data.DataException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new CheckpointException(file, "internal error while reading it: " + e, e);
    }
  }

}
