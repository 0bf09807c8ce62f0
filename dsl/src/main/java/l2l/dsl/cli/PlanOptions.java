package l2l.dsl.cli;

import l2l.dsl.MetaTraining;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How long to meta-train and how to select, as options; unset ones come from the command's plan. */
final class PlanOptions {
  /** Every option of this mixin but --epochs, for commands that refuse them (e.g. when resuming). */
  static final String[] SELECTION = {"--evaluate-every", "--evaluation-tasks", "--max-non-finite", "--meta-batch",
      "--curriculum", "--validate-on"};

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs in all, one fresh task each (default: the command's; the original ran 10000).")
  Integer epochs;

  @Option(names = "--evaluate-every", paramLabel = "N",
      description = "Evaluate φ on held-out tasks every N epochs and after the last, keeping the best (default: "
          + MetaTraining.Plan.EVALUATE_EVERY + ").")
  Integer evaluateEvery;

  @Option(names = "--evaluation-tasks", paramLabel = "N",
      description = "Held-out tasks per evaluation (default: " + MetaTraining.Plan.EVALUATION_TASKS + ").")
  Integer evaluationTasks;

  @Option(names = "--max-non-finite", paramLabel = "N",
      description = "Stop after N truncations in a row whose optimizee diverged (loss not finite or above 1000× its"
          + " initial loss; default: "
          + MetaTraining.Plan.MAX_NON_FINITE + ").")
  Integer maxNonFinite;

  @Option(names = "--meta-batch", paramLabel = "B",
      description = "Tasks per meta-step, their meta-gradients summed in task order; the same bits on any number of"
          + " threads or cluster members (default: 1, the paper's).")
  Integer metaBatch;

  @Option(names = "--curriculum", paramLabel = "H:E,...",
      description = "Train with shorter horizons first: each H:E trains with horizon H until epoch E (E increasing),"
          + " then the --horizon; validation always uses --horizon (e.g. 20:200,50:500). Default: none.")
  String curriculum;

  @Option(names = "--validate-on", paramLabel = "SPEC",
      description = "Select φ on held-out tasks of this problem (see 'l2l problems') instead of the training problem's,"
          + " e.g. a family kept out of both the training mixture and the test (default: the training problem).")
  String validateOn;

  /** The plan of these options, unset ones from {@code base}. */
  MetaTraining.Plan plan(CommandSpec spec, MetaTraining.Plan base) {
    MetaTraining.Plan p = base;
    if (epochs != null) {
      Usage.require(spec, epochs >= 0, "--epochs must be ≥ 0, got " + epochs);
      p = p.withEpochs(epochs);
    }
    if (evaluateEvery != null) {
      Inputs.positive(spec, "--evaluate-every", evaluateEvery);
      p = p.evaluatingEvery(evaluateEvery);
    }
    if (evaluationTasks != null) {
      Inputs.positive(spec, "--evaluation-tasks", evaluationTasks);
      p = p.evaluatingOn(evaluationTasks);
    }
    if (maxNonFinite != null) {
      Inputs.positive(spec, "--max-non-finite", maxNonFinite);
      p = p.stoppingAfter(maxNonFinite);
    }
    if (metaBatch != null) {
      Inputs.positive(spec, "--meta-batch", metaBatch);
      p = p.withMetaBatch(metaBatch);
    }
    if (curriculum != null) {
      io.vavr.collection.List<MetaTraining.Stage> stages = io.vavr.collection.List.empty();
      for (String part : curriculum.split(",")) {
        String[] he = part.trim().split(":");
        Usage.require(spec, he.length == 2, "--curriculum: expected H:E,… (horizon H until epoch E), got '" + part + "'");
        int h = Usage.check(spec, "--curriculum", Integer::parseInt, he[0].trim());
        int e = Usage.check(spec, "--curriculum", Integer::parseInt, he[1].trim());
        stages = stages.append(Usage.check(spec, "--curriculum", () -> new MetaTraining.Stage(h, e)));
      }
      MetaTraining.Plan without = p;
      io.vavr.collection.List<MetaTraining.Stage> all = stages;
      p = Usage.check(spec, "--curriculum", () -> without.withCurriculum(all));
    }
    if (validateOn != null) p = p.validatingOn(Inputs.problem(spec, "--validate-on", validateOn));
    return p;
  }
}
