package l2l.dsl.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
    JsonObject o = new JsonObject();
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

  static JsonArray numbers(double[] v) {
    JsonArray a = new JsonArray(v.length);
    for (double d : v) a.add(Json.finiteOrNull(d));
    return a;
  }
}
