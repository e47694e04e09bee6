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

/**
 * Starts the real application with short cortex intervals.
 *
 * <p>The cortex settings are put into the loaded configuration rather than written to config.yaml because
 * ConfigLoader's list of keys an operator may set does not (yet) include {@code cortex} (nor branch, worker
 * and compaction): a config.yaml with a {@code cortex:} section is refused as "not a known key".
 */
final class CortexTestApps {
  private CortexTestApps() {}

  /**
   * @param yaml written to config.yaml (may be null); cluster keys work, cortex keys do not (see above)
   * @param clustered whether the node joins a Hazelcast cluster
   */
  static TestApp start(Map<String, String> baseEnv, CortexSettings cortex, String yaml, boolean clustered, Set<String> only)
      throws IOException {
    Path dir = Files.createTempDirectory("spacebot-cortex");
    if (yaml != null) {
      Files.writeString(dir.resolve("config.yaml"), yaml);
    }
    Map<String, String> env = new HashMap<>(baseEnv);
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(TestApp.freePort()));
    SpacebotConfig c = new ConfigLoader(env).load(null).withCluster(clustered);
    SpacebotConfig config = new SpacebotConfig(c.dataDir(), c.api(), c.store(), c.llm(), c.agents(), c.channel(), c.branch(),
        c.worker(), c.compaction(), cortex, c.delivery(), c.events(), c.cluster());
    return TestApp.start(config, env, dir, only);
  }
}
