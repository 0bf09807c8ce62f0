package l2l.optimizers;

import io.vavr.collection.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;

/** Test helpers: running an optimizer for a few steps and recording what happened. */
final class Runs {
  private Runs() {}

  /** Parameters θ₀ … θ_T, the updates Δ₁ … Δ_T and the states s₀ … s_T of a run. */
  record Trajectory(List<Tree> params, List<Tree> updates, List<Tree> states) {
    Tree last() {
      return params.last();
    }
  }

  /** T steps from θ₀, the gradient at step t (0-based) being {@code grad.apply(θ_t, t)}. */
  static Trajectory run(Optimizer opt, Tree theta0, BiFunction<Tree, Integer, Tree> grad, int steps) {
    List<Tree> ps = List.of(theta0), us = List.empty(), ss = List.empty();
    Tree theta = theta0;
    Tree state = opt.init(theta0);
    ss = ss.append(state);
    for (int t = 0; t < steps; t++) {
      Optimizer.Update u = opt.update(grad.apply(theta, t), state, theta);
      theta = Optimizer.apply(theta, u.updates());
      state = u.state();
      ps = ps.append(theta);
      us = us.append(u.updates());
      ss = ss.append(state);
    }
    return new Trajectory(ps, us, ss);
  }

  /** Gradients drawn afresh at each step, in [-1, 1), from a seed (independent of θ). */
  static BiFunction<Tree, Integer, Tree> randomGrads(long seed) {
    return (theta, t) -> {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + t);
      return theta.map(x -> Tensor.uniform(x.rows(), x.cols(), -1, 1, r));
    };
  }

  /** The gradient of ½ Σ a·(θ − c)² with fixed a &gt; 0 and c drawn from a seed: a ⊙ (θ − c). */
  static BiFunction<Tree, Integer, Tree> quadraticGrads(Tree like, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tree a = like.map(x -> Tensor.uniform(x.rows(), x.cols(), 0.5, 3, r));
    Tree c = like.map(x -> Tensor.uniform(x.rows(), x.cols(), -1, 1, r));
    return (theta, t) -> Tree.zip3(theta, a, c, (x, ai, ci) -> x.sub(ci).mul(ai));
  }

  /** The largest entrywise difference, relative to max(1, |a|, |b|). */
  static double error(Tree a, Tree b) {
    return l2l.autodiff.GradCheck.maxError(a, b);
  }

  /** The exact same values, bit for bit, in the same structure. */
  static boolean identical(Tree a, Tree b) {
    if (!a.sameStructure(b)) return false;
    List<Tensor> la = a.leaves(), lb = b.leaves();
    for (int i = 0; i < la.size(); i++) {
      double[] x = la.get(i).toArray(), y = lb.get(i).toArray();
      for (int j = 0; j < x.length; j++) {
        if (Double.doubleToLongBits(x[j]) != Double.doubleToLongBits(y[j])) return false;
      }
    }
    return true;
  }

  /** A parameter tree of one scalar named x. */
  static Tree scalar(double x) {
    return Tree.of("x", Tensor.scalar(x));
  }

  /** The value of the scalar named x. */
  static double x(Tree t) {
    return t.tensor("x").item();
  }
}
