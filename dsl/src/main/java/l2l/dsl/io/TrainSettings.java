package l2l.dsl.io;

import com.google.gson.JsonObject;
import java.util.Locale;
import java.util.Objects;
import l2l.dsl.MetaGradient;
import l2l.dsl.MetaTraining;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;

/**
 * Everything that determines a meta-training run, as stored in its checkpoints: with these
 * settings and a snapshot, a run continues exactly where it stopped.
 *
 * @param problem the problem spec ({@code Problems.parse})
 * @param architecture the learned optimizer's architecture
 * @param horizon optimizee steps per epoch
 * @param unroll optimizee steps per truncation
 * @param metaGradient first- or second-order
 * @param metaOptimizer the meta-optimizer's spec (e.g. "adam:lr=0.001")
 * @param epochs epochs to train in all
 * @param evaluateEvery held-out evaluation every this many epochs (and after the last)
 * @param evaluationTasks held-out tasks per evaluation
 * @param maxNonFinite stop after this many non-finite truncations in a row
 * @param seed φ₀, the training tasks and the held-out tasks
 * @param checkpointEvery save a checkpoint every this many epochs (and at the end)
 * @param stepLoss how each step's loss enters the meta-loss (linear: the paper's Σ f; log: Σ log f)
 * @param precision the precision of the fast path's LSTM arithmetic (stored as "double" or "float32";
 *     files without it are double)
 */
public record TrainSettings(String problem, LstmConfig architecture, int horizon, int unroll, MetaGradient metaGradient,
    String metaOptimizer, int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, long seed,
    int checkpointEvery, StepLoss stepLoss, Precision precision) {

  /** Settings with the paper's linear meta-loss Σ_t f(θ_t). */
  public TrainSettings(String problem, LstmConfig architecture, int horizon, int unroll, MetaGradient metaGradient,
      String metaOptimizer, int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, long seed,
      int checkpointEvery) {
    this(problem, architecture, horizon, unroll, metaGradient, metaOptimizer, epochs, evaluateEvery, evaluationTasks,
        maxNonFinite, seed, checkpointEvery, StepLoss.LINEAR, Precision.DOUBLE);
  }

  /** Settings in double precision. */
  public TrainSettings(String problem, LstmConfig architecture, int horizon, int unroll, MetaGradient metaGradient,
      String metaOptimizer, int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite, long seed,
      int checkpointEvery, StepLoss stepLoss) {
    this(problem, architecture, horizon, unroll, metaGradient, metaOptimizer, epochs, evaluateEvery, evaluationTasks,
        maxNonFinite, seed, checkpointEvery, stepLoss, Precision.DOUBLE);
  }

  /** Checks what can be checked without building anything. */
  public TrainSettings {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(metaGradient, "metaGradient");
    Objects.requireNonNull(metaOptimizer, "metaOptimizer");
    Objects.requireNonNull(stepLoss, "stepLoss");
    Objects.requireNonNull(precision, "precision");
    if (horizon < 1) throw new IllegalArgumentException("the horizon must be at least 1 step, got " + horizon);
    if (unroll < 1) throw new IllegalArgumentException("the unroll must be at least 1 step, got " + unroll);
    if (unroll > horizon) {
      throw new IllegalArgumentException("the unroll (" + unroll + " steps) must not be longer than the horizon ("
          + horizon + " steps)");
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpoints must be saved every 1 or more epochs, got " + checkpointEvery);
    }
    plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite);
  }

  private static MetaTraining.Plan plan(int epochs, int evaluateEvery, int evaluationTasks, int maxNonFinite) {
    return new MetaTraining.Plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite);
  }

  /** The meta-training plan. */
  public MetaTraining.Plan plan() {
    return plan(epochs, evaluateEvery, evaluationTasks, maxNonFinite);
  }

  /** These settings with another number of epochs (to extend a run). */
  public TrainSettings withEpochs(int n) {
    return new TrainSettings(problem, architecture, horizon, unroll, metaGradient, metaOptimizer, n, evaluateEvery,
        evaluationTasks, maxNonFinite, seed, checkpointEvery, stepLoss, precision);
  }

  /** "first-order" or "second-order". */
  public static String label(MetaGradient m) {
    return m.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** "linear" or "log". */
  public static String label(StepLoss l) {
    return l.name().toLowerCase(Locale.ROOT);
  }

  /** The step loss of a label ("linear", "log"); null if unknown. */
  public static StepLoss stepLoss(String label) {
    String s = label.trim().toLowerCase(Locale.ROOT);
    for (StepLoss l : StepLoss.values()) {
      if (label(l).equals(s)) return l;
    }
    return null;
  }

  /** The mode of a label ("first-order", "second-order"; also the enum names); null if unknown. */
  public static MetaGradient metaGradient(String label) {
    String s = label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (MetaGradient m : MetaGradient.values()) {
      if (label(m).equals(s)) return m;
    }
    return null;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("problem", problem);
    o.add("architecture", ArchitectureJson.write(architecture));
    o.addProperty("horizon", horizon);
    o.addProperty("unroll", unroll);
    o.addProperty("meta_gradient", label(metaGradient));
    o.addProperty("meta_optimizer", metaOptimizer);
    o.addProperty("epochs", epochs);
    o.addProperty("evaluate_every", evaluateEvery);
    o.addProperty("evaluation_tasks", evaluationTasks);
    o.addProperty("max_non_finite", maxNonFinite);
    o.addProperty("seed", seed);
    o.addProperty("checkpoint_every", checkpointEvery);
    o.addProperty("step_loss", label(stepLoss));
    o.addProperty("precision", precision.label());
    return o;
  }

  static TrainSettings fromJson(JsonObject o, String w) {
    String mg = Json.string(o, w, "meta_gradient");
    MetaGradient m = metaGradient(mg);
    if (m == null) throw new Json.Bad("field '" + w + ".meta_gradient' is '" + mg + "'; known: first-order, second-order");
    // absent in files written before the option existed: the paper's linear meta-loss
    String sl = o.has("step_loss") ? Json.string(o, w, "step_loss") : "linear";
    StepLoss ell = stepLoss(sl);
    if (ell == null) throw new Json.Bad("field '" + w + ".step_loss' is '" + sl + "'; known: linear, log");
    // absent in files written before the option existed: double
    String pr = o.has("precision") ? Json.string(o, w, "precision") : "double";
    Precision precision = null;
    for (Precision p : Precision.values()) {
      if (p.label().equals(pr)) precision = p;
    }
    if (precision == null) throw new Json.Bad("field '" + w + ".precision' is '" + pr + "'; known: double, float32");
    try {
      return new TrainSettings(Json.string(o, w, "problem"),
          ArchitectureJson.read(Json.object(o, w, "architecture"), w + ".architecture"), Json.integer(o, w, "horizon"),
          Json.integer(o, w, "unroll"), m, Json.string(o, w, "meta_optimizer"), Json.integer(o, w, "epochs"),
          Json.integer(o, w, "evaluate_every"), Json.integer(o, w, "evaluation_tasks"),
          Json.integer(o, w, "max_non_finite"), Json.longValue(o, w, "seed"), Json.integer(o, w, "checkpoint_every"),
          ell, precision);
    } catch (IllegalArgumentException e) {
      throw new Json.Bad(w + " are impossible: " + e.getMessage(), e);
    }
  }
}
