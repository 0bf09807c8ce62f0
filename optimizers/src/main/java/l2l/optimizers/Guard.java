package l2l.optimizers;

import java.util.function.BiFunction;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/**
 * The learned step unless it ends above the fallback-alone run by more than the tolerance; then the
 * fallback-alone run's point. The state carries that run ({@code shadow}: its θ, {@code fallback}:
 * its state) besides the learned rule's state, a step counter and the number of overruled steps.
 * See {@link Transforms#guard}.
 */
record Guard(Optimizer learned, Optimizer fallback, double tolerance, BiFunction<Tree, Integer, Tensor> loss)
    implements Optimizer {
  @Override
  public Tree init(Tree params) {
    return Tree.empty().with("learned", learned.init(params)).with("fallback", fallback.init(params))
        .with("shadow", params.detach()).with("count", Ops.zeroCount()).with("overruled", Ops.zeroCount());
  }

  @Override
  public Update update(Tree grads, Tree state, Tree params) {
    Checks.requireGradientsFit("guard", params, grads);
    int t = (int) Ops.steps(state.tensor("count"));
    Update mine = learned.update(grads, state.get("learned"), params);
    Tree shadow = state.get("shadow");
    Tree shadowGrad = Autodiff.gradTree((Tree p) -> loss.apply(p, t)).apply(shadow);
    Update theirs = fallback.update(shadowGrad, state.get("fallback"), shadow);
    Tree next = Optimizer.apply(shadow, theirs.updates()).detach();
    double fMine = loss.apply(Optimizer.apply(params, mine.updates()).detach(), t).item();
    boolean keep = Double.isFinite(fMine) && !(fMine > loss.apply(next, t).item() + tolerance);
    Tensor overruled = state.tensor("overruled");
    return new Update(keep ? mine.updates() : next.minus(params.detach()), Tree.empty().with("learned", mine.state())
        .with("fallback", theirs.state()).with("shadow", next).with("count", Ops.increment(state.tensor("count")))
        .with("overruled", keep ? overruled : Ops.increment(overruled)));
  }

  @Override
  public String toString() {
    return "guard(tolerance=" + Numbers.num(tolerance) + ", " + learned + ", fallback " + fallback + ")";
  }
}
