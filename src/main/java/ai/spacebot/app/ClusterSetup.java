package ai.spacebot.app;

import ai.spacebot.config.ClusterConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for a clustered Vert.x: TCP/IP join on the configured members (loopback by default), no
 * multicast, no phone-home. {@link ConfigUtil#loadConfig()} keeps the maps vertx-hazelcast needs.
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(cluster.name());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.wait.seconds.before.join", "1");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(cluster.port()).setPortAutoIncrement(true);
    net.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).clear().setMembers(cluster.members().isEmpty() ? java.util.List.of(cluster.host()) : cluster.members());
    return new HazelcastClusterManager(cfg);
  }

  static VertxOptions options(ClusterConfig cluster) {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()).setPort(0);
    return options;
  }
}
