package ai.spacebot.testkit;

import ai.spacebot.app.Bootstrap;
import ai.spacebot.app.SpacebotVerticle;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The real application started in this JVM on a free port, configured the way an operator would:
 * environment variables (a map) and optionally a config.yaml in a temporary data dir.
 */
public final class TestApp implements AutoCloseable {
  private final Bootstrap.Running running;
  private final Map<String, String> env;
  public final Path dataDir;
  public final int port;
  public final Http http;

  private TestApp(Bootstrap.Running running, Map<String, String> env, Path dataDir, int port) {
    this.running = running;
    this.env = env;
    this.dataDir = dataDir;
    this.port = port;
    this.http = new Http("http://127.0.0.1:" + port);
  }

  /** Environment for an app whose every slot uses the scripted model server. */
  public static Map<String, String> envFor(ScriptedModelServer model) {
    Map<String, String> env = new HashMap<>();
    env.put("OPENAI_API_KEY", "test-key");
    env.put("OPENAI_BASE_URL", model.baseUrl());
    env.put("SPACEBOT_MODEL", "openai/scripted");
    return env;
  }

  public static TestApp start(Map<String, String> env) throws IOException {
    return start(env, Files.createTempDirectory("spacebot-test"), null, null);
  }

  /**
   * @param yaml written to {@code dataDir/config.yaml} if not null
   * @param only descriptor names to deploy, or null for all
   */
  public static TestApp start(Map<String, String> baseEnv, Path dataDir, String yaml, Set<String> only) throws IOException {
    Map<String, String> env = new HashMap<>(baseEnv);
    env.put("SPACEBOT_DIR", dataDir.toString());
    env.putIfAbsent("SPACEBOT_PORT", String.valueOf(freePort()));
    if (yaml != null) {
      Files.writeString(dataDir.resolve("config.yaml"), yaml);
    }
    SpacebotConfig config = new ConfigLoader(env).load(null);
    return start(config, env, dataDir, only);
  }

  public static TestApp start(SpacebotConfig config, Map<String, String> env, Path dataDir, Set<String> only) {
    Bootstrap.Running running = Bootstrap.start(config, SpacebotVerticle.defaultVerticlesDir(), only).await();
    return new TestApp(running, env, dataDir, config.api().port());
  }

  /** Stops this app and starts a new one on the same data dir and port. */
  public TestApp restart() throws IOException {
    close();
    return start(env, dataDir, null, null);
  }

  public Bootstrap.Running running() {
    return running;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public SseClient events(String query) {
    return SseClient.connect(url("/api/events" + (query == null ? "" : "?" + query)), Map.of());
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    running.stop(Duration.ofSeconds(5)).await();
  }
}
