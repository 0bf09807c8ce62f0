package l2l.optimizers;

import static l2l.optimizers.Transforms.addDecayedWeights;
import static l2l.optimizers.Transforms.chain;
import static l2l.optimizers.Transforms.scale;
import static l2l.optimizers.Transforms.scaleByAdam;
import static l2l.optimizers.Transforms.scaleByRms;
import static l2l.optimizers.Transforms.scaleByRprop;
import static l2l.optimizers.Transforms.scaleByRss;
import static l2l.optimizers.Transforms.scaleByStddev;
import static l2l.optimizers.Transforms.trace;

import l2l.autodiff.Tensor;

/**
 * The hand-designed optimizers the paper compares against, each a one-line {@link Transforms#chain}
 * ending in {@code scale(-lr)} (so Δθ points downhill and θ' = θ + Δθ). Defaults are PyTorch's
 * ({@code torch.optim}), and each rule reproduces PyTorch's update formula: Adam β = (0.9, 0.999),
 * ε = 1e-8 added outside the square root, with bias correction; RMSprop α = 0.99, ε = 1e-8;
 * Adagrad ε = 1e-10, initial accumulator 0; Rprop η = (0.5, 1.2), step sizes in [1e-6, 50];
 * AdamW weight decay 0.01; NAG is SGD with Nesterov momentum. Default learning rates are
 * PyTorch's where it has one (Adam, AdamW 1e-3; RMSprop, Adagrad, Rprop 1e-2); SGD has none, and
 * momentum's 0.9 is the usual choice (PyTorch's default momentum is 0).
 *
 * <p>Learning rates must be ≥ 0 and decay rates in [0, 1); anything else is refused with the
 * value and the allowed range. Each optimizer's {@code toString} names it with its
 * hyperparameters; its state is the chain's tuple of its parts' states. The {@code Tensor}
 * overloads take 1×1 tensors and are differentiable in them when they are traced.
 */
public final class Optimizers {
  private Optimizers() {}

  private static Tensor s(double v) {
    return Tensor.scalar(v);
  }

  private static Tensor lr(String who, Tensor lr) {
    return Checks.requireNonNegative(who, "the learning rate lr", lr);
  }

  private static Optimizer named(String who, Optimizer rule, Object... nameValue) {
    StringBuilder sb = new StringBuilder(who).append('(');
    for (int i = 0; i < nameValue.length; i += 2) {
      if (i > 0) sb.append(", ");
      Object v = nameValue[i + 1];
      sb.append(nameValue[i]).append('=').append(v instanceof Tensor t ? Numbers.num(t) : v);
    }
    return new Named(sb.append(')').toString(), rule);
  }

  // ------------------------------------------------------------------ SGD and momentum

  /** Plain gradient descent: Δθ = −lr·g. */
  public static Optimizer sgd(double lr) {
    return sgd(s(lr));
  }

  /** Plain gradient descent, differentiable in a traced lr: {@code chain(scale(-lr))}. */
  public static Optimizer sgd(Tensor lr) {
    lr("sgd", lr);
    return named("sgd", chain(scale(Ops.neg(lr))), "lr", lr);
  }

  /** SGD with heavy-ball momentum 0.9. */
  public static Optimizer momentum(double lr) {
    return momentum(lr, 0.9);
  }

  /** SGD with heavy-ball momentum (PyTorch's SGD with momentum, dampening 0): b' = βb + g, Δθ = −lr·b'. */
  public static Optimizer momentum(double lr, double beta) {
    return momentum(s(lr), s(beta));
  }

  /** SGD with heavy-ball momentum: {@code chain(trace(beta), scale(-lr))}. */
  public static Optimizer momentum(Tensor lr, Tensor beta) {
    lr("momentum", lr);
    Checks.requireDecay("momentum", "the momentum beta", beta);
    return named("momentum", chain(trace(beta, false), scale(Ops.neg(lr))), "lr", lr, "beta", beta);
  }

  /** Nesterov's accelerated gradient with momentum 0.9. */
  public static Optimizer nag(double lr) {
    return nag(lr, 0.9);
  }

  /**
   * Nesterov's accelerated gradient as PyTorch's SGD with {@code nesterov=True}: b' = βb + g,
   * Δθ = −lr·(g + βb').
   */
  public static Optimizer nag(double lr, double beta) {
    return nag(s(lr), s(beta));
  }

  /** Nesterov's accelerated gradient: {@code chain(trace(beta, nesterov), scale(-lr))}. */
  public static Optimizer nag(Tensor lr, Tensor beta) {
    lr("nag", lr);
    Checks.requireDecay("nag", "the momentum beta", beta);
    return named("nag", chain(trace(beta, true), scale(Ops.neg(lr))), "lr", lr, "beta", beta);
  }

  // ------------------------------------------------------------------ RMSprop, Adagrad

  /** RMSprop with PyTorch's defaults: lr = 1e-2, α = 0.99, ε = 1e-8. */
  public static Optimizer rmsprop() {
    return rmsprop(1e-2);
  }

  /** RMSprop with α = 0.99, ε = 1e-8. */
  public static Optimizer rmsprop(double lr) {
    return rmsprop(lr, 0.99, 1e-8);
  }

  /** RMSprop: ν' = αν + (1 − α)g², Δθ = −lr·g/(√ν' + ε). */
  public static Optimizer rmsprop(double lr, double alpha, double eps) {
    return rmsprop(s(lr), s(alpha), s(eps));
  }

  /** RMSprop, differentiable in traced hyperparameters: {@code chain(scaleByRms(alpha, eps), scale(-lr))}. */
  public static Optimizer rmsprop(Tensor lr, Tensor alpha, Tensor eps) {
    lr("rmsprop", lr);
    return named("rmsprop", chain(scaleByRms(alpha, eps), scale(Ops.neg(lr))), "lr", lr, "alpha", alpha, "eps", eps);
  }

  /**
   * RMSprop with PyTorch's other options: {@code centered} divides by the running standard
   * deviation instead of the root mean square; a momentum &gt; 0 adds a trace after the
   * rescaling (PyTorch's b' = βb + g/(√ν' + ε), Δθ = −lr·b').
   */
  public static Optimizer rmsprop(double lr, double alpha, double eps, double momentum, boolean centered) {
    String who = "rmsprop";
    lr(who, s(lr));
    Checks.requireDecay(who, "the momentum", s(momentum));
    Optimizer rescale = centered ? scaleByStddev(alpha, eps) : scaleByRms(alpha, eps);
    Optimizer rule = momentum > 0 ? chain(rescale, trace(momentum, false), scale(-lr)) : chain(rescale, scale(-lr));
    return named(who, rule, "lr", Numbers.num(lr), "alpha", Numbers.num(alpha), "eps", Numbers.num(eps), "momentum",
        Numbers.num(momentum), "centered", centered);
  }

  /** Adagrad with PyTorch's defaults: lr = 1e-2, initial accumulator 0, ε = 1e-10. */
  public static Optimizer adagrad() {
    return adagrad(1e-2);
  }

  /** Adagrad with initial accumulator 0 and ε = 1e-10. */
  public static Optimizer adagrad(double lr) {
    return adagrad(lr, 0, 1e-10);
  }

  /** Adagrad: s' = s + g², Δθ = −lr·g/(√s' + ε). */
  public static Optimizer adagrad(double lr, double initialAccumulator, double eps) {
    return adagrad(s(lr), s(initialAccumulator), s(eps));
  }

  /** Adagrad, differentiable in traced hyperparameters: {@code chain(scaleByRss(init, eps), scale(-lr))}. */
  public static Optimizer adagrad(Tensor lr, Tensor initialAccumulator, Tensor eps) {
    lr("adagrad", lr);
    return named("adagrad", chain(scaleByRss(initialAccumulator, eps), scale(Ops.neg(lr))), "lr", lr,
        "initialAccumulator", initialAccumulator, "eps", eps);
  }

  // ------------------------------------------------------------------ Adam

  /** Adam with PyTorch's defaults: lr = 1e-3, β = (0.9, 0.999), ε = 1e-8. */
  public static Optimizer adam() {
    return adam(1e-3);
  }

  /** Adam with β = (0.9, 0.999), ε = 1e-8. */
  public static Optimizer adam(double lr) {
    return adam(lr, 0.9, 0.999, 1e-8);
  }

  /** Adam with β = (0.9, 0.999), ε = 1e-8, differentiable in a traced lr. */
  public static Optimizer adam(Tensor lr) {
    return adam(lr, s(0.9), s(0.999), s(1e-8));
  }

  /** Adam: Δθ = −lr·μ̂/(√ν̂ + ε) with bias-corrected moments (see {@link Transforms#scaleByAdam()}). */
  public static Optimizer adam(double lr, double b1, double b2, double eps) {
    return adam(s(lr), s(b1), s(b2), s(eps));
  }

  /** Adam, differentiable in traced hyperparameters: {@code chain(scaleByAdam(b1, b2, eps), scale(-lr))}. */
  public static Optimizer adam(Tensor lr, Tensor b1, Tensor b2, Tensor eps) {
    lr("adam", lr);
    return named("adam", chain(scaleByAdam(b1, b2, eps, s(0)), scale(Ops.neg(lr))), "lr", lr, "b1", b1, "b2", b2,
        "eps", eps);
  }

  /** AdamW with PyTorch's defaults: lr = 1e-3, β = (0.9, 0.999), ε = 1e-8, weight decay 0.01. */
  public static Optimizer adamw() {
    return adamw(1e-3);
  }

  /** AdamW with β = (0.9, 0.999), ε = 1e-8, weight decay 0.01. */
  public static Optimizer adamw(double lr) {
    return adamw(lr, 0.01);
  }

  /** AdamW with β = (0.9, 0.999), ε = 1e-8. */
  public static Optimizer adamw(double lr, double weightDecay) {
    return adamw(s(lr), s(0.9), s(0.999), s(1e-8), s(weightDecay));
  }

  /**
   * AdamW (decoupled weight decay, as PyTorch): Δθ = −lr·(μ̂/(√ν̂ + ε) + weightDecay·θ):
   * {@code chain(scaleByAdam(b1, b2, eps), addDecayedWeights(weightDecay), scale(-lr))}.
   */
  public static Optimizer adamw(Tensor lr, Tensor b1, Tensor b2, Tensor eps, Tensor weightDecay) {
    lr("adamw", lr);
    return named("adamw", chain(scaleByAdam(b1, b2, eps, s(0)), addDecayedWeights(weightDecay), scale(Ops.neg(lr))),
        "lr", lr, "b1", b1, "b2", b2, "eps", eps, "weightDecay", weightDecay);
  }

  // ------------------------------------------------------------------ Rprop

  /** Rprop with PyTorch's defaults: initial step lr = 1e-2, η = (0.5, 1.2), step sizes in [1e-6, 50]. */
  public static Optimizer rprop() {
    return rprop(1e-2);
  }

  /** Rprop with η = (0.5, 1.2) and step sizes in [1e-6, 50]; lr is the initial step size. */
  public static Optimizer rprop(double lr) {
    return rprop(s(lr), 0.5, 1.2, 1e-6, 50);
  }

  /**
   * Rprop as PyTorch computes it (see {@link Transforms#scaleByRprop}); lr is the initial step
   * size: {@code chain(scaleByRprop(lr, …), scale(-1))}.
   */
  public static Optimizer rprop(Tensor lr, double etaMinus, double etaPlus, double minStep, double maxStep) {
    lr("rprop", lr);
    return named("rprop", chain(scaleByRprop(lr, etaMinus, etaPlus, minStep, maxStep), scale(-1)), "lr", lr,
        "etas", "(" + Numbers.num(etaMinus) + ", " + Numbers.num(etaPlus) + ")",
        "stepSizes", "(" + Numbers.num(minStep) + ", " + Numbers.num(maxStep) + ")");
  }
}
