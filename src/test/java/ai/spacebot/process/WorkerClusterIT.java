package ai.spacebot.process;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.lastToolResult;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker on a second clustered node does a task for a channel on the first. */
class WorkerClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void aWorkerOnAnotherNodeCompletesATaskForAChannelOnThisNode() throws Exception {
    String yaml = "cluster:\n  name: spacebot-workers-" + UUID.randomUUID() + "\n";
    try (ScriptedModelServer model = ScriptedModelServer.start()) {
      RoleScript.on(model)
          .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "write the note on your node")))
          .then(CHANNEL, reply("Asked a worker."))
          .then(WORKER, call("file_write", new JsonObject().put("path", "note.txt").put("content", "from node B")))
          .then(WORKER, call("shell", new JsonObject().put("command", "cat note.txt; pwd")))
          .then(WORKER, r -> ModelStep.text("Done: " + lastToolResult(r)))
          .otherwise(CHANNEL, r -> reply(r.lastUserText()));
      TestApp nodeA = startNode(model, yaml, Set.of("api", "channel", "portal", "memory", "compactor", "cortex"));
      TestApp nodeB = null;
      try {
        nodeB = startNode(model, yaml, Set.of("worker"));
        try (SseClient events = nodeA.events("channel_id=portal:chat:main:cw")) {
          nodeA.http.send("main", "cw", "Ola", "please write a note");
          events.await("worker_started", null, WAIT);
          String text = events.await("outbound_message", j -> j.getString("text").contains("Done:"), WAIT).json()
              .getString("text");
          assertThat(text).contains("from node B").contains(nodeB.dataDir.toString());
        }
        assertThat(nodeB.dataDir.resolve("agents/main/workspace/note.txt")).hasContent("from node B");
        assertThat(nodeA.dataDir.resolve("agents/main/workspace/note.txt")).doesNotExist();
      } finally {
        if (nodeB != null) {
          nodeB.close();
        }
        nodeA.close();
      }
    }
  }

  @Test
  void aResultForAChannelWhoseNodeRestartedMeanwhileIsStillAnswered() throws Exception {
    String yaml = "cluster:\n  name: spacebot-restart-" + UUID.randomUUID() + "\n";
    Set<String> channelNode = Set.of("api", "channel", "portal", "memory", "compactor", "cortex");
    try (ScriptedModelServer model = ScriptedModelServer.start()) {
      RoleScript.on(model)
          .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "take your time")))
          .then(CHANNEL, reply("Started a slow worker."))
          .then(WORKER, ModelStep.text("slow result 7313").delayed(Duration.ofSeconds(6)))
          .otherwise(CHANNEL, r -> reply("Back after the restart: " + r.lastUserText()));
      Path dirA = Files.createTempDirectory("spacebot-node");
      int portA = TestApp.freePort();
      TestApp nodeA = startNode(model, yaml, channelNode, dirA, portA);
      TestApp nodeB = startNode(model, yaml, Set.of("worker"));
      try {
        try (SseClient events = nodeA.events("channel_id=portal:chat:main:rs")) {
          nodeA.http.send("main", "rs", "Ula", "do the slow thing");
          events.await("outbound_message", j -> j.getString("text").startsWith("Started"), WAIT);
        }
        nodeA.close(); // the channel's node goes away while the worker runs on node B
        nodeA = startNode(model, yaml, channelNode, dirA, portA);
        try (SseClient events = nodeA.events("channel_id=portal:chat:main:rs")) {
          String text = events.await("outbound_message", j -> j.getString("text").startsWith("Back after"), WAIT).json()
              .getString("text");
          assertThat(text).contains("slow result 7313").contains("(Success)");
        }
      } finally {
        nodeB.close();
        nodeA.close();
      }
    }
  }

  private static TestApp startNode(ScriptedModelServer model, String yaml, Set<String> only) throws Exception {
    return startNode(model, yaml, only, Files.createTempDirectory("spacebot-node"), TestApp.freePort());
  }

  private static TestApp startNode(ScriptedModelServer model, String yaml, Set<String> only, Path dir, int port)
      throws Exception {
    Files.writeString(dir.resolve("config.yaml"), yaml);
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    SpacebotConfig config = new ConfigLoader(env).load(null).withCluster(true);
    return TestApp.start(config, env, dir, only);
  }
}
