package ai.spacebot.process;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.COMPACTOR;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.lastToolResult;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits that need their own configuration: a small context window for the compaction thresholds,
 * short worker time limits and segments, and a server process whose environment holds provider keys.
 */
class ProcessLimitsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int WINDOW = 4000;
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    String yaml = """
        compaction:
          context_window: %d
        worker:
          timeout_seconds: 2
          segment_turns: 2
          max_segments: 2
        """.formatted(WINDOW);
    app = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-limits"), yaml, null);
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
    return "l-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void fromEightyPercentTheOldestThirtyPercentIsSummarisedInTheBackground() {
    SseEvent done = compactAt(0.82, "background");
    assertThat(done.json().getBoolean("summarized")).isTrue();
  }

  @Test
  void fromEightyFivePercentTheOldestHalfIsSummarised() {
    SseEvent done = compactAt(0.88, "aggressive");
    assertThat(done.json().getBoolean("summarized")).isTrue();
  }

  @Test
  void fromNinetyFivePercentTheOldestHalfIsDroppedWithoutAModelCall() {
    SseEvent done = compactAt(0.97, "emergency");
    assertThat(done.json().getBoolean("summarized")).isFalse();
  }

  @Test
  void belowEightyPercentNothingHappens() throws Exception {
    String session = session();
    RoleScript.on(model).otherwise(CHANNEL, r -> ModelStep.text("ok"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Ann", "hi");
      events.await("outbound_message", null, WAIT);
      app.http.send("main", session, "Ann", "x".repeat(sizeFor(0.70, model.lastRequest())));
      events.await("outbound_message", null, WAIT);
      Thread.sleep(1000);
      assertThat(events.events()).noneMatch(e -> e.event().startsWith("compaction"));
    }
  }

  /**
   * Two turns: a short one to learn the prompt's size, then one whose message brings usage to
   * {@code usage}; then the next turn's prompt shows what compaction did.
   */
  private SseEvent compactAt(double usage, String level) {
    String session = session();
    String big;
    SseEvent done;
    RoleScript.on(model).otherwise(CHANNEL, r -> ModelStep.text("ok"))
        .otherwise(COMPACTOR, r -> ModelStep.text("SUMMARY-OF-OLD-TALK"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Ann", "hi");
      events.await("outbound_message", null, WAIT);
      int size = sizeFor(usage, model.lastRequest());
      big = "y".repeat(size);
      app.http.send("main", session, "Ann", big);
      SseEvent started = events.await("compaction_started", null, WAIT);
      assertThat(started.json().getString("level")).isEqualTo(level);
      assertThat(started.json().getDouble("usage")).isBetween(usage - 0.01, usage + 0.01);
      done = events.await("compaction_completed", null, WAIT);
      assertThat(done.json().getString("level")).isEqualTo(level);
      assertThat(done.json().getInteger("messages_removed")).isPositive();
      assertThat(done.json().getLong("tokens_after")).isLessThan(done.json().getLong("tokens_before"));
      app.http.send("main", session, "Ann", "and now?");
      events.await("outbound_message", null, WAIT);
    }
    String prompt = model.lastRequest().messages().encode();
    assertThat(prompt).doesNotContain(big).contains("and now?");
    List<RecordedRequest> summaries = RoleScript.of(model, COMPACTOR);
    if (level.equals("emergency")) {
      assertThat(summaries).isEmpty();
      assertThat(prompt).contains("[Compaction: ");
    } else {
      assertThat(summaries).hasSize(1);
      assertThat(summaries.get(0).messages().encode()).contains(big.substring(0, 100));
      assertThat(prompt).contains("[Compaction Summary]: SUMMARY-OF-OLD-TALK");
    }
    return done;
  }

  /**
   * The characters a message needs so that, after its turn (the model answers "ok"), estimated tokens
   * reach {@code usage} of the window — the same estimate the channel makes: a quarter of the system
   * prompt, plus per message (characters + 3) / 4 + 4.
   */
  private static int sizeFor(double usage, RecordedRequest previous) {
    long tokens = 0;
    var messages = previous.messages();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      String content = String.valueOf(m.getValue("content"));
      tokens += m.getString("role").equals("system") ? content.length() / 4 : (content.length() + 3) / 4 + 4;
    }
    tokens += 5; // the previous answer "ok"
    tokens += 5; // this turn's answer "ok"
    long target = Math.round(usage * WINDOW);
    long messageTokens = target - tokens - 4; // the new message's own framing
    return (int) (messageTokens * 4) - "[Ann] ".length();
  }

  @Test
  void aWorkerDropsItsOlderWorkBeforeASegmentPastSeventyPercentOfTheWindow() {
    String session = session();
    String big = "head -c 12000 /dev/zero | tr '\\0' b";
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "print a lot").put("history", "clean")))
        .then(CHANNEL, reply("started"))
        .then(WORKER, call("shell", new JsonObject().put("command", big)))
        .then(WORKER, call("shell", new JsonObject().put("command", "echo second")))
        .then(WORKER, ModelStep.text("done"))
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Dan", "go");
      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("success");
    }
    List<RecordedRequest> calls = RoleScript.of(model, WORKER);
    assertThat(calls).hasSize(3);
    assertThat(calls.get(1).messages().encode()).contains("bbbbbbbbbb");
    String third = calls.get(2).messages().encode();
    assertThat(third).doesNotContain("bbbbbbbbbb").contains("[Compaction: ").contains("[Task]: print a lot");
  }

  @Test
  void aWorkerWhoseModelRefusesAnOverlongPromptCutsItsWorkAndRetries() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "overflow once").put("history", "clean")))
        .then(CHANNEL, reply("started"))
        .then(WORKER, call("shell", new JsonObject().put("command", "echo one")))
        .then(WORKER, call("shell", new JsonObject().put("command", "echo two")))
        .then(WORKER, ModelStep.error(400, "This model's maximum context length is 4000 tokens."))
        .then(WORKER, ModelStep.text("recovered"))
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Eve", "go");
      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("success");
      assertThat(done.json().getString("result")).isEqualTo("recovered");
    }
    List<RecordedRequest> calls = RoleScript.of(model, WORKER);
    assertThat(calls).hasSize(4);
    assertThat(calls.get(3).messages().size()).isLessThan(calls.get(2).messages().size());
    assertThat(calls.get(3).messages().encode()).contains("[Compaction: ").contains("[Task]: overflow once");
  }

  @Test
  void aWorkerPastItsWallClockEndsWithTimeout() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "never finish")))
        .then(CHANNEL, reply("started"))
        .otherwise(WORKER, r -> ModelStep.hang())
        .otherwise(CHANNEL, r -> reply("it timed out"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Bea", "go");
      events.await("worker_started", null, WAIT);
      long start = System.nanoTime();
      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      events.await("outbound_message", j -> j.getString("text").equals("it timed out"), WAIT);
    }
  }

  @Test
  void aWorkerThatNeverFinishesStopsAfterItsLastSegmentAsPartial() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "keep going")))
        .then(CHANNEL, reply("started"))
        .otherwise(WORKER, r -> call("shell", new JsonObject().put("command", "echo step")))
        .otherwise(CHANNEL, r -> reply("partial"));
    try (SseClient events = app.events("channel_id=portal:chat:main:" + session)) {
      app.http.send("main", session, "Cal", "go");
      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("partial");
    }
    List<RecordedRequest> calls = RoleScript.of(model, WORKER);
    assertThat(calls).hasSize(4); // 2 segments of 2 model calls
    assertThat(calls.get(2).messages().encode()).contains("[Checkpoint 1 of 2]");
  }

  @Test
  void shellCommandsDoNotSeeTheServersProviderKeys() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-env");
    int port = TestApp.freePort();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("OPENAI_API_KEY", "sk-env-scrub-secret-4711");
    env.put("ANTHROPIC_API_KEY", "sk-ant-env-scrub-0815");
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "print the environment")))
        .then(CHANNEL, reply("on it"))
        .then(WORKER, call("shell", new JsonObject().put("command", "env")))
        .then(WORKER, r -> ModelStep.text("ENV:" + lastToolResult(r)))
        .otherwise(CHANNEL, r -> reply(r.lastUserText()));
    try (SpacebotProcess server = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?channel_id=portal:chat:main:env")) {
      new ai.spacebot.testkit.Http("http://127.0.0.1:" + port).send("main", "env", "Dee", "show env");
      SseEvent out = events.await("outbound_message", j -> j.getString("text").contains("ENV:"), Duration.ofSeconds(40));
      String text = out.json().getString("text");
      assertThat(text).contains("PATH=").contains("HOME=");
      assertThat(text).doesNotContain("sk-env-scrub-secret-4711").doesNotContain("sk-ant-env-scrub-0815")
          .doesNotContain("OPENAI_API_KEY").doesNotContain("SPACEBOT_DIR");
    }
  }
}
