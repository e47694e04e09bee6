package ai.spacebot.channel;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.store.Database;
import ai.spacebot.store.TranscriptMessage;
import ai.spacebot.store.TranscriptRepository;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restarts and crashes: the transcript survives, an accepted message is answered exactly once. */
class DurabilityIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** A Last-Event-ID from an earlier boot: the server replays its whole buffer. */
  private static final Map<String, String> REPLAY_ALL = Map.of("Last-Event-ID", "earlier-boot-0");
  private static ScriptedModelServer model;

  @BeforeAll
  static void startModel() {
    model = ScriptedModelServer.start();
  }

  @AfterAll
  static void stopModel() {
    model.close();
  }

  @BeforeEach
  void reset() {
    model.reset();
  }

  @Test
  void historySurvivesARestartAndIsGivenToTheModelAgain() throws Exception {
    model.enqueue(ModelStep.text("Noted: your cat is Miso."), ModelStep.text("Miso!"));
    TestApp app = TestApp.start(TestApp.envFor(model));
    try (SseClient events = app.events("channel_id=portal:chat:main:r1")) {
      app.http.send("main", "r1", "Kim", "my cat is called Miso");
      events.await("outbound_message", null, WAIT);
    }
    app = app.restart();
    try {
      JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=r1").json().getJsonArray("messages");
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(1).getString("text")).isEqualTo("Noted: your cat is Miso.");
      assertThat(history.getJsonObject(1).getString("status")).isEqualTo("delivered");
      try (SseClient events = app.events("channel_id=portal:chat:main:r1")) {
        app.http.send("main", "r1", "Kim", "what is my cat called?");
        events.await("outbound_message", null, WAIT);
      }
      String prompt = model.lastRequest().messages().encode();
      assertThat(prompt).contains("my cat is called Miso").contains("Noted: your cat is Miso.");
    } finally {
      app.close();
    }
  }

  @Test
  void messageAcceptedBeforeACrashIsAnsweredExactlyOnceAfterRestart() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-crash");
    int port = TestApp.freePort();
    Map<String, String> env = processEnv(dir, port);
    model.enqueue(ModelStep.hang()); // the first attempt never finishes: the process dies mid-turn
    model.enqueue(ModelStep.toolCall("reply", "{\"content\":\"answered after the crash\"}"));
    try (SpacebotProcess first = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
      Http.Response sent = new Http("http://127.0.0.1:" + port).send("main", "crash", "Lu", "please answer me");
      assertThat(sent.status()).isEqualTo(200);
      model.awaitRequests(1, WAIT);
      first.kill();
    }
    try (SpacebotProcess second = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?channel_id=portal:chat:main:crash", REPLAY_ALL)) {
      events.await("outbound_message", null, WAIT);
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
      Thread.sleep(1500); // long enough for a duplicate to show up if there were one
      assertThat(events.events().stream().filter(e -> e.event().equals("outbound_message"))).hasSize(1);
      JsonArray history = new Http("http://127.0.0.1:" + port).get("/api/portal/history?agent_id=main&session_id=crash")
          .json().getJsonArray("messages");
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(0).getString("status")).isEqualTo("answered");
      assertThat(history.getJsonObject(1).getString("text")).isEqualTo("answered after the crash");
      assertThat(model.requestCount()).isEqualTo(2);
      second.terminate();
    }
  }

  @Test
  void aWorkerResultWhoseTurnDiedInACrashIsAnsweredOnceAfterRestart() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-retrigger-crash");
    int port = TestApp.freePort();
    Map<String, String> env = processEnv(dir, port);
    String conversation = "portal:chat:main:rc";
    RoleScript.on(model)
        .then(CHANNEL, RoleScript.call("spawn_worker", new JsonObject().put("task", "find the answer").put("history", "clean")))
        .then(CHANNEL, RoleScript.reply("On it."))
        .then(WORKER, ModelStep.text("The answer is 42."))
        .then(CHANNEL, ModelStep.hang()) // the re-trigger turn: the process dies during it
        .then(CHANNEL, r -> RoleScript.reply("Found it: " + r.lastUserText()));
    try (SpacebotProcess first = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
      new Http("http://127.0.0.1:" + port).send("main", "rc", "Lu", "find the answer, please");
      awaitChannelRequests(3);
      first.kill();
    }
    try (SpacebotProcess second = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?channel_id=" + conversation, REPLAY_ALL)) {
      String text = events.await("outbound_message", j -> j.getString("text").startsWith("Found it"), WAIT)
          .json().getString("text");
      assertThat(text).contains("The answer is 42.");
      Thread.sleep(1500); // long enough for a duplicate re-trigger to show up if there were one
      assertThat(RoleScript.of(model, CHANNEL)).hasSize(4);
      second.terminate();
    }
    // The result is recorded as handled with its turn: a third start would not run it again.
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.open(vertx, dir.resolve("spacebot.db")).await();
      List<TranscriptMessage> rows = new TranscriptRepository(db).history(conversation, 50).await();
      assertThat(rows).filteredOn(m -> m.direction().equals("system"))
          .singleElement().satisfies(m -> {
            assertThat(m.text()).contains("The answer is 42.");
            assertThat(m.status()).isEqualTo("answered");
          });
      assertThat(new TranscriptRepository(db).conversationsWithPendingResults().await()).isEmpty();
      db.close().await();
    } finally {
      vertx.close().await();
    }
  }

  private static void awaitChannelRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (RoleScript.of(model, CHANNEL).size() < n) {
      assertThat(System.nanoTime()).as("%d channel model requests", n).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void gracefulStopLetsATurnInFlightFinish() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-stop");
    int port = TestApp.freePort();
    Map<String, String> env = processEnv(dir, port);
    model.enqueue(ModelStep.text("slow ", "but ", "complete").withChunkDelay(Duration.ofMillis(700)));
    try (SpacebotProcess app = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
      new Http("http://127.0.0.1:" + port).send("main", "stop", "Mo", "take your time");
      model.awaitRequests(1, WAIT);
      long start = System.nanoTime();
      app.terminate();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(dir.resolve("spacebot.pid")).doesNotExist();
    }
    TestApp reopened = TestApp.start(TestApp.envFor(model), dir, null, null);
    try {
      JsonArray history = reopened.http.get("/api/portal/history?agent_id=main&session_id=stop").json().getJsonArray("messages");
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(1).getString("text")).isEqualTo("slow but complete");
      assertThat(model.requestCount()).isEqualTo(1);
    } finally {
      reopened.close();
    }
  }

  @Test
  void undeliveredReplyIsSentAfterRestart() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-outbox");
    // A previous run stored the reply but died before delivering it.
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.open(vertx, dir.resolve("spacebot.db")).await();
      TranscriptRepository transcript = new TranscriptRepository(db);
      String conversation = "portal:chat:main:outbox";
      transcript.acceptInbound(new InboundMessage("in-1", "main", "portal", conversation, "portal:outbox", "Ny", "hello?",
          System.currentTimeMillis(), null, new JsonObject())).await();
      transcript.completeTurn(List.of("in-1"), new OutboundMessage("out-1", OutboundMessage.MESSAGE, "main", "portal",
          conversation, "stored but never sent", "in-1", "reply:in-1")).await();
      db.close().await();
    } finally {
      vertx.close().await();
    }
    TestApp app = TestApp.start(TestApp.envFor(model), dir, null, null);
    try (SseClient events = SseClient.connect(app.url("/api/events?channel_id=portal:chat:main:outbox"), REPLAY_ALL)) {
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("stored but never sent");
      assertThat(model.requestCount()).isZero();
    } finally {
      app.close();
    }
  }

  @Test
  void processWithNoProviderStartsAndExplainsHowToConfigureAModel() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-noprovider");
    int port = TestApp.freePort();
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port));
    try (SpacebotProcess app = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?agent_id=main", Map.of())) {
      new Http("http://127.0.0.1:" + port).send("main", "np", "Oz", "hello?");
      String message = events.await("error", null, WAIT).json().getString("message");
      assertThat(message).contains("No model is configured").contains("OPENAI_API_KEY");
      app.terminate();
    }
  }

  @Test
  void processWithOnlyOpenAiEnvironmentAnswersWithTheDefaultModel() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-envonly");
    int port = TestApp.freePort();
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port),
        "OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", model.baseUrl());
    model.enqueue(ModelStep.text("hello from env-only"));
    try (SpacebotProcess app = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?agent_id=main", Map.of())) {
      new Http("http://127.0.0.1:" + port).send("main", "env", "Pi", "hi");
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("hello from env-only");
      assertThat(model.lastRequest().model()).isEqualTo("gpt-4.1-mini");
      assertThat(model.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
      app.terminate();
    }
  }

  private static Map<String, String> processEnv(Path dir, int port) {
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    return env;
  }
}
