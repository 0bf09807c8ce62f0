package l2l.optimizers;

import java.util.function.BiFunction;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * Two runs from the same θ₀, the learned rule's and the fallback's, each on its own gradients; the
 * guarded point is the learned run's while the smoothed gap between their new points' losses on the
 * step's loss stays within the tolerance, else the fallback run's. State: {@code learned} and
 * {@code mine} (the learned run's state and θ), {@code fallback} and {@code shadow} (the fallback
 * run's), {@code gap} (θ is at the fallback run's point when it is above the tolerance),
 * {@code count} and {@code overruled} (steps at the fallback's point). See {@link Transforms#guard}.
 */
record Guard(Optimizer learned, Optimizer fallback, double tolerance, double smoothing,
    BiFunction<Tree, Integer, Tensor> loss) implements Optimizer {
  @Override
  public Tree init(Tree params) {
    Tree p = params.detach();
    return Tree.empty().with("learned", learned.init(params)).with("mine", p).with("fallback", fallback.init(params))
        .with("shadow", p).with("gap", Tensor.scalar(0)).with("count", Ops.zeroCount())
        .with("overruled", Ops.zeroCount());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("guard", params, grads);
    int t = (int) Ops.steps(state.tensor("count"));
    double previous = state.tensor("gap").item();
    boolean wasOnFallback = previous > tolerance; // the last step's choice (g = 0 before the first)
    Tree mine = state.get("mine"), shadow = state.get("shadow");
    Tree myGrads = wasOnFallback ? gradient(mine, t) : grads, theirGrads = wasOnFallback ? grads : gradient(shadow, t);
    Update my = learned.update(myGrads, state.get("learned"), wasOnFallback ? mine : params);
    Update their = fallback.update(theirGrads, state.get("fallback"), wasOnFallback ? params : shadow);
    Tree myNext = Optimizer.apply(mine, my.updates()).detach(), theirNext = Optimizer.apply(shadow, their.updates()).detach();
    double fMine = loss.apply(myNext, t).item(), fTheirs = loss.apply(theirNext, t).item();
    double step = Double.isNaN(fMine) || fMine == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : fMine - fTheirs;
    double gap = t == 0 || smoothing == 0 ? step : smoothing * previous + (1 - smoothing) * step;
    boolean keep = !(gap > tolerance);
    Tree updates = keep ? (wasOnFallback ? myNext.minus(params.detach()) : my.updates())
        : (wasOnFallback ? their.updates() : theirNext.minus(params.detach()));
    Tensor overruled = state.tensor("overruled");
    return new Update(updates, Tree.empty().with("learned", my.state()).with("mine", myNext)
        .with("fallback", their.state()).with("shadow", theirNext).with("gap", Tensor.scalar(gap))
        .with("count", Ops.increment(state.tensor("count")))
        .with("overruled", keep ? overruled : Ops.increment(overruled)));
  }

  private Tree gradient(Tree at, int t) {
    return Autodiff.gradTree((Tree p) -> loss.apply(p, t)).apply(at);
  }

  @Override
  public String toString() {
    return "guard(tolerance=" + Numbers.num(tolerance) + ", smoothing=" + Numbers.num(smoothing) + ", " + learned
        + ", fallback " + fallback + ")";
  }
}
