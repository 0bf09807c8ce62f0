package l2l.optimizers.learned;

import l2l.autodiff.Autodiff;
import l2l.autodiff.Autodiff.ValueAndGrad;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;

/**
 * Reverse mode through a coordinatewise learned optimizer, one block of rows at a time, on every
 * core. A coordinatewise optimizer is the same function on every coordinate (each state leaf has
 * one row per coordinate, and rows do not interact), so a step is a map over fixed blocks of
 * rows ({@link RowParallel}): each block records its own graph of each step and keeps the step's
 * pullback ({@link Autodiff#vjp}), applied once backward ({@link Autodiff.Pullback#applyLast}: the
 * ops' buffers go back for the next truncation). Backward, the chain rule joins the steps: with the first-order
 * meta-gradient the blocks are independent for the whole truncation; with the second-order one,
 * each step's cotangent of the gradient input also flows back into θ through the optimizee's
 * Hessian (one Hessian-vector product per step).
 *
 * <p>Blocks depend on the number of coordinates only, and their contributions to ∂L/∂φ are added
 * in block order: the result has the same bits at any thread count.
 */
final class RowBlocks implements Engine {
  private final LearnedOptimizer learned;
  private final WholeGraph whole;

  RowBlocks(LearnedOptimizer learned) {
    this.learned = learned;
    this.whole = new WholeGraph(learned);
  }

  @Override
  public String describe() {
    return "reverse mode (row blocks)";
  }

  @Override
  public Result run(Truncation tr) {
    if (tr.phi().leaves().exists(Tensor::isTraced)) return whole.run(tr);
    int steps = tr.steps();
    boolean exact = tr.exact();
    Tree theta0 = tr.theta();
    int n = theta0.size();
    int rowsPerBlock = Integer.getInteger("l2l.blockRows", RowParallel.BLOCK_ROWS);
    int nb = Math.max(1, (n + rowsPerBlock - 1) / rowsPerBlock);
    int[] start = new int[nb + 1];
    for (int b = 0; b <= nb; b++) start[b] = (int) ((long) n * b / nb);
    Tree[] state = new Tree[nb];
    for (int b = 0; b < nb; b++) {
      int r0 = start[b], r1 = start[b + 1];
      state[b] = nb == 1 ? tr.state() : tr.state().map(t -> t.sliceCols(r0, r1));
    }
    Tree phi = tr.phi();
    Engine.Loss loss = tr.loss();
    Autodiff.Pullback[][] pullbacks = new Autodiff.Pullback[steps][nb];
    Tensor[] grads = new Tensor[steps + 1];
    double[] slopes = new double[steps + 1];
    double[] losses = new double[steps + 1];
    ValueAndGrad<Tree> vg = tr.start();
    double[] th = theta0.flatten().toArray();
    Tensor[] thetas = exact ? new Tensor[steps + 1] : null;
    Tree theta = theta0;
    for (int t = 0; ; t++) {
      losses[t] = vg.value().item();
      slopes[t] = tr.stepLoss().slope(losses[t]);
      grads[t] = vg.grad().flatten().reshape(1, n);
      if (exact) thetas[t] = Tensor.fromRowMajor(n, 1, th);
      if (t == steps) break;
      Tensor g = grads[t];
      Tensor thetaCol = Tensor.fromRowMajor(1, n, th);
      double[] delta = new double[n];
      int step = t;
      RowParallel.forEachBlock(nb, b -> {
        int r0 = start[b], r1 = start[b + 1];
        Tensor gb = nb == 1 ? g : g.sliceCols(r0, r1);
        Tensor thb = nb == 1 ? thetaCol : thetaCol.sliceCols(r0, r1);
        Tree in = Tree.of("phi", phi).with("state", state[b]).with("theta", thb);
        if (exact) in = in.with("g", gb);
        Autodiff.Pullback p = Autodiff.vjp(x -> {
          Tensor gx = exact ? x.tensor("g") : gb;
          Optimizer.Update u = learned.apply(x.get("phi")).update(Tree.leaf(gx), x.get("state"),
              Tree.leaf(x.tensor("theta")));
          return Tree.of("delta", u.updates().tensor()).with("state", u.state());
        }, in);
        pullbacks[step][b] = p;
        state[b] = p.value().get("state");
        p.value().tensor("delta").copyTo(delta, r0);
      });
      for (int i = 0; i < n; i++) th[i] += delta[i];
      theta = theta0.unflatten(Tensor.fromRowMajor(n, 1, th));
      vg = loss.valueAndGrad(theta, tr.first() + t + 1);
    }
    double metaLoss = 0;
    for (double v : losses) metaLoss += tr.stepLoss().value(v);

    Tree[] phiGrad = new Tree[nb];
    if (!exact) {
      RowParallel.forEachBlock(nb, b -> phiGrad[b] = backwardFirstOrder(pullbacks, b, start[b], start[b + 1], grads,
          slopes, steps));
    } else {
      backwardSecondOrder(pullbacks, phiGrad, start, grads, thetas, slopes, steps, loss, tr.first(), theta0);
    }
    Tree grad = phiGrad[0];
    for (int b = 1; b < nb; b++) grad = grad.plus(phiGrad[b]);
    Tree finalState = nb == 1 ? state[0] : InBlocks.concatCols(state);
    return new Result(Tensor.scalar(metaLoss), grad, theta, finalState, losses, vg);
  }

  /** ∂L/∂φ from one block when ∇f is a constant input: θ's cotangent stays within the block's rows. */
  private static Tree backwardFirstOrder(Autodiff.Pullback[][] pullbacks, int b, int r0, int r1, Tensor[] grads,
      double[] slopes, int steps) {
    int rows = r1 - r0;
    boolean whole = pullbacks[0].length == 1;
    Tensor dTheta = cols(grads[steps], r0, r1, whole).mul(slopes[steps]);
    Tree dState = pullbacks[steps - 1][b].value().get("state").zerosLike();
    Tree dPhi = null;
    for (int t = steps - 1; t >= 0; t--) {
      Tree out = pullbacks[t][b].applyLast(Tree.of("delta", dTheta).with("state", dState));
      pullbacks[t][b] = null;
      dPhi = dPhi == null ? out.get("phi") : dPhi.plus(out.get("phi"));
      dState = out.get("state");
      if (t > 0) dTheta = dTheta.add(out.tensor("theta")).add(cols(grads[t], r0, r1, whole).mul(slopes[t]));
    }
    return dPhi;
  }

  /**
   * ∂L/∂φ with ∇f differentiated too: step by step, every block's pullback, then θ's cotangent
   * gains the Hessian of f times the gradient input's cotangent.
   */
  private static void backwardSecondOrder(Autodiff.Pullback[][] pullbacks, Tree[] phiGrad, int[] start, Tensor[] grads,
      Tensor[] thetas, double[] slopes, int steps, Engine.Loss loss, int first, Tree shape) {
    int nb = phiGrad.length;
    int n = start[nb];
    Tensor dTheta = grads[steps].mul(slopes[steps]);
    Tree[] dState = new Tree[nb];
    for (int b = 0; b < nb; b++) dState[b] = pullbacks[steps - 1][b].value().get("state").zerosLike();
    for (int t = steps - 1; t >= 0; t--) {
      Tensor ct = dTheta;
      double[] dG = new double[n];
      double[] dTh = new double[n];
      int step = t;
      RowParallel.forEachBlock(nb, b -> {
        int r0 = start[b], r1 = start[b + 1];
        Tree out = pullbacks[step][b].applyLast(Tree.of("delta", cols(ct, r0, r1, nb == 1)).with("state", dState[b]));
        pullbacks[step][b] = null;
        phiGrad[b] = phiGrad[b] == null ? out.get("phi") : phiGrad[b].plus(out.get("phi"));
        dState[b] = out.get("state");
        out.tensor("g").copyTo(dG, r0);
        out.tensor("theta").copyTo(dTh, r0);
      });
      if (t == 0) break;
      Tree v = shape.unflatten(Tensor.fromRowMajor(n, 1, dG));
      int s = first + t;
      Tree at = shape.unflatten(thetas[t]);
      Tree hv = Autodiff.gradTree((Tree x) -> Autodiff.gradTree((Tree y) -> loss.at(y, s)).apply(x).dot(v)).apply(at);
      dTheta = ct.add(Tensor.fromRowMajor(1, n, dTh)).add(grads[t].mul(slopes[t])).add(hv.flatten().reshape(1, n));
    }
  }

  private static Tensor cols(Tensor row, int r0, int r1, boolean whole) {
    return whole ? row : row.sliceCols(r0, r1);
  }
}
