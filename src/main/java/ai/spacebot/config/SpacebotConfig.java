package ai.spacebot.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The whole typed configuration, read once at start by {@link ConfigLoader}. */
public record SpacebotConfig(
    Path dataDir,
    ApiConfig api,
    StoreConfig store,
    LlmConfig llm,
    List<AgentConfig> agents,
    ChannelSettings channel,
    BranchSettings branch,
    WorkerSettings worker,
    CompactionSettings compaction,
    CortexSettings cortex,
    DeliveryConfig delivery,
    MessagingConfig messaging,
    EventsConfig events,
    ClusterConfig cluster,
    WebSettings web, SecretsConfig secrets) {

  public Optional<AgentConfig> agent(String id) {
    return agents.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public Path agentDir(String agentId) {
    return dataDir.resolve("agents").resolve(agentId);
  }

  /** Where an agent's workers read and write files and run commands. */
  public Path workspace(String agentId) {
    return agentDir(agentId).resolve("workspace");
  }

  public SpacebotConfig withCluster(boolean enabled) {
    return new SpacebotConfig(dataDir, api, store, llm, agents, channel, branch, worker, compaction, cortex, delivery, messaging, events,
        new ClusterConfig(enabled, cluster.name(), cluster.host(), cluster.port(), cluster.members()), web, secrets);
  }

  /**
   * This configuration built again with {@code secret:} values from {@code lookup} (the store, once open or
   * unlocked); a secret the lookup does not have is a {@link ConfigException} naming the key and the secret.
   */
  public SpacebotConfig resolveSecrets(SecretLookup lookup) {
    return secrets.resolver().apply(lookup).withCluster(cluster.enabled());
  }
}
