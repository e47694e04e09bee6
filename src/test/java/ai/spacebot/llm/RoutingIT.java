package ai.spacebot.llm;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing order over real HTTP: conversation pin > task override > complexity tier > process slot. */
class RoutingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    Map<String, String> env = new HashMap<>();
    env.put("OPENAI_API_KEY", "test-key");
    env.put("OPENAI_BASE_URL", model.baseUrl());
    String yaml = """
        agents:
          - id: main
            name: Spacebot
            routing:
              channel: openai/slot-channel
              branch: openai/slot-branch
              worker: openai/slot-worker
              compactor: openai/slot-compactor
              task_overrides:
                coding: openai/task-coding
              tiers:
                light: openai/tier-light
                heavy: openai/tier-heavy
        """;
    app = TestApp.start(env, Files.createTempDirectory("spacebot-routing"), yaml, null);
  }

  /** Each test starts once the last one's background work has settled (its re-trigger included). */
  @AfterEach
  void settle() {
    model.awaitQuiet(Duration.ofMillis(1500), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    app.close();
    model.close();
  }

  private static String session() {
    return "r-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void turn(String session, String text) {
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Ria", text);
      events.await("outbound_message", null, WAIT);
    }
  }

  @Test
  void chitChatGoesToTheLightTierAndCodeToTheHeavyOne() {
    String session = session();
    RoleScript.on(model).otherwise(CHANNEL, r -> reply("ok"));
    turn(session, "thanks!");
    assertThat(model.lastRequest().model()).isEqualTo("tier-light");
    turn(session, """
        Please refactor this Java class so it no longer blocks, then write tests for it step by step:
        ```java
        public final class OrderService {
          public Order load(long id) throws SQLException { return repository.findById(id).orElseThrow(); }
        }
        ```
        Exception in thread "main" java.lang.IllegalStateException: boom
            at com.example.OrderService.load(OrderService.java:42)
        """);
    assertThat(model.lastRequest().model()).isEqualTo("tier-heavy");
  }

  @Test
  void aTaskTypeRoutesAWorkerToItsOverrideAndOtherwiseToTheSlot() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "write code").put("task_type", "coding").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "tidy files").encode())))
        .then(CHANNEL, reply("both started"))
        .otherwise(WORKER, r -> ModelStep.text("done"))
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Ria", "two jobs");
      events.await("worker_completed", null, WAIT);
      events.await("worker_completed", null, WAIT);
    }
    List<RecordedRequest> workers = RoleScript.of(model, WORKER);
    assertThat(workers.stream().filter(r -> r.lastUserText().contains("write code")).findFirst().orElseThrow().model())
        .isEqualTo("task-coding");
    assertThat(workers.stream().filter(r -> r.lastUserText().contains("tidy files")).findFirst().orElseThrow().model())
        .isEqualTo("slot-worker");
  }

  @Test
  void aConversationPinWinsOverTiersAndTaskOverridesUntilItIsRemoved() {
    String session = session();
    String channel = "portal:chat:main:" + session;
    Http.Response pinned = app.http.put("/api/channels/model",
        new JsonObject().put("agent_id", "main").put("channel_id", channel).put("model", "openai/pinned").encode());
    assertThat(pinned.status()).isEqualTo(200);
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "code it").put("task_type", "coding")))
        .then(CHANNEL, reply("started"))
        .otherwise(WORKER, r -> ModelStep.text("done"))
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = app.events("channel_id=" + channel)) {
      app.http.send("main", session, "Ria", "thanks, and code it");
      events.await("worker_completed", null, WAIT);
    }
    assertThat(RoleScript.of(model, CHANNEL)).allMatch(r -> r.model().equals("pinned"));
    assertThat(RoleScript.of(model, WORKER)).allMatch(r -> r.model().equals("pinned"));
    JsonObject listed = app.http.get("/api/channels?agent_id=main").json().getJsonArray("channels").stream()
        .map(JsonObject.class::cast).filter(c -> c.getString("channel_id").equals(channel)).findFirst().orElseThrow();
    assertThat(listed.getString("model_override")).isEqualTo("openai/pinned");

    assertThat(app.http.put("/api/channels/model", new JsonObject().put("agent_id", "main").put("channel_id", channel)
        .putNull("model").encode()).status()).isEqualTo(200);
    RoleScript.on(model).otherwise(CHANNEL, r -> reply("ok"));
    turn(session, "thanks!");
    assertThat(model.lastRequest().model()).isEqualTo("tier-light");
  }

  @Test
  void aPinToAnUnknownProviderOrAMalformedModelIsRefused() {
    Http.Response unknown = app.http.put("/api/channels/model",
        new JsonObject().put("agent_id", "main").put("channel_id", "portal:chat:main:x").put("model", "nope/m").encode());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getString("field")).isEqualTo("model");
    assertThat(unknown.json().getString("error")).contains("not configured");
    Http.Response malformed = app.http.put("/api/channels/model",
        new JsonObject().put("agent_id", "main").put("channel_id", "portal:chat:main:x").put("model", "gpt").encode());
    assertThat(malformed.status()).isEqualTo(400);
    Http.Response noAgent = app.http.put("/api/channels/model",
        new JsonObject().put("agent_id", "ghost").put("channel_id", "portal:chat:main:x").put("model", "openai/m").encode());
    assertThat(noAgent.status()).isEqualTo(400);
    assertThat(noAgent.json().getString("field")).isEqualTo("agent_id");
  }
}
