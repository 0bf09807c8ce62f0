package l2l.optimizers.learned;

import io.vavr.Tuple2;
import java.util.function.Function;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * Reverse mode through a whole truncation recorded as one graph: works for every learned
 * optimizer (also ones that couple coordinates) and for φ traced at an enclosing level, in one
 * thread. The second-order mode differentiates through the optimizee's gradients (nested reverse
 * mode).
 */
record WholeGraph(LearnedOptimizer learned) implements Engine {

  @Override
  public Result run(Truncation tr) {
    int steps = tr.steps();
    double[] losses = new double[steps + 1];
    boolean exact = tr.exact();
    Engine.Loss loss = tr.loss();
    Function<Tree, Tuple2<Tensor, Tuple2<Tree, Tree>>> metaLoss = p -> {
      Optimizer opt = learned.apply(p);
      Tree theta = tr.theta();
      Tree state = tr.state();
      Tensor f0 = loss.at(theta, tr.first());
      losses[0] = f0.item();
      Tensor total = tr.stepLoss().apply(f0);
      for (int t = 0; t < steps; t++) {
        int step = tr.first() + t;
        Tree g = Autodiff.gradTree((Tree x) -> loss.at(x, step)).apply(exact ? theta : theta.detach());
        Optimizer.Update u = opt.update(g, state, theta);
        theta = Optimizer.apply(theta, u.updates());
        state = u.state();
        Tensor f = loss.at(theta, step + 1);
        losses[t + 1] = f.item();
        total = total.add(tr.stepLoss().apply(f));
      }
      return new Tuple2<>(total, new Tuple2<>(theta, state));
    };
    Autodiff.ValueGradAux<Tree, Tuple2<Tree, Tree>> r = Autodiff.valueAndGradWithAux(metaLoss).apply(tr.phi());
    Tree theta = r.aux()._1.detach();
    ValueAndGrad<Tree> last = loss.valueAndGrad(theta, tr.first() + steps);
    return new Result(r.value(), r.grad(), theta, r.aux()._2.detach(), losses, last);
  }

  @Override
  public String describe() {
    return "reverse mode (whole graph)";
  }
}
