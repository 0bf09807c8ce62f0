package l2l.dsl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.RetryableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import l2l.dsl.io.Version;

/**
 * This process as a member of an l2l cluster: a Hazelcast member embedded in the process, joined to
 * the members listed by address over TCP/IP (no multicast, no discovery, no phone-home), bound to
 * one address of this machine. Members of another cluster name are refused. Data between members
 * is l2l's own records in Hazelcast's compact serialisation ({@link ClusterWorkers},
 * {@link ClusterCurves}); Java deserialisation is limited to Hazelcast's and the JDK's classes, and
 * no class is instantiated by reflection. Anyone who reaches the port can join, so the port must
 * not be reachable from beyond the cluster's machines.
 */
public final class Cluster implements AutoCloseable {
  /** The port a member listens on unless told otherwise (the next free one from here, for a process that joins). */
  public static final int PORT = 5701;
  /** The cluster name unless told otherwise: l2l and its version, so members of other versions refuse each other. */
  public static final String NAME = "l2l-" + Version.l2l().replace(' ', '-');
  /** Hazelcast's loggers, kept so that their level stays set. */
  private static final Logger LOG = Logger.getLogger("com.hazelcast");

  private final HazelcastInstance hz;
  private final String address;

  private Cluster(HazelcastInstance hz, String address) {
    this.hz = hz;
    this.address = address;
  }

  /** A member's address. */
  public record Address(String host, int port) {
    /** HOST:PORT; anything else is an {@link IllegalArgumentException} naming it. */
    public static Address parse(String s) {
      int colon = s.trim().lastIndexOf(':');
      try {
        int port = Integer.parseInt(s.trim().substring(colon + 1));
        if (colon > 0 && port >= 1 && port <= 65535) return new Address(s.trim().substring(0, colon), port);
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new IllegalArgumentException("'" + s + "' is not a member address HOST:PORT with a port in 1…65535");
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * Starts a member of the cluster {@code name} that joins {@code members}. It binds to the address
   * of this machine from which the first member's host is reached, on {@code port}, or if null on
   * the first free port from {@value #PORT}. Quiet: Hazelcast logs only errors (else warnings too).
   *
   * @throws IllegalArgumentException if the first host cannot be resolved
   * @throws IllegalStateException if the port is taken or the member cannot start
   */
  public static Cluster join(String name, List<Address> members, Integer port, boolean quiet) {
    if (members.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one member address");
    String host = localAddressTowards(members.get(0).host());
    LOG.setLevel(quiet ? Level.SEVERE : Level.WARNING);
    Config c = new Config();
    c.setClusterName(name);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
    c.getMetricsConfig().setEnabled(false);
    NetworkConfig n = c.getNetworkConfig();
    n.setPort(port != null ? port : PORT).setPortAutoIncrement(port == null);
    n.getInterfaces().setEnabled(true).addInterface(host);
    JoinConfig j = n.getJoin();
    j.getMulticastConfig().setEnabled(false);
    j.getAutoDetectionConfig().setEnabled(false);
    j.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (Address a : members) j.getTcpIpConfig().addMember(a.toString());
    c.getMapConfig(ClusterWorkers.MAPS + "*").setBackupCount(1).setAsyncBackupCount(0);
    var serialization = c.getSerializationConfig();
    serialization.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
    serialization.getCompactSerializationConfig().setZeroConfigFilter(new JavaSerializationFilterConfig()
        .setDefaultsDisabled(true).setWhitelist(new ClassFilter().addClasses("l2l.dsl.cluster.NoReflectiveClass")));
    Codecs.register(serialization.getCompactSerializationConfig());
    try {
      HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
      var self = hz.getCluster().getLocalMember().getAddress();
      return new Cluster(hz, self.getHost() + ":" + self.getPort());
    } catch (HazelcastException e) {
      throw new IllegalStateException("cannot start a cluster member on " + host + ":" + (port != null ? port
          : PORT + "…") + ": " + e.getMessage(), e);
    }
  }

  /** This machine's address that packets to {@code host} leave from (no packet is sent). */
  static String localAddressTowards(String host) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(InetAddress.getByName(host), 9);
      InetAddress a = s.getLocalAddress();
      if (a.isAnyLocalAddress()) throw new IllegalArgumentException("no address of this machine reaches " + host);
      return a.getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("the member host '" + host + "' cannot be resolved", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find this machine's address towards " + host + ": " + e.getMessage(), e);
    }
  }

  /** The embedded Hazelcast member. */
  public HazelcastInstance instance() {
    return hz;
  }

  /** This member's HOST:PORT. */
  public String address() {
    return address;
  }

  /** The cluster's members, oldest first. */
  public List<Member> members() {
    return new ArrayList<>(hz.getCluster().getMembers());
  }

  /** One line: this member and the cluster's size. */
  public String describe() {
    return "member " + address + " of cluster " + hz.getConfig().getClusterName() + " (" + members().size()
        + " member" + (members().size() == 1 ? "" : "s") + ")";
  }

  /**
   * Whether work sent to {@code member} failed because that member left or is leaving (so it may run
   * on another) rather than by itself, while this member still runs.
   */
  boolean lostTo(ExecutionException e, Member member) {
    Throwable cause = e instanceof MemberLeftException ? e : e.getCause();
    return hz.getLifecycleService().isRunning() && (cause instanceof RetryableException
        || cause instanceof MemberLeftException || cause instanceof HazelcastInstanceNotActiveException
        || !hz.getCluster().getMembers().contains(member));
  }

  /** Leaves the cluster, handing this member's data to the others. */
  @Override
  public void close() {
    hz.shutdown();
  }
}
