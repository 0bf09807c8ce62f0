package l2l.dsl;

import io.vavr.Tuple2;
import io.vavr.collection.Iterator;
import java.util.ArrayList;
import l2l.autodiff.Autodiff;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.Optimizer;
import l2l.optimizers.Transforms;
import l2l.problems.Seeds;
import l2l.problems.Task;

/**
 * An imitation warm start (Chen et al. 2020): φ trained to reproduce a tuned analytic optimizer's
 * steps before meta-training starts from it. The teacher optimizes tasks of the meta task's
 * problem for the horizon; at every step of its trajectory the learned optimizer, fed the same
 * gradient and parameters, proposes an update u_t(φ), and the loss of a truncation of
 * truncation is the relative squared error Σ_t ‖u_t − Δ_t‖² / Σ_t ‖Δ_t‖² against the
 * teacher's updates Δ_t (truncations as in meta-training: {@link MetaTask#truncation()} steps, the
 * whole horizon for a whole-horizon meta-gradient). The learned optimizer's state is carried from
 * truncation to truncation, as in meta-training; the gradients are the teacher's, so no optimizee is differentiated.
 *
 * <p>An objective over φ: {@link #reports} minimizes it with a meta-optimizer, one task after the
 * other, the tasks' seeds disjoint from meta-training's and validation's.
 *
 * @param task the meta task (learned optimizer, problem, horizon, unroll, seed)
 * @param teacher the optimizer to imitate (e.g. tuned Adam)
 * @param tasks how many teacher trajectories to imitate
 */
public record Imitation(MetaTask task, Optimizer teacher, int tasks) implements Objective<Imitation.State> {
  /** Checks the count. */
  public Imitation {
    java.util.Objects.requireNonNull(task, "Imitation: task");
    java.util.Objects.requireNonNull(teacher, "Imitation: teacher");
    if (tasks < 1) throw new IllegalArgumentException("imitation needs ≥ 1 task, got " + tasks);
  }

  /**
   * Where the imitation is between truncations.
   *
   * @param index the task being imitated (from 0)
   * @param current the task (null at a task's start)
   * @param theta the teacher's parameters
   * @param teacherState the teacher's state
   * @param learnedState the learned optimizer's state along the teacher's trajectory
   * @param step the task's next step
   */
  public record State(int index, Task current, Tree theta, Tree teacherState, Tree learnedState, int step) {}

  /**
   * After one imitated task.
   *
   * @param index the task (from 0)
   * @param error its mean relative squared error over its truncations (before each truncation's meta-step)
   * @param phi φ after it
   */
  public record Report(int index, double error, Tree phi) {}

  @Override
  public Tree init() {
    return task.init();
  }

  @Override
  public State start() {
    return new State(0, null, null, null, null, 0);
  }

  /** Truncations per imitated task. */
  public int truncationsPerTask() {
    return task.truncationsPerEpoch();
  }

  @Override
  public Step<State> step(Tree phi, State state, int t) {
    State s = state;
    if (s.current() == null) {
      Task sampled = task.problem().sample(Seeds.derive(task.seed(), "imitation", s.index()));
      Tree theta = sampled.init();
      s = new State(s.index(), sampled, theta, teacher.init(theta), task.learned().apply(phi.detach()).init(theta), 0);
    }
    int n = Math.min(task.truncation(), task.horizon() - s.step());
    ArrayList<Tree> grads = new ArrayList<>(n), thetas = new ArrayList<>(n), targets = new ArrayList<>(n);
    Tree theta = s.theta(), teacherState = s.teacherState();
    double scale = 0;
    Task current = s.current();
    for (int i = 0; i < n; i++) {
      int k = s.step() + i;
      Tree g = Autodiff.gradTree((Tree p) -> current.loss(p, k)).apply(theta);
      Optimizer.Update u = teacher.update(g, teacherState, theta);
      grads.add(g);
      thetas.add(theta);
      targets.add(u.updates());
      scale += u.updates().sumSquares().item();
      theta = Optimizer.apply(theta, u.updates());
      teacherState = u.state();
    }
    double denominator = Math.max(scale, Double.MIN_NORMAL);
    Tree start = s.learnedState();
    var r = Autodiff.valueAndGradWithAux((Tree p) -> {
      Optimizer g = task.learned().apply(p);
      Tree st = start;
      Tensor err = Tensor.scalar(0);
      for (int i = 0; i < n; i++) {
        Optimizer.Update u = g.update(grads.get(i), st, thetas.get(i));
        err = err.add(u.updates().minus(targets.get(i)).sumSquares());
        st = u.state();
      }
      return new Tuple2<Tensor, Tree>(err.mul(1 / denominator), st);
    }).apply(phi);
    boolean taskEnds = s.step() + n >= task.horizon();
    State next = taskEnds
        ? new State(s.index() + 1, null, null, null, null, 0)
        : new State(s.index(), current, theta, teacherState, r.aux().detach(), s.step() + n);
    return new Step<>(r.value(), r.grad(), next);
  }

  /**
   * The warm start as a lazy sequence, one report per imitated task, from φ₀ with a fresh
   * meta-optimizer state (wrapped in {@link Transforms#applyIfFinite}, so a non-finite truncation
   * takes no step).
   */
  public Iterator<Report> reports(Tree phi0, Optimizer metaOptimizer) {
    Optimizer wrapped = Transforms.applyIfFinite(metaOptimizer);
    var states = Minimize.states(this, wrapped, phi0, wrapped.init(phi0), start(), 0);
    int per = truncationsPerTask();
    @SuppressWarnings("unchecked")
    Minimize.State<State>[] head = new Minimize.State[] {states.next()};
    return Iterator.range(0, tasks).map(k -> {
      double sum = 0;
      for (int i = 0; i < per; i++) {
        sum += head[0].result().loss().item();
        head[0] = states.next();
      }
      return new Report(k, sum / per, head[0].params());
    });
  }

  /** φ after imitating every task from φ₀ (the last of {@link #reports}). */
  public Tree warmStart(Tree phi0, Optimizer metaOptimizer) {
    return reports(phi0, metaOptimizer).last().phi();
  }
}
