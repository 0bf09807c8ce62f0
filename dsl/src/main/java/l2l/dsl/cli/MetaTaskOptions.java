package l2l.dsl.cli;

import l2l.dsl.MetaTask;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.optimizers.learned.Precision;
import l2l.optimizers.learned.StepLoss;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The meta task as options, shared by the commands that meta-train: problem, architecture, horizon,
 * unroll, meta-gradient, step loss, precision and seed. Unset options take {@link MetaTask#of}'s
 * defaults (or, where a command says so, those of a base task such as a trained optimizer's).
 */
final class MetaTaskOptions {
  /** Every option of this mixin, for commands that refuse them (e.g. when resuming). */
  static final String[] NAMES = {"--problem", "--horizon", "--unroll", "--meta-gradient", "--step-loss", "--precision",
      "--seed", "--architecture", "--hidden", "--preprocess", "--head", "--scale", "--forget-bias", "--init", "--gac",
      "--base"};

  @Option(names = "--problem", paramLabel = "SPEC",
      description = "The problem: NAME or NAME:key=value,... (see 'l2l problems'); default: quadratic.")
  String problem;

  @Mixin
  ArchitectureOptions architecture = new ArchitectureOptions();

  @Option(names = "--horizon", paramLabel = "STEPS",
      description = "Optimizee steps per epoch (default: " + MetaTask.HORIZON + ", the original).")
  Integer horizon;

  @Option(names = "--unroll", paramLabel = "STEPS",
      description = "Optimizee steps per truncation, one meta-step each; at most the horizon (default: "
          + MetaTask.UNROLL + ").")
  Integer unroll;

  @Option(names = "--meta-gradient", paramLabel = "ESTIMATOR",
      description = "How the meta-gradient is estimated: first-order (truncated backpropagation dropping ∂∇f/∂φ,"
          + " the paper's), second-order (truncated, exact), full (exact through the whole horizon; the unroll is"
          + " ignored), es:sigma=S,pairs=P (antithetic evolution strategies over each truncation) or"
          + " pes:sigma=S,pairs=P (persistent evolution strategies: unbiased over the horizon); sigma and pairs"
          + " default to 0.01 and 8. Default: first-order.")
  String metaGradient;

  @Option(names = "--step-loss", paramLabel = "KIND",
      description = "How each optimizee step's loss f enters the meta-loss: linear (Σ f, the paper's) or log"
          + " (Σ log f, which weighs every step's relative progress alike); default: linear.")
  String stepLoss;

  @Option(names = "--precision", paramLabel = "P",
      description = "The learned optimizer's engine: double, or float32 (single precision, about twice as fast; offered"
          + " by the lstm with raw or log-and-sign inputs, where θ, gradients and the meta-gradient's sums stay"
          + " double); default: double.")
  String precision;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of φ₀, the training tasks and the validation tasks (default: 0).")
  Long seed;

  /** The problem spec given, or the default. */
  String problemSpec(String otherwise) {
    return problem != null ? problem.trim() : otherwise;
  }

  /** The meta task of these options, unset ones from {@link MetaTask#of}. */
  MetaTask task(CommandSpec spec) {
    String p = problemSpec("quadratic");
    return task(spec, Usage.check(spec, "", () -> MetaTask.of(CoordinatewiseLstm.of(architecture.config(spec, p)),
        Inputs.problem(spec, p))));
  }

  /** The meta task of these options, unset ones (and the architecture, unless given) from {@code base}. */
  MetaTask task(CommandSpec spec, MetaTask base) {
    return Usage.check(spec, "", () -> build(spec, base));
  }

  private MetaTask build(CommandSpec spec, MetaTask base) {
    MetaTask t = base;
    if (problem != null) t = t.withProblem(Inputs.problem(spec, problem));
    if (architecture.anyGiven()) {
      LstmConfig c = architecture.config(spec, problemSpec("quadratic"));
      t = t.withLearned(CoordinatewiseLstm.of(c));
    }
    if (horizon != null) Inputs.positive(spec, "--horizon", horizon);
    if (unroll != null) Inputs.positive(spec, "--unroll", unroll);
    int h = horizon != null ? horizon : t.horizon(), u = unroll != null ? unroll : t.unroll();
    Usage.require(spec, u <= h, "--unroll " + u + " is longer than --horizon " + h
        + "; a truncation cannot be longer than an epoch");
    t = new MetaTask(t.learned(), t.problem(), h, u, t.metaGradient(), t.stepLoss(), t.precision(), t.seed());
    if (metaGradient != null) {
      MetaGradient m = Usage.check(spec, "--meta-gradient", MetaGradient::parse, metaGradient);
      Usage.require(spec, m != null, "unknown --meta-gradient '" + metaGradient + "'; known: first-order,"
          + " second-order, full, es[:sigma=S,pairs=P], pes[:sigma=S,pairs=P]");
      t = t.withMetaGradient(m);
    }
    if (stepLoss != null) {
      StepLoss l = StepLoss.parse(stepLoss);
      Usage.require(spec, l != null, "--step-loss must be linear or log, got '" + stepLoss + "'");
      t = t.withStepLoss(l);
    }
    if (precision != null) {
      Precision p = Precision.parse(precision);
      Usage.require(spec, p != null, "--precision must be double or float32, got '" + precision + "'");
      t = t.withPrecision(p);
    }
    if (seed != null) t = t.withSeed(seed);
    return t;
  }
}
