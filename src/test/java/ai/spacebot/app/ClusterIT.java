package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The processes on different clustered nodes, talking over the Hazelcast-clustered event bus. */
class ClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ScriptedModelServer model;

  @BeforeAll
  static void startModel() {
    model = ScriptedModelServer.start();
  }

  @AfterAll
  static void stopModel() {
    model.close();
  }

  @Test
  void apiOnNodeAChannelOnNodeB() throws Exception {
    // A unique cluster name keeps this test apart from any other cluster on the machine.
    String yaml = "cluster:\n  name: spacebot-it-" + UUID.randomUUID() + "\n";
    TestApp nodeB = startNode(yaml, Set.of("channel", "portal"));
    TestApp nodeA = null;
    try {
      nodeA = startNode(yaml, Set.of("api"));
      model.enqueue(ModelStep.toolCall("reply", "{\"content\":\"answered on node B\"}"));
      try (SseClient events = nodeA.events("channel_id=portal:chat:main:cl")) {
        assertThat(nodeA.http.send("main", "cl", "Qi", "hello cluster").status()).isEqualTo(200);
        assertThat(events.await("inbound_message", null, WAIT).json().getString("text")).isEqualTo("hello cluster");
        assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("answered on node B");
      }
      // Node A has no store: history comes from node B over the bus.
      var history = nodeA.http.get("/api/portal/history?agent_id=main&session_id=cl").json().getJsonArray("messages");
      assertThat(history).hasSize(2);
      assertThat(Files.exists(nodeA.dataDir.resolve("spacebot.db"))).isFalse();
      assertThat(Files.exists(nodeB.dataDir.resolve("spacebot.db"))).isTrue();
      JsonObject status = nodeA.http.get("/api/status").json();
      assertThat(status.getInteger("channels")).isEqualTo(1);
    } finally {
      if (nodeA != null) {
        nodeA.close();
      }
      nodeB.close();
    }
  }

  @Test
  void vertxLauncherStartsTheApplicationClustered() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-launcher");
    int port = TestApp.freePort();
    Path hazelcast = dir.resolve("cluster.xml");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("cluster.xml")) {
      Files.writeString(hazelcast, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("<cluster-name>spacebot</cluster-name>", "<cluster-name>launcher-" + UUID.randomUUID() + "</cluster-name>"));
    }
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    model.enqueue(ModelStep.text("launched by Vert.x"));
    List<String> java = List.of("-Dvertx.hazelcast.config=" + hazelcast, "-cp", SpacebotProcess.jar().toString(),
        "io.vertx.launcher.application.VertxApplication", SpacebotVerticle.class.getName());
    try (SpacebotProcess app = SpacebotProcess.start(env, java, "-cluster", "-conf", "{}").awaitHealthy(port, Duration.ofSeconds(90));
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?agent_id=main", Map.of())) {
      new ai.spacebot.testkit.Http("http://127.0.0.1:" + port).send("main", "vx", "Ra", "hi");
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("launched by Vert.x");
      app.terminate();
    }
  }

  private static TestApp startNode(String yaml, Set<String> only) throws Exception {
    Path dir = Files.createTempDirectory("spacebot-node");
    Files.writeString(dir.resolve("config.yaml"), yaml);
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(TestApp.freePort()));
    SpacebotConfig config = new ConfigLoader(env).load(null).withCluster(true);
    return TestApp.start(config, env, dir, only);
  }
}
