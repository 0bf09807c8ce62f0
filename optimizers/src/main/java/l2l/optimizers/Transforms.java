package l2l.optimizers;

import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * The building blocks and combinators optimizers are made of, after optax. Each is an
 * {@link Optimizer} (a gradient transformation): it turns the incoming updates (the gradient, for
 * the first block of a chain) into new updates. Blocks rescale without flipping the sign; a
 * descent rule ends with {@code scale(-lr)}, e.g.
 * {@code chain(clipByGlobalNorm(1), scaleByAdam(), scale(-1e-3))}.
 *
 * <p>Hyperparameters that may need a derivative are accepted as 1×1 {@link Tensor}s (traced
 * ones make the updates differentiable in them), with {@code double} overloads for ordinary use.
 * Out-of-range values are refused with the value and the allowed range. Every block's
 * {@code toString} gives its hyperparameters. Defaults follow PyTorch (see each method).
 */
public final class Transforms {
  private Transforms() {}

  private static Tensor s(double v) {
    return Tensor.scalar(v);
  }

  // ------------------------------------------------------------------ combinators

  /**
   * The parts applied in order, each to the previous part's updates. The state is the tuple of
   * the parts' states ({@code Tree.tuple}: entries "0", "1", …).
   */
  public static Optimizer chain(Optimizer... parts) {
    if (parts.length == 0) throw new IllegalArgumentException("chain: expected at least one part");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] == null) throw new IllegalArgumentException("chain: part " + i + " is null");
    }
    return new Chain(List.of(parts));
  }

  /** The updates are the incoming gradients; no state. */
  public static Optimizer identity() {
    return new Identity();
  }

  /**
   * A different rule for each group of parameters: {@code labelOf} maps each leaf's path (e.g.
   * "conv1/w"; "" when the parameters are a single leaf) to a group label, {@code rules} maps each
   * label to its rule, which sees only its group's part of the tree (nesting kept). The state has
   * one entry per label that has parameters, named by the label. A label with no rule is an error
   * naming the label and the parameter.
   */
  public static Optimizer partition(Function<String, String> labelOf, Map<String, Optimizer> rules) {
    if (rules.isEmpty()) throw new IllegalArgumentException("partition: expected at least one labelled rule");
    rules.forEach((label, rule) -> {
      if (label == null || label.isEmpty() || label.contains("/")) {
        throw new IllegalArgumentException("partition: a label must be nonempty and must not contain '/', got '"
            + label + "'");
      }
      if (rule == null) throw new IllegalArgumentException("partition: the label '" + label + "' has a null rule");
    });
    return new Partition(labelOf, LinkedHashMap.ofEntries(rules));
  }

  /**
   * {@code inner} on the leaves whose path passes {@code mask}; the other leaves' updates are the
   * incoming ones unchanged. E.g. {@code masked(p -> !p.endsWith("/b"), addDecayedWeights(1e-4))}.
   */
  public static Optimizer masked(Predicate<String> mask, Optimizer inner) {
    if (mask == null || inner == null) throw new IllegalArgumentException("masked: the mask and the rule must not be null");
    return new Masked(mask, inner);
  }

  /**
   * Hyperparameters in the state: {@code factory} builds the rule from the step's values, each
   * given by a schedule. A {@link Schedules#constant} value is stored in the state under
   * {@code hyperparams/<name>} and read back from there at every step, so it can be replaced in
   * the state (e.g. by a traced tensor, to differentiate); other schedules are evaluated at the
   * step counter {@code count}. The state also records the values used at the last step.
   * Example: {@code injectHyperparams(h -> Optimizers.adam(h.get("lr")),
   * LinkedHashMap.of("lr", Schedules.cosineDecay(1e-3, 1000)))}. The inner rule's state structure
   * must not depend on the values.
   */
  public static Optimizer injectHyperparams(Function<Hyperparams, Optimizer> factory, Map<String, Schedule> hyperparams) {
    if (factory == null) throw new IllegalArgumentException("injectHyperparams: the factory must not be null");
    hyperparams.forEach((name, sch) -> {
      if (name == null || name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("injectHyperparams: a name must be nonempty and must not contain '/', got '"
            + name + "'");
      }
      if (sch == null) throw new IllegalArgumentException("injectHyperparams: the hyperparameter '" + name + "' is null");
    });
    return new InjectHyperparams(factory, LinkedHashMap.ofEntries(hyperparams));
  }

  /**
   * {@code inner}, but a step whose updates or new state are not all finite is skipped: the
   * update is zero and the inner state stays as it was; the state counts skipped steps
   * ({@code notFinite}: consecutive, {@code totalNotFinite}: all).
   */
  public static Optimizer applyIfFinite(Optimizer inner) {
    if (inner == null) throw new IllegalArgumentException("applyIfFinite: the rule must not be null");
    return new ApplyIfFinite(inner);
  }

  /**
   * {@code learned}, guarded by {@code fallback} on the loss f_t(θ) = {@code loss.apply(θ, t)} (e.g. a
   * task's {@code task::loss}; t counts this rule's updates from 0). Both rules run from θ₀, each on
   * its own points and gradients (one extra gradient of f per step, for the run θ is not at). After
   * step t both new points are judged on that step's loss: d_t = f_t(θᴸ_{t+1}) − f_t(θᶠ_{t+1}), +∞
   * when the learned loss is not finite, smoothed as g_t = s·g_{t−1} + (1 − s)·d_t (g_0 = d_0).
   * θ_{t+1} is the learned run's point while g_t ≤ tolerance, else the fallback's. With s = 0, for
   * every loss and every learned rule, f_t(θ_{t+1}) ≤ f_t(θᶠ_{t+1}) + tolerance at every step (up to
   * the rounding of a move between the runs): for a deterministic f the guarded run is never worse
   * than the fallback alone by more than the tolerance. On minibatches one batch's losses are noisy;
   * with s > 0 the choice follows the gap over about 1/(1 − s) steps. State: {@code learned},
   * {@code mine} (θᴸ), {@code fallback}, {@code shadow} (θᶠ), {@code gap}, {@code count},
   * {@code overruled} (steps at θᶠ). Not differentiable through the choice.
   *
   * @param smoothing s ∈ [0, 1)
   */
  public static Optimizer guard(Optimizer learned, Optimizer fallback, double tolerance, double smoothing,
      BiFunction<Tree, Integer, Tensor> loss) {
    if (learned == null || fallback == null || loss == null) {
      throw new IllegalArgumentException("guard: the learned rule, the fallback and the loss must not be null");
    }
    Checks.requireInRange("guard", "tolerance", tolerance, 0, Double.POSITIVE_INFINITY);
    Checks.requireDecay("guard", "smoothing", smoothing);
    return new Guard(learned, fallback, tolerance, smoothing, loss);
  }

  /**
   * {@code inner} with a learning rate that adapts per run: its updates scaled by exp(a), where the
   * log rate a starts at 0 and each step moves by −β·cos(∇_t, Δ_{t−1}) — up while successive steps
   * agree, down when the gradient turns against the last step (a normalised hypergradient descent,
   * Baydin et al. 2018). β ≥ 0; β = 0 is {@code inner}.
   */
  public static Optimizer hypergradient(Optimizer inner, double beta) {
    if (inner == null) throw new IllegalArgumentException("hypergradient: the rule must not be null");
    Checks.requireNonNegative("hypergradient", "beta", beta);
    return new HypergradientRate(inner, beta);
  }

  /**
   * Gradient accumulation over {@code every} steps: the first {@code every − 1} steps of each
   * round give a zero update and add their gradient to the state; the last one applies
   * {@code inner} to the mean gradient of the round.
   */
  public static Optimizer multiSteps(Optimizer inner, int every) {
    if (inner == null) throw new IllegalArgumentException("multiSteps: the rule must not be null");
    Checks.requireAtLeast("multiSteps", "every", every, 1);
    return new MultiSteps(inner, every);
  }

  /**
   * {@code inner}, keeping in its state the exponential moving average of the parameters after
   * each update, a ← d·a + (1 − d)·θ from a₀ = θ₀ (Polyak averaging with decay d in [0, 1)); θ
   * moves as under {@code inner}. Read the average with {@link #averageOf}.
   */
  public static Optimizer averaged(Optimizer inner, double decay) {
    if (inner == null) throw new IllegalArgumentException("averaged: the rule must not be null");
    Checks.requireDecay("averaged", "decay", decay);
    return new Averaged(inner, decay);
  }

  /** The parameters' average in a state of a rule built with {@link #averaged} (also wrapped in others), if any. */
  public static io.vavr.control.Option<Tree> averageOf(Tree state) {
    return Averaged.find(state);
  }

  /**
   * Lookahead (Zhang et al. 2019): {@code fast} moves θ; every {@code syncPeriod} steps the slow
   * weights φ (in the state, starting at θ₀) move to φ + α(θ − φ) and θ is set to them.
   * The paper's defaults are syncPeriod = 5, α = 0.5.
   */
  public static Optimizer lookahead(Optimizer fast, int syncPeriod, double alpha) {
    return lookahead(fast, syncPeriod, s(alpha));
  }

  /** {@link #lookahead(Optimizer, int, double)} with a 1×1 α in [0, 1]. */
  public static Optimizer lookahead(Optimizer fast, int syncPeriod, Tensor alpha) {
    if (fast == null) throw new IllegalArgumentException("lookahead: the rule must not be null");
    Checks.requireAtLeast("lookahead", "syncPeriod", syncPeriod, 1);
    Checks.requireInRange("lookahead", "alpha", Checks.requireScalar("lookahead", "alpha", alpha).item(), 0, 1);
    return new Lookahead(fast, syncPeriod, alpha);
  }

  // ------------------------------------------------------------------ scaling

  /** Δ = factor · g (any sign: {@code scale(-lr)} turns a direction into a descent step). */
  public static Optimizer scale(double factor) {
    return scale(s(factor));
  }

  /** Δ = factor · g, differentiable in a traced 1×1 factor. */
  public static Optimizer scale(Tensor factor) {
    return new Scale(Checks.requireFinite("scale", "factor", factor));
  }

  /**
   * Δ = schedule(count) · g, with the step counter {@code count} in the state (0 for the first
   * update). {@code scaleBySchedule(Schedules.cosineDecay(-lr, steps))} is a decaying descent step.
   */
  public static Optimizer scaleBySchedule(Schedule schedule) {
    if (schedule == null) throw new IllegalArgumentException("scaleBySchedule: the schedule must not be null");
    return new ScaleBySchedule(schedule);
  }

  /** Adam's rescaling with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ε_root = 0. */
  public static Optimizer scaleByAdam() {
    return scaleByAdam(0.9, 0.999, 1e-8);
  }

  /** Adam's rescaling with ε_root = 0. */
  public static Optimizer scaleByAdam(double b1, double b2, double eps) {
    return scaleByAdam(s(b1), s(b2), s(eps), s(0));
  }

  /**
   * Adam's rescaling: μ' = β₁μ + (1 − β₁)g, ν' = β₂ν + (1 − β₂)g², Δ = μ̂ / (√(ν̂ + ε_root) + ε) with
   * μ̂ = μ'/(1 − β₁ᵗ), ν̂ = ν'/(1 − β₂ᵗ) at step t = 1, 2, …. State: {@code count, mu, nu} (zeros).
   * β₁, β₂ ∈ [0, 1); ε, ε_root ≥ 0. (The square root's derivative is taken as 0 where ν̂ + ε_root
   * is 0, so zero gradient coordinates do not make hypergradients NaN.)
   */
  public static Optimizer scaleByAdam(Tensor b1, Tensor b2, Tensor eps, Tensor epsRoot) {
    String who = "scaleByAdam";
    return new ScaleByAdam(Checks.requireDecay(who, "b1", b1), Checks.requireDecay(who, "b2", b2),
        Checks.requireNonNegative(who, "eps", eps), Checks.requireNonNegative(who, "epsRoot", epsRoot));
  }

  /** RMSprop's rescaling with PyTorch's defaults α = 0.99, ε = 1e-8. */
  public static Optimizer scaleByRms() {
    return scaleByRms(0.99, 1e-8);
  }

  /** RMSprop's rescaling with decay α and ε. */
  public static Optimizer scaleByRms(double decay, double eps) {
    return scaleByRms(s(decay), s(eps));
  }

  /**
   * RMSprop's rescaling as PyTorch computes it: ν' = αν + (1 − α)g², Δ = g / (√ν' + ε) (ε outside
   * the root; ν starts at 0). State: {@code nu}. α ∈ [0, 1), ε ≥ 0.
   */
  public static Optimizer scaleByRms(Tensor decay, Tensor eps) {
    return new ScaleByRms(Checks.requireDecay("scaleByRms", "decay", decay),
        Checks.requireNonNegative("scaleByRms", "eps", eps));
  }

  /** Centered RMSprop's rescaling with decay α and ε. */
  public static Optimizer scaleByStddev(double decay, double eps) {
    return scaleByStddev(s(decay), s(eps));
  }

  /**
   * Centered RMSprop's rescaling (PyTorch's {@code centered=True}): μ' = αμ + (1 − α)g,
   * ν' = αν + (1 − α)g², Δ = g / (√(ν' − μ'²) + ε). State: {@code mu, nu}.
   */
  public static Optimizer scaleByStddev(Tensor decay, Tensor eps) {
    return new ScaleByStddev(Checks.requireDecay("scaleByStddev", "decay", decay),
        Checks.requireNonNegative("scaleByStddev", "eps", eps));
  }

  /** Adagrad's rescaling with PyTorch's defaults: initial accumulator 0, ε = 1e-10. */
  public static Optimizer scaleByRss() {
    return scaleByRss(0, 1e-10);
  }

  /** Adagrad's rescaling with the given initial accumulator value and ε. */
  public static Optimizer scaleByRss(double initialAccumulator, double eps) {
    return scaleByRss(s(initialAccumulator), s(eps));
  }

  /**
   * Adagrad's rescaling (root of the sum of squares) as PyTorch computes it: s' = s + g²,
   * Δ = g / (√s' + ε). State: {@code sum}, starting at the initial accumulator value (≥ 0).
   */
  public static Optimizer scaleByRss(Tensor initialAccumulator, Tensor eps) {
    return new ScaleByRss(Checks.requireNonNegative("scaleByRss", "initialAccumulator", initialAccumulator),
        Checks.requireNonNegative("scaleByRss", "eps", eps));
  }

  /** Δ = sign(g) coordinatewise (−1, 0 or 1; no derivative); no state. */
  public static Optimizer scaleBySign() {
    return new ScaleBySign();
  }

  /** Rprop's rescaling with PyTorch's defaults: η = (0.5, 1.2), step sizes in [1e-6, 50]. */
  public static Optimizer scaleByRprop(double initialStep) {
    return scaleByRprop(s(initialStep), 0.5, 1.2, 1e-6, 50);
  }

  /**
   * Rprop's rescaling as PyTorch computes it, keeping the gradient's sign (end with
   * {@code scale(-1)} to descend): per coordinate a step size, starting at {@code initialStep},
   * grows by η₊ while the gradient keeps its sign and shrinks by η₋ when it flips, clamped to
   * [minStep, maxStep]; after a flip the coordinate does not move and its gradient counts as 0.
   * Δ = sign(g)·step. State: {@code prev, step}. Needs 0 &lt; η₋ &lt; 1 &lt; η₊ and
   * 0 ≤ minStep ≤ maxStep.
   */
  public static Optimizer scaleByRprop(Tensor initialStep, double etaMinus, double etaPlus, double minStep,
      double maxStep) {
    String who = "scaleByRprop";
    Checks.requireNonNegative(who, "initialStep", initialStep);
    if (!(etaMinus > 0 && etaMinus < 1)) {
      throw new IllegalArgumentException(who + ": etaMinus = " + Numbers.num(etaMinus) + " is outside the allowed range (0, 1)");
    }
    if (!(etaPlus > 1) || Double.isInfinite(etaPlus)) {
      throw new IllegalArgumentException(who + ": etaPlus = " + Numbers.num(etaPlus) + " is outside the allowed range (1, ∞)");
    }
    Checks.requireNonNegative(who, "minStep", s(minStep));
    Checks.requireInRange(who, "maxStep", maxStep, minStep, Double.MAX_VALUE);
    return new ScaleByRprop(initialStep, etaMinus, etaPlus, minStep, maxStep);
  }

  // ------------------------------------------------------------------ momentum, clipping, decay

  /** Momentum: the trace t' = g + decay·t; Δ = t' (heavy ball), or g + decay·t' with Nesterov. */
  public static Optimizer trace(double decay, boolean nesterov) {
    return trace(s(decay), nesterov);
  }

  /**
   * Momentum as PyTorch's SGD buffer (no dampening): t' = g + decay·t (t starts at 0, so the first
   * trace is g); Δ = t', or with {@code nesterov} Δ = g + decay·t'. State: {@code trace}. decay ∈ [0, 1).
   */
  public static Optimizer trace(Tensor decay, boolean nesterov) {
    return new Trace(Checks.requireDecay("trace", "decay", decay), nesterov);
  }

  /** Scales the updates together so their global Euclidean norm is at most {@code maxNorm} (≥ 0). */
  public static Optimizer clipByGlobalNorm(double maxNorm) {
    return clipByGlobalNorm(s(maxNorm));
  }

  /**
   * Δ = g · maxNorm / max(‖g‖, maxNorm), ‖g‖ the norm of all coordinates together (optax's
   * clip_by_global_norm; PyTorch's clip_grad_norm_ adds 1e-6 to the norm). No state.
   */
  public static Optimizer clipByGlobalNorm(Tensor maxNorm) {
    return new ClipByGlobalNorm(Checks.requireNonNegative("clipByGlobalNorm", "maxNorm", maxNorm));
  }

  /** Each coordinate clamped to [−maxDelta, maxDelta] (maxDelta ≥ 0). */
  public static Optimizer clip(double maxDelta) {
    return clip(s(maxDelta));
  }

  /** Each coordinate clamped to [−maxDelta, maxDelta]; differentiable in a traced maxDelta. */
  public static Optimizer clip(Tensor maxDelta) {
    return new Clip(Checks.requireNonNegative("clip", "maxDelta", maxDelta));
  }

  /** Δ = g + weightDecay · θ (weightDecay ≥ 0). Before {@code scale(-lr)} this is decoupled weight decay. */
  public static Optimizer addDecayedWeights(double weightDecay) {
    return addDecayedWeights(s(weightDecay));
  }

  /** Δ = g + weightDecay · θ, differentiable in a traced weightDecay. */
  public static Optimizer addDecayedWeights(Tensor weightDecay) {
    return new AddDecayedWeights(Checks.requireNonNegative("addDecayedWeights", "weightDecay", weightDecay));
  }
}
