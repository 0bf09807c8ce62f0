package l2l.dsl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.IMap;
import io.vavr.collection.List;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import l2l.autodiff.Tensor;
import l2l.autodiff.Tree;
import l2l.dsl.MetaBatch;
import l2l.dsl.MetaTask;
import l2l.dsl.Objective;
import l2l.dsl.io.TrainSettings;
import l2l.optimizers.learned.Engine;
import l2l.optimizers.learned.RowParallel;

/**
 * A meta-batch's truncations on the members of a cluster ({@link MetaBatch.Workers}). Each task's
 * carried state (θ, the learned optimizer's state, the last gradient, persistent-ES particles) is
 * an entry of a partitioned map with one backup copy, placed so that the tasks spread over the
 * members. Once per meta-step every member that owns tasks gets φ and its tasks' keys, runs their
 * truncations on its threads next to their states, writes the new states (and so their backups),
 * and returns only the meta-losses and meta-gradients, which are summed here in task order.
 *
 * <p>A truncation is a pure function of the meta task, φ and the task's state, and each entry
 * keeps the answer of the step that made it. When a member leaves (even by kill -9), its tasks are
 * asked again of the members that now own their entries (the promoted backups), which answer from
 * the entry or run the truncation again: the same bits either way, so a run ends with the φ of an
 * undisturbed one. The members rebuild the meta task from its JSON ({@link TrainSettings#taskJson}).
 */
public final class ClusterWorkers implements MetaBatch.Workers, AutoCloseable {
  /** The prefix of the maps of tasks' states (one map per run, backup count 1). */
  static final String MAPS = "l2l-tasks-";
  /** How long a task is asked again while members leave before the run gives up. */
  private static final long RETRY_NANOS = 120_000_000_000L;

  private final Cluster cluster;
  private final String map = MAPS + UUID.randomUUID();
  private final Map<Integer, String> keys = new HashMap<>();
  private MetaTask task;
  private String taskJson;

  /** The workers of a new run on this cluster (its tasks' states in a map of their own). */
  public ClusterWorkers(Cluster cluster) {
    this.cluster = cluster;
  }

  /** A task's carried state as stored, with the step that made it: from (index, truncation) with φ of this hash. */
  record TaskEntry(int index, int truncation, long phiHash, MetaTask.State state, Outcome answer) {}

  /**
   * What a truncation returns to the coordinator: its meta-loss and gradient and the bookkeeping of
   * the task's next state, or an error message.
   */
  record Outcome(double metaLoss, Tree grad, int index, int truncation, double[] losses, double initialLoss,
      String error) {}

  /** A member's answers to an {@link Advance}, in its order. */
  record Advanced(Outcome[] outcomes) {}

  @Override
  public List<Objective.Step<MetaTask.State>> step(MetaTask t, int size, Tree phi, List<MetaTask.State> tasks) {
    if (t != task) {
      taskJson = TrainSettings.taskJson(t);
      task = t;
    }
    long hash = hash(phi);
    Outcome[] out = new Outcome[tasks.size()];
    java.util.List<Integer> pending = new ArrayList<>(List.range(0, tasks.size()).asJava());
    long deadline = System.nanoTime() + RETRY_NANOS;
    while (!pending.isEmpty()) {
      Map<Member, java.util.List<Integer>> byOwner = new LinkedHashMap<>();
      java.util.List<Integer> again = new ArrayList<>();
      for (int i : pending) {
        Member owner = cluster.instance().getPartitionService().getPartition(key(tasks.get(i).epoch() % size))
            .getOwner();
        if (owner == null) again.add(i);
        else byOwner.computeIfAbsent(owner, m -> new ArrayList<>()).add(i);
      }
      Map<Member, Future<Advanced>> futures = new LinkedHashMap<>();
      byOwner.forEach((member, is) -> {
        Advance a = new Advance(taskJson, map, phi, hash, is.stream().map(i -> key(tasks.get(i).epoch() % size))
            .toArray(String[]::new), is.stream().mapToInt(i -> tasks.get(i).epoch()).toArray(),
            is.stream().mapToInt(i -> tasks.get(i).truncation()).toArray());
        futures.put(member, cluster.instance().getExecutorService("l2l").submitToMember(a, member));
      });
      Throwable lastFailure = null;
      for (Map.Entry<Member, Future<Advanced>> f : futures.entrySet()) {
        java.util.List<Integer> is = byOwner.get(f.getKey());
        try {
          Outcome[] got = f.getValue().get().outcomes();
          for (int k = 0; k < got.length; k++) {
            if (got[k].error() != null) throw new IllegalStateException("task " + tasks.get(is.get(k)).epoch() + " on "
                + f.getKey().getAddress() + ": " + got[k].error());
            out[is.get(k)] = got[k];
          }
        } catch (ExecutionException e) {
          if (!cluster.lostTo(e, f.getKey())) {
            throw new IllegalStateException("a truncation failed on " + f.getKey().getAddress() + ": " + e.getCause(),
                e);
          }
          again.addAll(is);
          lastFailure = e.getCause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the cluster ran a meta-step", e);
        }
      }
      if (!again.isEmpty() && System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster could not run tasks " + again + " for "
            + RETRY_NANOS / 1_000_000_000L + " s; the last failure: " + lastFailure, lastFailure);
      }
      if (!again.isEmpty()) sleep(100);
      pending = again;
    }
    return List.of(out).map(o -> new Objective.Step<>(Tensor.scalar(o.metaLoss()), o.grad(),
        new MetaTask.State(o.index(), o.truncation(), null, null, null, null, o.losses(), o.initialLoss(), null,
            null)));
  }

  /** The key of a task slot: placed, when first used, on a partition of member slot mod members (oldest first). */
  private String key(int slot) {
    return keys.computeIfAbsent(slot, b -> {
      java.util.List<Member> members = cluster.members();
      Member want = members.get(b % members.size());
      for (int i = 0; ; i++) {
        String k = map + "/" + b + "/" + i;
        Member owner = cluster.instance().getPartitionService().getPartition(k).getOwner();
        if (want.equals(owner) || i == 10_000) return k;
      }
    });
  }

  /** A hash of φ's bits (an entry's answer is only reused for the same φ). */
  static long hash(Tree phi) {
    long h = 1;
    for (Tensor t : phi.leaves()) {
      h = 31 * h + t.rows() * 65_537L + t.cols();
      for (double d : t.toArray()) h = 31 * h + Double.doubleToRawLongBits(d);
    }
    return h;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
  }

  /** Removes this run's task states from the cluster. */
  @Override
  public void close() {
    if (cluster.instance().getLifecycleService().isRunning()) cluster.instance().getMap(map).destroy();
  }

  /**
   * One meta-step's work for one member: φ once, and the tasks (keys, indices, truncations) whose
   * entries it owns. Runs their truncations on the member's threads, next to the entries.
   */
  static final class Advance implements Callable<Advanced>, HazelcastInstanceAware {
    final String task;
    final String map;
    final Tree phi;
    final long phiHash;
    final String[] keys;
    final int[] indices;
    final int[] truncations;
    private transient HazelcastInstance hz;

    Advance(String task, String map, Tree phi, long phiHash, String[] keys, int[] indices, int[] truncations) {
      this.task = task;
      this.map = map;
      this.phi = phi;
      this.phiHash = phiHash;
      this.keys = keys;
      this.indices = indices;
      this.truncations = truncations;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
      hz = instance;
    }

    @Override
    public Advanced call() {
      Run run = Run.of(task);
      IMap<String, TaskEntry> entries = hz.getMap(map);
      Outcome[] out = new Outcome[keys.length];
      RowParallel.forEachBlock(keys.length, i -> out[i] = advance(run, entries, i));
      return new Advanced(out);
    }

    private Outcome advance(Run run, IMap<String, TaskEntry> entries, int i) {
      try {
        TaskEntry e = entries.get(keys[i]);
        if (e != null && e.index() == indices[i] && e.truncation() == truncations[i] && e.phiHash() == phiHash) {
          return e.answer();
        }
        MetaTask t = run.task();
        MetaTask.State s;
        if (truncations[i] == 0) {
          s = new MetaTask.State(indices[i], 0, null, null, null, null, new double[0], Double.NaN, run.engine(), null);
        } else if (e != null && e.state().epoch() == indices[i] && e.state().truncation() == truncations[i]) {
          MetaTask.State x = e.state();
          s = new MetaTask.State(x.epoch(), x.truncation(), t.problem().sample(t.taskSeed(x.epoch())), x.theta(),
              x.optState(), x.last(), x.losses(), x.initialLoss(), run.engine(), x.particles());
        } else {
          return new Outcome(Double.NaN, null, 0, 0, null, Double.NaN, "no state for its truncation "
              + (truncations[i] + 1) + " (its entry and the backup were lost, e.g. two members left at once);"
              + " resume the run from its checkpoint");
        }
        Objective.Step<MetaTask.State> r = t.step(phi, s, 0);
        MetaTask.State n = r.next();
        Outcome o = new Outcome(r.loss().item(), r.grad(), n.epoch(), n.truncation(), n.losses(), n.initialLoss(),
            null);
        entries.set(keys[i], new TaskEntry(indices[i], truncations[i], phiHash, n, o));
        return o;
      } catch (HazelcastException e) {
        throw e;
      } catch (RuntimeException e) {
        return new Outcome(Double.NaN, null, 0, 0, null, Double.NaN, String.valueOf(e));
      }
    }
  }

  /** A meta task rebuilt from its JSON, with the engine its tasks share on this member (the last few kept). */
  record Run(MetaTask task, Engine engine) {
    private static final Map<String, Run> RUNS = new LinkedHashMap<>(8, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
        return size() > 4;
      }
    };

    static synchronized Run of(String json) {
      return RUNS.computeIfAbsent(json, j -> {
        MetaTask t = TrainSettings.task(j);
        return new Run(t, t.learned().engine(t.precision()));
      });
    }
  }
}
