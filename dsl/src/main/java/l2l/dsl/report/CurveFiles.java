package l2l.dsl.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import l2l.dsl.io.Json;

/**
 * Every curve of a {@link Results} as CSV and as JSON, for programs: per optimizer its mean curve
 * and the curve of every task. Numbers are printed with {@link Double#toString} (exact).
 */
public final class CurveFiles {
  private CurveFiles() {}

  /**
   * CSV in long form, one row per point: {@code optimizer,setting,task,seed,step,loss}, where
   * {@code task} is "mean" for the mean curve (empty seed) or the task's index; a diverged run's
   * points after the divergence are "NaN".
   */
  public static String csv(Results r) {
    StringBuilder sb = new StringBuilder("optimizer,setting,task,seed,step,loss\n");
    for (Curves c : r.curves()) {
      String prefix = field(c.name()) + "," + field(c.setting()) + ",";
      double[] mean = c.summary().meanCurve();
      for (int t = 0; t < mean.length; t++) sb.append(prefix).append("mean,,").append(t).append(',').append(mean[t]).append('\n');
      for (int i = 0; i < c.perTask().length; i++) {
        double[] curve = c.perTask()[i];
        for (int t = 0; t < curve.length; t++) {
          sb.append(prefix).append(i).append(',').append(c.seeds()[i]).append(',').append(t)
              .append(',').append(curve[t]).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /**
   * JSON: {@code {"title", "problem", "steps", "tasks", "optimizers": [{"name", "setting",
   * "mean_final", "stderr_final", "diverged", "mean": [...], "tasks": [{"seed", "curve": [...]}]}]}};
   * non-finite values are null.
   */
  public static JsonObject json(Results r) {
    return json(r, null);
  }

  /** {@link #json(Results)} with a member {@code "plan"}: a digest of what produced the results (none if null). */
  public static JsonObject json(Results r, String plan) {
    JsonObject o = new JsonObject();
    if (plan != null) o.addProperty("plan", plan);
    o.addProperty("title", r.title());
    o.addProperty("problem", r.problem());
    o.addProperty("steps", r.steps());
    o.addProperty("tasks", r.tasks());
    JsonArray opts = new JsonArray();
    for (Curves c : r.curves()) {
      JsonObject e = new JsonObject();
      e.addProperty("name", c.name());
      e.addProperty("setting", c.setting());
      e.add("mean_final", Json.finiteOrNull(c.summary().meanFinal()));
      e.add("stderr_final", Json.finiteOrNull(c.summary().stderrFinal()));
      e.addProperty("diverged", c.summary().diverged());
      e.add("mean", numbers(c.summary().meanCurve()));
      JsonArray tasks = new JsonArray();
      for (int i = 0; i < c.perTask().length; i++) {
        JsonObject t = new JsonObject();
        t.addProperty("seed", c.seeds()[i]);
        t.add("curve", numbers(c.perTask()[i]));
        tasks.add(t);
      }
      e.add("tasks", tasks);
      opts.add(e);
    }
    o.add("optimizers", opts);
    return o;
  }

  /**
   * The results in a file {@link #json(Results, String)} wrote, with their {@code "plan"} (null if
   * none); a non-finite point (null) reads as NaN.
   *
   * @throws IllegalArgumentException if the file cannot be read or is not such a file
   */
  public static Tuple2<Results, String> read(Path file) {
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      List<Curves> curves = List.empty();
      for (JsonElement e : o.getAsJsonArray("optimizers")) {
        JsonObject c = e.getAsJsonObject();
        JsonArray tasks = c.getAsJsonArray("tasks");
        long[] seeds = new long[tasks.size()];
        double[][] perTask = new double[tasks.size()][];
        for (int i = 0; i < seeds.length; i++) {
          JsonObject t = tasks.get(i).getAsJsonObject();
          seeds[i] = t.get("seed").getAsLong();
          JsonArray curve = t.getAsJsonArray("curve");
          perTask[i] = new double[curve.size()];
          for (int k = 0; k < curve.size(); k++) {
            perTask[i][k] = curve.get(k).isJsonNull() ? Double.NaN : curve.get(k).getAsDouble();
          }
        }
        curves = curves.append(Curves.of(c.get("name").getAsString(), c.get("setting").getAsString(), seeds, perTask));
      }
      String plan = o.has("plan") ? o.get("plan").getAsString() : null;
      return new Tuple2<>(new Results(o.get("title").getAsString(), o.get("problem").getAsString(), curves), plan);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + " is not a readable curves.json: " + e.getMessage(), e);
    }
  }

  static JsonArray numbers(double[] v) {
    JsonArray a = new JsonArray(v.length);
    for (double d : v) a.add(Json.finiteOrNull(d));
    return a;
  }
}
