package l2l.dsl;

import io.vavr.collection.List;
import io.vavr.control.Option;
import java.util.Objects;
import java.util.function.Consumer;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.LearnedOptimizer;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;

/**
 * A learned optimizer as its own meta-optimizer. Nothing here is special-cased: a meta task is an
 * objective over φ and g(φ) is an optimizer, so every function below is {@link MetaTraining} with
 * a different meta-optimizer.
 *
 * <ul>
 *   <li>{@link #selfTrain}: g(φ_meta) with φ_meta fixed trains φ (g' = g(d, g)); with
 *       {@code metaLearned == meta.learned()} and φ_meta a trained φ, g trains itself.
 *   <li>{@link #selfReferential}: the meta-optimizer is g at the <em>current</em> φ, read from the
 *       parameters it updates, so φ is updated by g(φ) at every meta-step.
 *   <li>{@link #fixedPoint}: g₀ trained by a given optimizer (e.g. Adam), then gₖ₊₁ trained with
 *       gₖ as meta-optimizer, reporting whether φₖ settles.
 * </ul>
 *
 * <p>An LSTM trained on one problem may be a poor optimizer of φ: φ's gradients have another scale
 * (on a small quadratic, ‖∇φ‖ ≈ 400 against ‖∇θ‖ ≈ 2), and raw-gradient LSTMs whose output grows
 * with their weights feed back on themselves. What helped in measurements: log-and-sign inputs
 * ({@code Preprocess.logAndSign}, scale-free) and damped updates of φ ({@link #scaled},
 * {@link #selfReferential(LearnedOptimizer, double)}, {@link Settings#metaScale()}, e.g. 0.1).
 * Meta-training skips non-finite meta-steps ({@code applyIfFinite}) and stops with a
 * {@link MetaTraining.DivergedException} when the optimizee keeps diverging; {@link #fixedPoint}
 * reports such a divergence as the outcome of its iteration instead of throwing.
 */
public final class SelfApplication {
  private SelfApplication() {}

  /**
   * The default settling tolerance of {@link #fixedPoint}: ‖φₖ − φₖ₋₁‖ below 5% of ‖φₖ₋₁‖. On
   * small problems a short meta-training run keeps moving φ by a few percent even once the
   * held-out loss is flat (the selected φ jumps between evaluation points), so a tighter tolerance
   * needs longer iterations.
   */
  public static final double DEFAULT_TOLERANCE = 0.05;

  /**
   * g(φ_meta) as the meta-optimizer of φ, from φ₀ = {@code meta.init()}.
   *
   * @param meta the meta task whose φ is trained
   * @param metaLearned the learned optimizer used as meta-optimizer (may be {@code meta.learned()})
   * @param metaPhi its fixed parameters
   * @param plan epochs and model selection
   * @return the trained optimizer; a run whose optimizee keeps diverging throws {@link MetaTraining.DivergedException}
   */
  public static Trained selfTrain(MetaTask meta, LearnedOptimizer metaLearned, Tree metaPhi,
      MetaTraining.Plan plan) {
    return selfTrain(meta, metaLearned, metaPhi, meta.init(), plan);
  }

  /** As {@link #selfTrain(MetaTask, LearnedOptimizer, Tree, MetaTraining.Plan)} from a given φ. */
  public static Trained selfTrain(MetaTask meta, LearnedOptimizer metaLearned, Tree metaPhi, Tree start,
      MetaTraining.Plan plan) {
    return learning(meta, metaLearned.apply(metaPhi), start, plan).train();
  }

  /** The meta-training expression of a meta task with this meta-optimizer, from φ = start. */
  public static L2l learning(MetaTask meta, Optimizer metaOptimizer, Tree start, MetaTraining.Plan plan) {
    return new L2l(meta, plan, metaOptimizer, io.vavr.control.Option.of(start));
  }

  /**
   * The learned optimizer g as a rule that reads its own parameters: {@code update(∇, state, φ)}
   * is g(φ)'s update of φ, so as a meta-optimizer it updates φ with g at the current φ (true
   * self-reference). Its state is g(φ)'s state for the coordinates of φ.
   */
  public static Optimizer selfReferential(LearnedOptimizer g) {
    return selfReferential(g, 1);
  }

  /**
   * As {@link #selfReferential(LearnedOptimizer)} with g's updates multiplied by {@code scale}
   * (e.g. 0.1: an optimizer trained on one problem may take too large steps on φ).
   */
  public static Optimizer selfReferential(LearnedOptimizer g, double scale) {
    Objects.requireNonNull(g, "selfReferential: the learned optimizer is null");
    if (!Double.isFinite(scale) || scale <= 0) {
      throw new IllegalArgumentException("selfReferential: the scale must be finite and > 0, got " + scale);
    }
    return new Optimizer() {
      @Override
      public Tree init(Tree phi) {
        return g.apply(phi).init(phi);
      }

      @Override
      public Update update(Tree grads, Tree state, Tree phi) {
        Update u = g.apply(phi).update(grads, state, phi);
        return scale == 1 ? u : new Update(u.updates().times(scale), u.state());
      }

      @Override
      public String toString() {
        return "self(" + g.describe() + (scale == 1 ? "" : ", scale " + scale) + ")";
      }
    };
  }

  /**
   * g(φ) with its updates multiplied by {@code scale}: the meta-optimizer {@link #fixedPoint}
   * uses for iteration k + 1 from φₖ (scale 1 is g(φ) itself).
   */
  public static Optimizer scaled(LearnedOptimizer g, Tree phi, double scale) {
    if (!Double.isFinite(scale) || scale <= 0) {
      throw new IllegalArgumentException("scaled: the scale must be finite and > 0, got " + scale);
    }
    Optimizer o = g.apply(phi);
    return scale == 1 ? o : Transforms.chain(o, Transforms.scale(scale));
  }

  /** Trains φ from {@code start} with g at the current φ as its meta-optimizer ({@link #selfReferential}). */
  public static Trained selfReferentialTrain(MetaTask meta, Tree start, MetaTraining.Plan plan) {
    return learning(meta, selfReferential(meta.learned()), start, plan).train();
  }

  // ------------------------------------------------------------------ fixed point

  /** Where each fixed-point iteration starts φ. */
  public enum Start {
    /**
     * From φₖ (the default): iteration k + 1 continues training φₖ with g(φₖ) frozen as the
     * meta-optimizer, so a fixed point is a φ that g(φ) no longer moves — g has trained itself.
     */
    WARM,
    /**
     * From the meta task's φ₀ every time: iteration k + 1 computes T(φₖ), where T(ψ) is "train
     * φ₀ on the meta task's tasks with g(ψ)"; a fixed point is a ψ with T(ψ) = ψ. Different
     * meta-optimizers tend to reach different (equally good) φ's from φ₀, so this rarely settles
     * in φ even when the held-out loss does.
     */
    FRESH
  }

  /**
   * How {@link #fixedPoint} iterates.
   *
   * @param start where each iteration starts φ
   * @param metaScale iteration k + 1 is meta-trained by g(φₖ) with its updates times this (1: g(φₖ) itself)
   * @param tolerance an iteration settled when ‖φₖ − φₖ₋₁‖ / ‖φₖ₋₁‖ is below this
   */
  public record Settings(Start start, double metaScale, double tolerance) {
    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(start, "Settings: start");
      if (!Double.isFinite(metaScale) || metaScale <= 0) {
        throw new IllegalArgumentException("fixedPoint: metaScale must be finite and > 0, got " + metaScale);
      }
      if (!(tolerance > 0)) throw new IllegalArgumentException("fixedPoint: tolerance must be > 0, got " + tolerance);
    }

    /** Warm starts, g(φₖ) itself as meta-optimizer, {@link #DEFAULT_TOLERANCE}. */
    public static Settings defaults() {
      return new Settings(Start.WARM, 1, DEFAULT_TOLERANCE);
    }

    /** These settings with another start. */
    public Settings starting(Start s) {
      return new Settings(s, metaScale, tolerance);
    }

    /** These settings with another meta-scale. */
    public Settings withMetaScale(double scale) {
      return new Settings(start, scale, tolerance);
    }

    /** These settings with another tolerance. */
    public Settings withTolerance(double tol) {
      return new Settings(start, metaScale, tol);
    }
  }

  /**
   * One fixed-point iteration.
   *
   * @param k the iteration (0: trained by the first meta-optimizer, k ≥ 1: by gₖ₋₁)
   * @param trained the meta-training run (on divergence: up to the last finite snapshot)
   * @param validationLoss the held-out mean final loss f(θ_horizon) of the selected φₖ
   * @param validationStart the held-out mean initial loss f(θ₀) (what not moving at all would give)
   * @param meanMetaLoss the mean epoch meta-loss over the last quarter of the epochs (at least one)
   * @param distance ‖φₖ − φₖ₋₁‖ over all of φ, Euclidean (NaN for k = 0 and when meta-training threw)
   * @param relativeDistance distance / ‖φₖ₋₁‖
   * @param settled whether the relative distance is below the tolerance (never when diverged)
   * @param skippedMetaSteps meta-steps skipped because the meta-optimizer's update was not finite
   * @param divergence what diverged and where, if it did (then the sequence stops there)
   */
  public record Iteration(int k, Trained trained, double validationLoss, double validationStart, double meanMetaLoss,
      double distance, double relativeDistance, boolean settled, long skippedMetaSteps, Option<String> divergence) {
    /** Whether this iteration diverged. */
    public boolean diverged() {
      return divergence.isDefined();
    }

    /** φₖ (the selected φ of the run). */
    public Tree phi() {
      return trained.best();
    }

    /** One line for reports. */
    public String describe() {
      return String.format(java.util.Locale.ROOT,
          "k=%d  held-out f: %.4g -> %.4g  meta-loss %.4g  |phi_k - phi_k-1| %.4g (relative %.3g)%s%s%s", k,
          validationStart, validationLoss, meanMetaLoss, distance, relativeDistance, settled ? "  settled" : "",
          skippedMetaSteps > 0 ? "  skipped meta-steps " + skippedMetaSteps : "",
          divergence.map(d -> "  DIVERGED: " + d).getOrElse(""));
    }
  }

  /**
   * The iterations of a fixed-point run.
   *
   * @param iterations k = 0, 1, …, up to and including the first that diverged
   * @param settings how it iterated
   */
  public record FixedPoint(List<Iteration> iterations, Settings settings) {
    /** Whether the last iteration settled (its φ moved by less than the tolerance, relatively). */
    public boolean settled() {
      return !iterations.isEmpty() && iterations.last().settled();
    }

    /** The first iteration that diverged, if any. */
    public Option<Iteration> divergence() {
      return iterations.find(Iteration::diverged);
    }

    /** The last iteration that did not diverge, if any. */
    public Option<Iteration> lastGood() {
      return iterations.findLast(i -> !i.diverged());
    }

    /** One line per iteration, and the verdict. */
    public String describe() {
      String verdict = divergence().isDefined() ? "diverged at iteration " + divergence().get().k()
          : settled() ? "settled (relative change < " + settings.tolerance() + ")"
          : "did not settle (tolerance " + settings.tolerance() + ")";
      return iterations.map(Iteration::describe).mkString("", "\n", "\n") + "fixed point: " + verdict;
    }
  }

  /**
   * Fixed-point iteration Y g with {@link Settings#defaults()} (warm starts, g(φₖ) unscaled, 5%): φ₀ trained by {@code first}; φₖ₊₁
   * trained with g(φₖ) as meta-optimizer; {@code iterations} iterations after the first (so
   * {@code iterations + 1} runs, fewer if one diverges).
   */
  public static FixedPoint fixedPoint(MetaTask meta, Optimizer first, MetaTraining.Plan planPerIteration,
      int iterations) {
    return fixedPoint(meta, first, planPerIteration, iterations, Settings.defaults(), s -> {}, i -> {});
  }

  /**
   * Fixed-point iteration. Every iteration meta-trains on the same tasks (the meta task's seed);
   * φₖ is the selected (best held-out) φ of iteration k. An iteration <em>diverged</em> when its
   * meta-training stopped with a {@link MetaTraining.DivergedException}, when every held-out
   * evaluation of its meta-training diverged, when every meta-step was skipped, or when g(φₖ)
   * leaves the held-out tasks no better than it found them (mean final loss not finite or not
   * below the mean initial loss); the sequence stops there and the iteration says what and where.
   *
   * @param meta the meta task
   * @param first the meta-optimizer of iteration 0 (e.g. Adam)
   * @param planPerIteration the plan of each iteration's meta-training
   * @param iterations iterations after the first
   * @param settings start, meta-scale and tolerance
   * @param onEpoch reads the snapshot after every epoch of every iteration (e.g. for progress)
   * @param onIteration receives every iteration when it is done
   */
  public static FixedPoint fixedPoint(MetaTask meta, Optimizer first, MetaTraining.Plan planPerIteration,
      int iterations, Settings settings, Consumer<MetaTraining.Snapshot> onEpoch, Consumer<Iteration> onIteration) {
    if (iterations < 0) throw new IllegalArgumentException("fixedPoint: iterations must be ≥ 0, got " + iterations);
    int tail = Math.max(1, (planPerIteration.epochs() + 3) / 4);
    long[] validation = Evaluation.seeds(meta.seed(), "validation", planPerIteration.evaluationTasks());
    List<Iteration> done = List.empty();
    Tree previous = null;
    Optimizer metaOptimizer = first;
    for (int k = 0; k <= iterations; k++) {
      Tree from = settings.start() == Start.WARM && previous != null ? previous : meta.init();
      Iteration it;
      try {
        L2l learning = learning(meta, metaOptimizer, from, planPerIteration);
        Trained t = new Trained(meta, learning.snapshots().foldLeft(learning.first(), (a, b) -> {
          onEpoch.accept(b);
          return b;
        }));
        long skipped = skippedMetaSteps(t.snapshot());
        Evaluation.Summary held = Evaluation.Summary.of("", Evaluation.curves(
            planPerIteration.validationTask(meta).problem(), t.optimizer(), meta.horizon(), validation));
        double end = held.meanFinal(), begin = held.at(0);
        Option<String> divergence = Option.none();
        if (t.snapshot().everyEvaluationDiverged()) {
          divergence = Option.of("iteration " + k + " (meta-optimizer " + metaOptimizer.describe() + "): every held-out"
              + " evaluation of its meta-training diverged (on a validation task " + Divergence.rule() + ")");
        } else if (!(end < begin)) {
          divergence = Option.of(String.format(java.util.Locale.ROOT, "iteration %d (meta-optimizer %s): g(phi_%d) "
              + "leaves the held-out tasks at mean loss %.4g after %d steps, from %.4g at the start", k,
              metaOptimizer.describe(), k, end, meta.horizon(), begin));
        } else if (planPerIteration.epochs() > 0
            && skipped >= (long) planPerIteration.epochs() * meta.truncationsPerEpoch()) {
          divergence = Option.of("iteration " + k + ": every meta-step was skipped, the update of the meta-optimizer "
              + metaOptimizer.describe() + " was never finite");
        }
        double d = Double.NaN, rel = Double.NaN;
        if (previous != null) {
          d = t.best().minus(previous).norm().item();
          rel = d / previous.norm().item();
        }
        it = new Iteration(k, t, end, begin, t.meanMetaLoss(tail), d, rel,
            divergence.isEmpty() && rel < settings.tolerance(), skipped, divergence);
      } catch (MetaTraining.DivergedException e) {
        Trained t = new Trained(meta, e.lastGood());
        it = new Iteration(k, t, Double.POSITIVE_INFINITY, Double.NaN, t.meanMetaLoss(tail), Double.NaN, Double.NaN,
            false, skippedMetaSteps(e.lastGood()), Option.of("iteration " + k + " (meta-optimizer "
                + metaOptimizer.describe() + "): " + e.getMessage()));
      }
      done = done.append(it);
      onIteration.accept(it);
      if (it.diverged()) break;
      previous = it.phi();
      metaOptimizer = scaled(meta.learned(), previous, settings.metaScale());
    }
    return new FixedPoint(done, settings);
  }

  /** The count of meta-steps the {@code applyIfFinite} wrapper skipped, read from a snapshot's meta-optimizer state. */
  public static long skippedMetaSteps(MetaTraining.Snapshot s) {
    Tree state = s.metaOptState();
    return state != null && state.has("totalNotFinite") ? Math.round(state.tensor("totalNotFinite").item()) : 0;
  }

}
