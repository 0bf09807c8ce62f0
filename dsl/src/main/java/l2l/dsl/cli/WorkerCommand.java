package l2l.dsl.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import l2l.dsl.cluster.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l2l worker}: a member of a cluster that runs the work of {@code train} and {@code compare} with --cluster. */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Be a member of an l2l cluster until stopped (Ctrl-C or kill): 'l2l train --cluster' and"
        + " 'l2l compare --cluster' spread their work over the members. Start one on each machine with the same"
        + " --cluster list; a member of another cluster name is refused. The port must not be reachable from"
        + " beyond the cluster's machines: anyone who reaches it can join.", ""},
    footer = {"", "Example (three machines; then 'l2l train ... --cluster' on any of them):",
        "  l2l worker --port 5701 --cluster 10.0.0.1:5701,10.0.0.2:5701,10.0.0.3:5701"})
final class WorkerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--lifetime", paramLabel = "SECONDS", hidden = true, defaultValue = "0",
      description = "Leave the cluster after this many seconds (0: never; for tests).")
  long lifetime;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads for the tasks and coordinates this member runs (default: the number of cores,"
          + " ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws InterruptedException {
    cluster.validate(spec, true);
    Usage.require(spec, threads >= 1, "--threads must be at least 1, got " + threads);
    Usage.require(spec, lifetime >= 0, "--lifetime must be ≥ 0, got " + lifetime);
    l2l.optimizers.learned.RowParallel.setThreads(threads);
    PrintWriter out = spec.commandLine().getOut();
    Cluster c = cluster.join(false, out);
    CountDownLatch stopped = new CountDownLatch(1);
    c.instance().getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.SHUTDOWN) stopped.countDown();
    });
    out.println("l2l worker (pid " + ProcessHandle.current().pid() + ") is " + c.address() + "; stop it with Ctrl-C");
    out.flush();
    if (lifetime == 0) stopped.await();
    else if (!stopped.await(lifetime, TimeUnit.SECONDS)) c.close();
    return 0;
  }
}
