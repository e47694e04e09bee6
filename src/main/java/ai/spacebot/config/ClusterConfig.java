package ai.spacebot.config;

import java.util.List;

/**
 * Hazelcast clustering.
 *
 * @param host the interface Hazelcast and the event bus bind to
 * @param members TCP/IP join members (host or host:port)
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members) {}
