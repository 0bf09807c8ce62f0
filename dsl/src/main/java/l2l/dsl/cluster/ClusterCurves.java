package l2l.dsl.cluster;

import com.hazelcast.cluster.Member;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import l2l.dsl.Evaluation;
import l2l.problems.Problem;
import l2l.problems.Problems;

/**
 * Loss curves spread over a cluster's members: each optimizer's tasks are cut into one contiguous
 * share per member, every share runs as {@link Evaluation#curves} runs it here, and a share whose
 * member leaves runs again on another. Every curve is a function of its optimizer, task seed and
 * step count, so the curves, and the tables made of them, are those of one process.
 */
public final class ClusterCurves {
  private ClusterCurves() {}

  /** How long a share is run again while members leave before the comparison gives up. */
  private static final long RETRY_NANOS = 120_000_000_000L;

  /**
   * The curves f(θ₀), …, f(θ_steps) of every optimizer on the tasks of these seeds:
   * {@code [optimizer][task][step]}; {@code done} hears how many curves each finished share held.
   *
   * @throws IllegalArgumentException if the problem was not made from a spec ({@link Problems#parse})
   */
  public static double[][][] curves(Cluster cluster, Problem problem, int steps, List<Recipe> optimizers, long[] seeds,
      IntConsumer done) {
    String spec = Problems.specOf(problem).getOrElseThrow(() -> new IllegalArgumentException(
        "the problem " + problem.name() + " cannot be sent to a cluster: it was not made from a spec"));
    int members = cluster.members().size();
    int share = Math.max(1, (seeds.length + members - 1) / members);
    double[][][] out = new double[optimizers.size()][seeds.length][];
    List<int[]> pending = new ArrayList<>();  // {optimizer, first task, end}
    for (int o = 0; o < optimizers.size(); o++) {
      for (int a = 0; a < seeds.length; a += share) pending.add(new int[] {o, a, Math.min(seeds.length, a + share)});
    }
    long deadline = System.nanoTime() + RETRY_NANOS;
    for (int round = 0; !pending.isEmpty(); round++) {
      List<Member> live = cluster.members();
      Map<int[], Future<double[]>> futures = new LinkedHashMap<>();
      Map<int[], Member> where = new LinkedHashMap<>();
      for (int[] p : pending) {
        where.put(p, live.get((p[1] / share + round) % live.size()));
        Curves c = new Curves(spec, steps, optimizers.get(p[0]), Arrays.copyOfRange(seeds, p[1], p[2]));
        futures.put(p, cluster.instance().getExecutorService("l2l").submitToMember(c, where.get(p)));
      }
      List<int[]> again = new ArrayList<>();
      for (Map.Entry<int[], Future<double[]>> f : futures.entrySet()) {
        int[] p = f.getKey();
        try {
          double[] flat = f.getValue().get();
          for (int k = p[1]; k < p[2]; k++) {
            out[p[0]][k] = Arrays.copyOfRange(flat, (k - p[1]) * (steps + 1), (k - p[1] + 1) * (steps + 1));
          }
          done.accept(p[2] - p[1]);
        } catch (ExecutionException e) {
          if (!cluster.lostTo(e, where.get(p)) || System.nanoTime() > deadline) {
            throw new IllegalStateException("the cluster could not run the curves of optimizer " + (p[0] + 1) + " of "
                + optimizers.size() + ": " + e.getCause(), e);
          }
          again.add(p);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the cluster ran curves", e);
        }
      }
      pending = again;
    }
    return out;
  }

  /** One share: an optimizer's curves on some tasks, flattened task after task. */
  static final class Curves implements Callable<double[]> {
    private static final Map<String, Problem> PROBLEMS = new java.util.concurrent.ConcurrentHashMap<>();
    final String problem;
    final int steps;
    final Recipe optimizer;
    final long[] seeds;

    Curves(String problem, int steps, Recipe optimizer, long[] seeds) {
      this.problem = problem;
      this.steps = steps;
      this.optimizer = optimizer;
      this.seeds = seeds;
    }

    @Override
    public double[] call() {
      try {
        double[][] c = Evaluation.curves(PROBLEMS.computeIfAbsent(problem, Problems::parse), optimizer.optimizer(),
            steps, seeds);
        return Arrays.stream(c).flatMapToDouble(Arrays::stream).toArray();
      } catch (RuntimeException e) {
        throw new IllegalStateException(String.valueOf(e));  // a JDK class: l2l's own are not deserialised
      }
    }
  }
}
