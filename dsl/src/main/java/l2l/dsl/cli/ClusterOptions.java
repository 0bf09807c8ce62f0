package l2l.dsl.cli;

import java.io.PrintWriter;
import java.util.List;
import l2l.dsl.cluster.Cluster;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where the work runs: in this process (the default), or spread over a cluster this process joins as a member. */
final class ClusterOptions {
  @Option(names = "--cluster", paramLabel = "HOST:PORT,...", split = ",",
      description = "Join the cluster of these members (TCP/IP; started with 'l2l worker') and spread the work over"
          + " it. Default: everything in this process.")
  List<String> members;

  @Option(names = "--port", paramLabel = "P",
      description = "This process's member port with --cluster (default: the first free one from " + Cluster.PORT
          + "). The port must not be reachable from beyond the cluster's machines.")
  Integer port;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "The cluster's name; members of another name are refused (default: l2l-VERSION).")
  String name;

  /** Checks the addresses and the port. */
  void validate(CommandSpec spec, boolean required) {
    Usage.require(spec, members != null || !required, "--cluster is needed: the addresses HOST:PORT of the members");
    Usage.require(spec, members != null || port == null, "--port is for a member: give --cluster too");
    Usage.require(spec, members != null || name == null, "--cluster-name is for a member: give --cluster too");
    if (port != null) Usage.require(spec, port >= 1 && port <= 65535, "--port must be in 1…65535, got " + port);
    if (members != null) {
      Usage.require(spec, !members.isEmpty(), "--cluster needs at least one member address HOST:PORT");
      for (String m : members) Usage.check(spec, "--cluster", Cluster.Address::parse, m);
    }
  }

  /** Whether a cluster was asked for. */
  boolean given() {
    return members != null;
  }

  /** Starts this process's member and says so on {@code out}. */
  Cluster join(boolean quiet, PrintWriter out) {
    Cluster c = Cluster.join(name != null ? name : Cluster.NAME,
        members.stream().map(Cluster.Address::parse).toList(), port, quiet);
    c.instance().getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
        say(out, "member " + e.getMember().getAddress() + " joined; " + members(e.getMembers().size()));
      }

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
        say(out, "member " + e.getMember().getAddress() + " left; " + members(e.getMembers().size())
            + " (its data continues from the backups)");
      }
    });
    say(out, "cluster: " + c.describe());
    return c;
  }

  private static String members(int n) {
    return n + (n == 1 ? " member" : " members");
  }

  private static void say(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
