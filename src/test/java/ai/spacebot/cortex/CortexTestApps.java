package ai.spacebot.cortex;

import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.CortexSettings;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Starts the real application with short cortex intervals, written to its config.yaml as an operator would. */
final class CortexTestApps {
  private CortexTestApps() {}

  /**
   * @param yaml more of config.yaml (may be null)
   * @param clustered whether the node joins a Hazelcast cluster
   */
  static TestApp start(Map<String, String> baseEnv, CortexSettings cortex, String yaml, boolean clustered, Set<String> only)
      throws IOException {
    Path dir = Files.createTempDirectory("spacebot-cortex");
    String section = String.join("\n", "cortex:",
        "  tick_seconds: " + cortex.tickSeconds(),
        "  stuck_after_seconds: " + cortex.stuckAfterSeconds(),
        "  maintenance_interval_seconds: " + cortex.maintenanceIntervalSeconds(),
        "  association_interval_seconds: " + cortex.associationIntervalSeconds(),
        "  failure_limit: " + cortex.failureLimit(),
        "  pause_seconds: " + cortex.pauseSeconds(), "");
    Files.writeString(dir.resolve("config.yaml"), section + (yaml == null ? "" : yaml));
    Map<String, String> env = new HashMap<>(baseEnv);
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(TestApp.freePort()));
    SpacebotConfig config = new ConfigLoader(env).load(null).withCluster(clustered);
    if (!config.cortex().equals(cortex)) {
      throw new IllegalStateException("config.yaml did not set the cortex: " + config.cortex());
    }
    return TestApp.start(config, env, dir, only);
  }
}
