package l2l.dsl.io;

import com.google.gson.JsonObject;
import java.util.Objects;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import l2l.problems.Problems;

/**
 * Everything that determines a meta-training run, as stored in its checkpoints: the meta task,
 * the plan, the meta-optimizer's spec and how often to checkpoint. With these settings and a
 * snapshot, a run continues exactly where it stopped.
 *
 * @param task the meta task; its learned optimizer must be a {@link CoordinatewiseLstm} and its
 *     problem made by {@link Problems#parse} (so that both can be written down)
 * @param plan epochs and model selection
 * @param metaOptimizer the meta-optimizer's spec (e.g. "adam:lr=0.001")
 * @param checkpointEvery save a checkpoint every this many epochs (and at the end)
 */
public record TrainSettings(MetaTask task, MetaTraining.Plan plan, String metaOptimizer, int checkpointEvery) {

  /** Checks presence, that the task can be written down, and the checkpoint interval. */
  public TrainSettings {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(metaOptimizer, "metaOptimizer");
    if (!(task.learned() instanceof CoordinatewiseLstm)) {
      throw new IllegalArgumentException("run settings hold the coordinatewise LSTM family only, not "
          + task.learned().describe());
    }
    if (Problems.specOf(task.problem()).isEmpty()) {
      throw new IllegalArgumentException("run settings need a problem made from a spec (Problems.parse), not "
          + task.problem().name());
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpoints must be saved every 1 or more epochs, got " + checkpointEvery);
    }
  }

  /** The learned optimizer's architecture. */
  public LstmConfig architecture() {
    return ((CoordinatewiseLstm) task.learned()).config();
  }

  /** The problem's spec. */
  public String problem() {
    return Problems.specOf(task.problem()).get();
  }

  /** These settings with another number of epochs (to extend a run). */
  public TrainSettings withEpochs(int n) {
    return new TrainSettings(task, plan.withEpochs(n), metaOptimizer, checkpointEvery);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("problem", problem());
    o.add("architecture", ArchitectureJson.write(architecture()));
    o.addProperty("horizon", task.horizon());
    o.addProperty("unroll", task.unroll());
    o.addProperty("meta_gradient", task.metaGradient().label());
    o.addProperty("meta_optimizer", metaOptimizer);
    o.addProperty("epochs", plan.epochs());
    o.addProperty("evaluate_every", plan.evaluateEvery());
    o.addProperty("evaluation_tasks", plan.evaluationTasks());
    o.addProperty("max_non_finite", plan.maxNonFinite());
    o.addProperty("seed", task.seed());
    o.addProperty("checkpoint_every", checkpointEvery);
    o.addProperty("step_loss", task.stepLoss().label());
    o.addProperty("precision", task.precision().label());
    return o;
  }

  static TrainSettings fromJson(JsonObject o, String w) {
    String mg = Json.string(o, w, "meta_gradient");
    MetaGradient m;
    try {
      m = MetaGradient.parse(mg);
    } catch (IllegalArgumentException e) {
      throw new Json.Bad("field '" + w + ".meta_gradient' is impossible: " + e.getMessage(), e);
    }
    if (m == null) {
      throw new Json.Bad("field '" + w + ".meta_gradient' is '" + mg + "'; known: first-order, second-order, full, es,"
          + " pes");
    }
    // absent in files written before the option existed: the paper's linear meta-loss, double precision
    String sl = o.has("step_loss") ? Json.string(o, w, "step_loss") : "linear";
    StepLoss ell = StepLoss.parse(sl);
    if (ell == null) throw new Json.Bad("field '" + w + ".step_loss' is '" + sl + "'; known: linear, log");
    String pr = o.has("precision") ? Json.string(o, w, "precision") : "double";
    Precision precision = Precision.parse(pr);
    if (precision == null) throw new Json.Bad("field '" + w + ".precision' is '" + pr + "'; known: double, float32");
    LstmConfig architecture = ArchitectureJson.read(Json.object(o, w, "architecture"), w + ".architecture");
    String problem = Json.string(o, w, "problem");
    try {
      MetaTask task = new MetaTask(CoordinatewiseLstm.of(architecture), Problems.parse(problem),
          Json.integer(o, w, "horizon"), Json.integer(o, w, "unroll"), m, ell, precision, Json.longValue(o, w, "seed"));
      MetaTraining.Plan plan = new MetaTraining.Plan(Json.integer(o, w, "epochs"), Json.integer(o, w, "evaluate_every"),
          Json.integer(o, w, "evaluation_tasks"), Json.integer(o, w, "max_non_finite"));
      return new TrainSettings(task, plan, Json.string(o, w, "meta_optimizer"), Json.integer(o, w, "checkpoint_every"));
    } catch (IllegalArgumentException e) {
      throw new Json.Bad(w + " are impossible: " + e.getMessage(), e);
    }
  }
}
