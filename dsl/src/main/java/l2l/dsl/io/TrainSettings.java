package l2l.dsl.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vavr.control.Option;
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
 * @param imitation a warm start by imitation before the first epoch ({@link l2l.dsl.Imitation}), if any
 */
public record TrainSettings(MetaTask task, MetaTraining.Plan plan, String metaOptimizer, int checkpointEvery,
    Option<Imitate> imitation) {
  /**
   * An imitation warm start as written down: the teacher's optimizer spec, how many tasks, and the
   * optimizer of φ while imitating.
   *
   * @param teacher the optimizer to imitate, as a spec (e.g. "adam:lr=0.0316")
   * @param tasks how many of its trajectories to imitate
   * @param optimizer the spec of φ's optimizer during the imitation (e.g. "adam:lr=0.003")
   */
  public record Imitate(String teacher, int tasks, String optimizer) {
    /** Checks the count. */
    public Imitate {
      Objects.requireNonNull(teacher, "teacher");
      Objects.requireNonNull(optimizer, "optimizer");
      if (tasks < 1) throw new IllegalArgumentException("imitation needs 1 or more tasks, got " + tasks);
    }
  }

  /** Settings without an imitation warm start. */
  public TrainSettings(MetaTask task, MetaTraining.Plan plan, String metaOptimizer, int checkpointEvery) {
    this(task, plan, metaOptimizer, checkpointEvery, Option.none());
  }

  /** Checks presence, that the task can be written down, the curriculum's horizons, and the checkpoint interval. */
  public TrainSettings {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(metaOptimizer, "metaOptimizer");
    Objects.requireNonNull(imitation, "imitation");
    if (!(task.learned() instanceof CoordinatewiseLstm)) {
      throw new IllegalArgumentException("run settings hold the coordinatewise LSTM family only, not "
          + task.learned().describe());
    }
    plan.requireFits(task);
    if (Problems.specOf(task.problem()).isEmpty()) {
      throw new IllegalArgumentException("run settings need a problem made from a spec (Problems.parse), not "
          + task.problem().name());
    }
    if (plan.validation().exists(v -> Problems.specOf(v).isEmpty())) {
      throw new IllegalArgumentException("run settings need a validation problem made from a spec (Problems.parse),"
          + " not " + plan.validation().get().name());
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

  /** The spec of the problem whose held-out tasks select φ: the validation problem's, else the problem's. */
  public String validationProblem() {
    return plan.validation().map(v -> Problems.specOf(v).get()).getOrElse(this::problem);
  }

  /** These settings with another number of epochs (to extend a run). */
  public TrainSettings withEpochs(int n) {
    return new TrainSettings(task, plan.withEpochs(n), metaOptimizer, checkpointEvery, imitation);
  }

  JsonObject toJson() {
    JsonObject o = taskFields();
    o.addProperty("meta_optimizer", metaOptimizer);
    o.addProperty("epochs", plan.epochs());
    o.addProperty("evaluate_every", plan.evaluateEvery());
    o.addProperty("evaluation_tasks", plan.evaluationTasks());
    o.addProperty("max_non_finite", plan.maxNonFinite());
    o.addProperty("meta_batch", plan.metaBatch());
    if (!plan.curriculum().isEmpty()) {
      JsonArray stages = new JsonArray();
      for (MetaTraining.Stage st : plan.curriculum()) {
        JsonArray a = new JsonArray();
        a.add(st.horizon());
        a.add(st.untilEpoch());
        stages.add(a);
      }
      o.add("curriculum", stages);
    }
    plan.validation().forEach(v -> o.addProperty("validate_on", Problems.specOf(v).get()));
    o.addProperty("checkpoint_every", checkpointEvery);
    imitation.forEach(i -> {
      JsonObject im = new JsonObject();
      im.addProperty("teacher", i.teacher());
      im.addProperty("tasks", i.tasks());
      im.addProperty("optimizer", i.optimizer());
      o.add("imitation", im);
    });
    return o;
  }

  /**
   * The meta task alone as compact JSON (the settings' task fields), e.g. for the members of a cluster
   * to rebuild it from; its learned optimizer and problem must be writable as for the settings.
   */
  public static String taskJson(MetaTask task) {
    return Json.compact(new TrainSettings(task, MetaTraining.Plan.of(0), "", 1).taskFields());
  }

  /** The meta task of {@link #taskJson}; anything impossible is an {@link IllegalArgumentException}. */
  public static MetaTask task(String json) {
    try {
      return task(Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "a meta task (JSON)"),
          "task");
    } catch (Json.Bad e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private JsonObject taskFields() {
    MetaTask t = task;
    JsonObject o = new JsonObject();
    o.addProperty("problem", problem());
    o.add("architecture", ArchitectureJson.write(architecture()));
    o.addProperty("horizon", t.horizon());
    o.addProperty("unroll", t.unroll());
    o.addProperty("meta_gradient", t.metaGradient().label());
    o.addProperty("seed", t.seed());
    o.addProperty("step_loss", t.stepLoss().label());
    o.addProperty("precision", t.precision().label());
    return o;
  }

  private static MetaTask task(JsonObject o, String w) {
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
      return new MetaTask(CoordinatewiseLstm.of(architecture), Problems.parse(problem), Json.integer(o, w, "horizon"),
          Json.integer(o, w, "unroll"), m, ell, precision, Json.longValue(o, w, "seed"));
    } catch (IllegalArgumentException e) {
      throw new Json.Bad(w + " are impossible: " + e.getMessage(), e);
    }
  }

  static TrainSettings fromJson(JsonObject o, String w) {
    MetaTask task = task(o, w);
    try {
      MetaTraining.Plan plan = new MetaTraining.Plan(Json.integer(o, w, "epochs"), Json.integer(o, w, "evaluate_every"),
          Json.integer(o, w, "evaluation_tasks"), Json.integer(o, w, "max_non_finite"),
          o.has("meta_batch") ? Json.integer(o, w, "meta_batch") : 1);  // absent before meta-batches: one task
      if (o.has("curriculum")) {
        io.vavr.collection.List<MetaTraining.Stage> stages = io.vavr.collection.List.empty();
        JsonArray a = Json.array(o, w, "curriculum");
        for (int i = 0; i < a.size(); i++) {
          String at = w + ".curriculum[" + i + "]";
          if (!a.get(i).isJsonArray() || a.get(i).getAsJsonArray().size() != 2) {
            throw new Json.Bad("field '" + at + "' must be [horizon, until epoch]");
          }
          JsonArray st = a.get(i).getAsJsonArray();
          stages = stages.append(new MetaTraining.Stage(Json.integer(st.get(0), at + "[0]"),
              Json.integer(st.get(1), at + "[1]")));
        }
        plan = plan.withCurriculum(stages);
      }
      if (o.has("validate_on")) {  // absent: validated on the meta task's own problem
        String v = Json.string(o, w, "validate_on");
        plan = plan.validatingOn(Problems.parse(v));
      }
      Option<Imitate> imitation = Option.none();  // absent in files without an imitation warm start
      if (o.has("imitation")) {
        JsonObject im = Json.object(o, w, "imitation");
        imitation = Option.of(new Imitate(Json.string(im, w + ".imitation", "teacher"),
            Json.integer(im, w + ".imitation", "tasks"), im.has("optimizer") ? Json.string(im, w + ".imitation",
            "optimizer") : Json.string(o, w, "meta_optimizer")));  // absent: imitated with the meta-optimizer
      }
      return new TrainSettings(task, plan, Json.string(o, w, "meta_optimizer"), Json.integer(o, w, "checkpoint_every"),
          imitation);
    } catch (IllegalArgumentException e) {
      throw new Json.Bad(w + " are impossible: " + e.getMessage(), e);
    }
  }
}
