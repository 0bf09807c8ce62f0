package l2l.dsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import l2l.autodiff.Tree;
import l2l.dsl.MetaTask;
import l2l.dsl.MetaTraining;
import l2l.dsl.cluster.Cluster;
import l2l.dsl.cluster.ClusterWorkers;
import l2l.dsl.io.Checkpoint;
import l2l.dsl.io.OptimizerFile;
import l2l.optimizers.Optimizers;
import l2l.optimizers.learned.CoordinatewiseLstm;
import l2l.optimizers.learned.LstmConfig;
import l2l.optimizers.learned.MetaGradient;
import l2l.problems.Problems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta-training and comparisons on a cluster of real members over TCP on 127.0.0.1 (three in this
 * JVM, one in a separate JVM that is killed): the same bits as one process, also when a member
 * dies with kill -9 mid-run; members of another cluster name are refused.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterTest {
  private static final String NAME = "l2l-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private static final int[] PORTS = freePorts(4);
  private static final List<Cluster.Address> ADDRESSES = java.util.Arrays.stream(PORTS)
      .mapToObj(p -> new Cluster.Address("127.0.0.1", p)).toList();
  private static final String LIST = ADDRESSES.stream().map(Cluster.Address::toString).collect(Collectors.joining(","));
  private static final List<Cluster> MEMBERS = new ArrayList<>();

  @TempDir
  Path dir;

  private static int[] freePorts(int n) {
    int[] ports = new int[n];
    List<ServerSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        open.add(s);
        ports[i] = s.getLocalPort();
      }
      for (ServerSocket s : open) s.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ports;
  }

  @BeforeAll
  static void start() {
    for (int i = 0; i < 3; i++) MEMBERS.add(Cluster.join(NAME, ADDRESSES.subList(0, 3), PORTS[i], true));
  }

  @AfterAll
  static void stop() {
    MEMBERS.forEach(Cluster::close);
  }

  private static MetaTask tiny(MetaGradient m) {
    return new MetaTask(CoordinatewiseLstm.of(LstmConfig.quadratic().withHidden(6, 6)),
        Problems.parse("quadratic:batch=8,dim=5"), 20, 5, m, l2l.optimizers.learned.StepLoss.LINEAR,
        l2l.optimizers.learned.Precision.DOUBLE, 3);
  }

  private static double[] bits(Tree t) {
    return t.flatten().toArray();
  }

  @Test
  void aMetaBatchOnThreeMembersEndsWithTheBitsOfOneProcess() {
    for (MetaGradient m : new MetaGradient[] {MetaGradient.FIRST_ORDER, new MetaGradient.Pes(0.01, 2)}) {
      MetaTask task = tiny(m);
      MetaTraining.Plan plan = new MetaTraining.Plan(2, 2, 2, 10).withMetaBatch(4);
      MetaTraining.Snapshot here = MetaTraining.resume(task, Optimizers.adam(0.01), plan,
          MetaTraining.start(task.init(), Optimizers.adam(0.01)));
      MetaTraining.Snapshot there;
      try (ClusterWorkers workers = new ClusterWorkers(MEMBERS.get(0))) {
        there = MetaTraining.snapshots(task, Optimizers.adam(0.01), plan,
            MetaTraining.start(task.init(), Optimizers.adam(0.01)), workers).last();
      }
      assertArrayEquals(bits(here.phi()), bits(there.phi()), 0.0, m.label());
      assertEquals(here.history().map(MetaTraining.EpochReport::metaLoss),
          there.history().map(MetaTraining.EpochReport::metaLoss));
    }
  }

  @Test
  void clusterOptionsAreCheckedBeforeAnyWork() {
    for (String[] bad : new String[][] {{"--port", "5701"}, {"--cluster", "127.0.0.1"}, {"--cluster", "h:0"},
        {"--cluster-name", "x"}}) {
      Cli r = Cli.run(Cli.with(Cli.train(), bad));
      assertEquals(2, r.code(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(bad[0]), r.err());
    }
    Cli worker = Cli.run("worker", "--port", "5701");
    assertEquals(2, worker.code(), worker.toString());
    assertTrue(worker.err().contains("--cluster is needed"), worker.err());
  }

  @Test
  void aMemberOfAnotherClusterNameIsRefused() {
    try (Cluster other = Cluster.join(NAME + "-other", ADDRESSES.subList(0, 3), PORTS[3], true)) {
      assertEquals(1, other.members().size());
      assertEquals(3, MEMBERS.get(0).members().size());
    }
  }

  @Test
  void theComparisonTableOnTheClusterIsTheOneProcessTable() throws Exception {
    String[] compare = {"compare", "--problem", "quadratic:batch=8,dim=5", "--steps", "15", "--tasks", "5",
        "--tuning-tasks", "3", "--lr-grid", "0.01,0.1,1", "--progress", "none"};
    Cli here = Cli.run(Cli.with(compare, "--out", dir.resolve("here").toString()));
    Cli there = Cli.run(Cli.with(compare, "--out", dir.resolve("there").toString(), "--cluster", LIST,
        "--cluster-name", NAME, "--port", Integer.toString(PORTS[3])));
    assertEquals(0, here.code(), here.toString());
    assertEquals(0, there.code(), there.toString());
    assertTrue(there.out().contains("4 members"), there.out());
    assertEquals(Files.readString(dir.resolve("here/table.txt")), Files.readString(dir.resolve("there/table.txt")));
    assertEquals(Files.readString(dir.resolve("here/curves.csv")), Files.readString(dir.resolve("there/curves.csv")));
  }

  @Test
  void aComparisonOnSeveralProblemsOnTheClusterWritesTheOneProcessTablesAndScorecard() throws Exception {
    String[] compare = {"compare", "--pretrained", "quadratic", "--problem", "quadratic:batch=8,dim=5", "--problem",
        "quadratic:batch=8,dim=3", "--steps", "15", "--tasks", "5", "--tuning-tasks", "3", "--lr-grid", "0.01,0.1,1",
        "--progress", "none"};
    Cli here = Cli.run(Cli.with(compare, "--out", dir.resolve("several-here").toString()));
    Cli there = Cli.run(Cli.with(compare, "--out", dir.resolve("several-there").toString(), "--cluster", LIST,
        "--cluster-name", NAME, "--port", Integer.toString(PORTS[3])));
    assertEquals(0, here.code(), here.toString());
    assertEquals(0, there.code(), there.toString());
    for (String f : List.of("scorecard.txt", "quadratic_batch_8_dim_5/curves.csv", "quadratic_batch_8_dim_3/curves.csv")) {
      assertEquals(Files.readString(dir.resolve("several-here").resolve(f)),
          Files.readString(dir.resolve("several-there").resolve(f)), f);
    }
  }

  @Test
  void aWorkerKilledMidRunLosesNoTaskStateAndTheRunEndsWithTheUndisturbedPhi() throws Exception {
    String[] train = Cli.with(Cli.train(), "--epochs", "60", "--evaluate-every", "30", "--checkpoint-every", "1",
        "--meta-batch", "4", "--seed", "9");
    Cli alone = Cli.run(Cli.with(train, "--out", dir.resolve("alone").toString()));
    assertEquals(0, alone.code(), alone.toString());

    List<String> cmd = Cli.inNewJvm(List.of(), "worker", "--port", Integer.toString(PORTS[3]), "--cluster", LIST,
        "--cluster-name", NAME, "--lifetime", "120");
    Process worker = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("worker.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (MEMBERS.get(0).members().size() < 4 && worker.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
      assertEquals(4, MEMBERS.get(0).members().size(), "the worker joined: "
          + Files.readString(dir.resolve("worker.log")));
      Path out = dir.resolve("cluster");
      CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run(Cli.with(train, "--out", out.toString(),
          "--cluster", LIST, "--cluster-name", NAME)));
      while (!run.isDone() && epochs(out) < 3) Thread.sleep(20);
      worker.destroyForcibly();  // SIGKILL: no goodbye to the cluster
      int killedAt = epochs(out);
      Cli c = run.get(120, TimeUnit.SECONDS);
      assertEquals(0, c.code(), c.toString());
      assertTrue(killedAt >= 3 && killedAt < 60, "killed mid-run, after epoch " + killedAt);
      assertTrue(c.out().contains("left"), "the run saw the worker leave: " + c.out());
      assertEquals(4, Checkpoint.load(out).settings().plan().metaBatch());
      assertArrayEquals(bits(OptimizerFile.load(dir.resolve("alone/optimizer-last.json")).phi()),
          bits(OptimizerFile.load(out.resolve("optimizer-last.json")).phi()), 0.0);
    } finally {
      worker.destroyForcibly();
      worker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int epochs(Path run) {
    try {
      return Files.exists(run.resolve(Checkpoint.FILE_NAME)) ? Checkpoint.load(run).snapshot().nextEpoch() : 0;
    } catch (RuntimeException e) {
      return 0;  // being replaced
    }
  }
}
