package l2l.dsl;

import io.vavr.collection.List;
import java.util.Objects;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.optimizers.learned.Engine;
import l2l.optimizers.learned.RowParallel;

/**
 * A meta-batch as an objective over φ: every step runs one truncation of each of B tasks, each
 * carried through its truncations as {@link MetaTask} carries one, and its meta-loss and
 * meta-gradient are the sums over the tasks in task order. Task b of epoch e is the meta task's
 * task of index e·B + b ({@code problem.sample(task.taskSeed(e·B + b))}), so with B = 1 this is
 * {@link MetaTask} itself, bit for bit. A task whose optimizee diverges ends its part of the epoch
 * with a NaN meta-loss (so that meta-step is skipped); the epoch ends when every task's part has.
 * Where the truncations run is {@link Workers}: this process's threads ({@link Workers#LOCAL}) or
 * the members of a cluster, with the same sums either way.
 *
 * @param task the meta task each of the B tasks follows
 * @param size B, the tasks per meta-step
 * @param workers where their truncations run
 */
public record MetaBatch(MetaTask task, int size, Workers workers) implements Objective<MetaBatch.State> {
  /** Checks presence and the size. */
  public MetaBatch {
    Objects.requireNonNull(task, "MetaBatch: task");
    Objects.requireNonNull(workers, "MetaBatch: workers");
    if (size < 1) throw new IllegalArgumentException("a meta-batch holds at least 1 task, got " + size);
  }

  /** Runs one truncation of each of some tasks of a meta-batch of {@code size} with φ. */
  @FunctionalInterface
  public interface Workers {
    /** The steps of these task states (in order, as {@link MetaTask#step} gives them), in the same order. */
    List<Objective.Step<MetaTask.State>> step(MetaTask task, int size, Tree phi, List<MetaTask.State> tasks);

    /** In this process: the tasks on {@link RowParallel}'s threads (loops inside a task run in its thread). */
    Workers LOCAL = (task, size, phi, tasks) -> {
      @SuppressWarnings("unchecked")
      Objective.Step<MetaTask.State>[] out = new Objective.Step[tasks.size()];
      RowParallel.forEachBlock(tasks.size(), b -> out[b] = task.step(phi, tasks.get(b), 0));
      return List.of(out);
    };
  }

  /**
   * The carried state: the epoch, the next truncation of its tasks, and each task's state (a task
   * whose state's index is past e·B + b has ended its part of the epoch; empty at an epoch's start).
   */
  public record State(int epoch, int truncation, List<MetaTask.State> tasks) {
    /** The mean over the tasks of the optimizee's loss at the end of their last truncation (NaN before any). */
    public double lastLoss() {
      double sum = 0;
      for (MetaTask.State t : tasks) sum += t.lastLoss();
      return tasks.isEmpty() ? Double.NaN : sum / tasks.size();
    }
  }

  @Override
  public Tree init() {
    return task.init();
  }

  @Override
  public State start() {
    return startOfEpoch(0);
  }

  /** The state at the start of an epoch. */
  public State startOfEpoch(int epoch) {
    return new State(epoch, 0, List.empty());
  }

  @Override
  public Step<State> step(Tree phi, State s, int t) {
    int first = s.epoch() * size;
    List<MetaTask.State> tasks = s.tasks();
    if (s.truncation() == 0) {
      Engine engine = tasks.isEmpty() || tasks.head().engine() == null ? task.learned().engine(task.precision())
          : tasks.head().engine();
      tasks = List.range(0, size).map(b -> new MetaTask.State(first + b, 0, null, null, null, null, new double[0],
          Double.NaN, engine, null));
    }
    List<MetaTask.State> from = tasks;
    List<Integer> active = List.range(0, size).filter(b -> from.get(b).epoch() == first + b);
    List<Step<MetaTask.State>> steps = workers.step(task, size, phi, active.map(from::get));
    Tensor loss = steps.head().loss();
    Tree grad = steps.head().grad();
    for (Step<MetaTask.State> r : steps.tail()) {
      loss = loss.add(r.loss());
      grad = grad.plus(r.grad());
    }
    for (int i = 0; i < active.size(); i++) tasks = tasks.update(active.get(i), steps.get(i).next());
    List<MetaTask.State> next = tasks;
    boolean goesOn = List.range(0, size).exists(b -> next.get(b).epoch() == first + b);
    return new Step<>(loss, grad, goesOn ? new State(s.epoch(), s.truncation() + 1, next) : new State(s.epoch() + 1, 0,
        next));
  }
}
