package ai.spacebot.process;

import static ai.spacebot.testkit.RoleScript.Role.BRANCH;
import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.lastToolResult;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five processes together over real HTTP and SSE, with a scripted model that answers each process
 * (channel, branch, worker) from its own script.
 */
class ProcessesIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern WORKER_ID = Pattern.compile("(w-[0-9a-f]{8})");
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    app = TestApp.start(TestApp.envFor(model));
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
    return "p-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static SseClient events(String session) {
    return app.events("channel_id=portal:chat:main:" + session);
  }

  private static String workerIdIn(String text) {
    Matcher m = WORKER_ID.matcher(text);
    assertThat(m.find()).as("a worker id in: " + text).isTrue();
    return m.group(1);
  }

  @Test
  void aChannelAnswersWhileItsWorkerWaitsOnTheModel() {
    String session = session();
    RoleScript script = RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "write a long report")))
        .then(CHANNEL, reply("I've started on the report."))
        .then(CHANNEL, reply("Two plus two is four."))
        .then(WORKER, ModelStep.text("The report is done.").delayed(Duration.ofSeconds(5)))
        .otherwise(CHANNEL, r -> reply("The report is ready."));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Ada", "please write the report");
      events.await("worker_started", null, WAIT);
      events.await("outbound_message", j -> j.getString("text").contains("started on the report"), WAIT);
      model.awaitRequests(3, WAIT); // the worker's call is now held by the model

      long sent = System.nanoTime();
      app.http.send("main", session, "Ada", "what is two plus two?");
      events.await("outbound_message", j -> j.getString("text").contains("four"), WAIT);
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(millis).as("the reply did not wait for the worker").isLessThan(1000);

      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("success");
      events.await("outbound_message", j -> j.getString("text").contains("report is ready"), WAIT);
    }
    assertThat(script).isNotNull();
  }

  @Test
  void rememberGoesThroughABranchThatSavesAMemoryAndTheConclusionIsAnswered() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("branch", new JsonObject().put("description", "Remember that Ada's favourite colour is teal")))
        .then(CHANNEL, ModelStep.toolCall("skip", "{}"))
        .then(BRANCH, call("memory_save", new JsonObject().put("content", "Ada's favourite colour is teal")
            .put("memory_type", "preference")))
        .then(BRANCH, ModelStep.text("Saved: Ada's favourite colour is teal."))
        .then(CHANNEL, r -> reply("Got it — " + RoleScript.unfenced(r.lastUserText())));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Ada", "remember that my favourite colour is teal");
      SseEvent started = events.await("branch_started", null, WAIT);
      String branchId = started.json().getString("process_id");
      assertThat(branchId).startsWith("b-");
      SseEvent saved = events.await("tool_completed", j -> "memory_save".equals(j.getString("tool_name")), WAIT);
      assertThat(saved.json().getString("process_id")).isEqualTo(branchId);
      assertThat(saved.json().getBoolean("is_error")).isFalse();
      SseEvent completed = events.await("branch_completed", null, WAIT);
      assertThat(completed.json().getString("conclusion")).contains("teal");
      SseEvent out = events.await("outbound_message", null, WAIT);
      assertThat(out.json().getString("text")).isEqualTo("Got it — Saved: Ada's favourite colour is teal.");
    }
    JsonArray found = app.http.get("/api/agents/memories/search?agent_id=main&query=favourite%20colour%20teal").json()
        .getJsonArray("results");
    assertThat(found).isNotEmpty();
    JsonObject memory = found.getJsonObject(0);
    assertThat(memory.getString("content")).isEqualTo("Ada's favourite colour is teal");
    assertThat(memory.getString("memory_type")).isEqualTo("preference");
    assertThat(memory.getString("channel_id")).isEqualTo("portal:chat:main:" + session);
    // The branch saw the conversation it forked, including the message that asked for it.
    RecordedRequest branchCall = RoleScript.of(model, BRANCH).get(0);
    assertThat(branchCall.messages().encode()).contains("my favourite colour is teal");
    assertThat(branchCall.toolNames()).containsExactlyInAnyOrder("memory_save", "memory_recall", "memory_delete",
        "memory_consolidate", "channel_recall", "spawn_worker");
  }

  @Test
  void runEchoHiSpawnsAWorkerWhoseShellOutputReachesTheReply() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "run: echo hi")))
        .then(CHANNEL, reply("Running it."))
        .then(WORKER, call("shell", new JsonObject().put("command", "echo hi")))
        .then(WORKER, r -> ModelStep.text("Output: " + RoleScript.unfenced(lastToolResult(r))))
        .then(CHANNEL, r -> reply("The worker says: " + r.lastUserText()));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Bo", "run: echo hi");
      // The worker runs beside the channel: its events and the channel's first reply come in either order.
      SseEvent out = events.await("outbound_message", j -> j.getString("text").startsWith("The worker says"), WAIT);
      assertThat(out.json().getString("text")).contains("hi").contains("(Success)");
      List<JsonObject> seen = events.events().stream().map(SseEvent::json).toList();
      assertThat(seen).anyMatch(j -> "outbound_message".equals(j.getString("type")) && j.getString("text").equals("Running it."));
      JsonObject shell = seen.stream().filter(j -> "tool_completed".equals(j.getString("type"))
          && "shell".equals(j.getString("tool_name"))).findFirst().orElseThrow();
      assertThat(shell.getString("result")).contains("hi").contains("exit code 0");
      assertThat(seen).anyMatch(j -> "worker_completed".equals(j.getString("type")) && "success".equals(j.getString("outcome")));
    }
    // The result is in the transcript, so a restarted channel still knows it.
    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + session).json().getJsonArray("messages");
    assertThat(history.stream().map(JsonObject.class::cast).anyMatch(m -> "worker".equals(m.getString("sender_name"))
        && m.getString("text").contains("Output: hi"))).isTrue();
  }

  @Test
  void aCleanWorkerSeesOnlyItsTaskAndAForkedOneSeesTheConversation() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "clean task").put("history", "clean").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "forked task").encode())))
        .then(CHANNEL, reply("started both"))
        .otherwise(WORKER, r -> ModelStep.text("done"))
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Pia", "the secret word is marmalade");
      events.await("worker_completed", null, WAIT);
      events.await("worker_completed", null, WAIT);
    }
    List<RecordedRequest> workers = RoleScript.of(model, WORKER);
    RecordedRequest clean = workers.stream().filter(r -> r.lastUserText().contains("clean task")).findFirst().orElseThrow();
    RecordedRequest forked = workers.stream().filter(r -> r.lastUserText().contains("forked task")).findFirst().orElseThrow();
    assertThat(clean.messages().encode()).doesNotContain("marmalade");
    assertThat(forked.messages().encode()).contains("marmalade");
  }

  @Test
  void theSixthBranchAndTheSixthWorkerGetALimitErrorAndADuplicateTaskIsRefused() {
    String session = session();
    List<ModelStep.ToolCall> branches = new java.util.ArrayList<>();
    List<ModelStep.ToolCall> workers = new java.util.ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      branches.add(new ModelStep.ToolCall("branch", new JsonObject().put("description", "think " + i).encode()));
      workers.add(new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "task " + i).encode()));
    }
    workers.add(new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "Task 1").encode()));
    RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(branches))
        .then(CHANNEL, ModelStep.toolCalls(workers))
        .then(CHANNEL, reply("All started."))
        .otherwise(BRANCH, r -> ModelStep.hang())
        .otherwise(WORKER, r -> ModelStep.hang());
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Cy", "do many things");
      events.await("outbound_message", null, WAIT);
    }
    List<RecordedRequest> channel = RoleScript.of(model, CHANNEL);
    List<String> afterBranches = channel.get(1).toolResults();
    assertThat(afterBranches).hasSize(6);
    assertThat(afterBranches.subList(0, 5)).allMatch(t -> t.startsWith("Branch b-"));
    assertThat(afterBranches.get(5)).contains("Limit reached: 5 branches");
    List<String> afterWorkers = channel.get(2).toolResults().subList(6, 13);
    assertThat(afterWorkers.subList(0, 5)).allMatch(t -> t.startsWith("Worker w-"));
    assertThat(afterWorkers.get(5)).contains("Limit reached: 5 workers");
    assertThat(afterWorkers.get(6)).contains("Limit reached"); // still full: the cap is checked first
    JsonArray running = app.http.get("/api/workers?agent_id=main").json().getJsonArray("workers");
    assertThat(running.stream().map(JsonObject.class::cast)
        .filter(w -> w.getString("channel_id").endsWith(session)).count()).isEqualTo(5);
    JsonObject channels = app.http.get("/api/channels?agent_id=main").json();
    JsonObject mine = channels.getJsonArray("channels").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("channel_id").endsWith(session)).findFirst().orElseThrow();
    assertThat(mine.getJsonArray("processes")).hasSize(10);
  }

  @Test
  void aDuplicateOfARunningTaskIsRefused() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "Index the  docs").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "index the docs").encode())))
        .then(CHANNEL, reply("ok"))
        .otherwise(WORKER, r -> ModelStep.hang());
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Cy", "index the docs twice");
      events.await("outbound_message", null, WAIT);
    }
    List<String> results = RoleScript.of(model, CHANNEL).get(1).toolResults();
    assertThat(results.get(0)).startsWith("Worker w-");
    assertThat(results.get(1)).contains("is already doing this task");
  }

  @Test
  void twoResultsWithin500msShareOneRetriggerTurn() throws Exception {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "first").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "second").encode())))
        .then(CHANNEL, reply("Both started."))
        .then(WORKER, ModelStep.text("first done"))
        .then(WORKER, ModelStep.text("second done").delayed(Duration.ofMillis(200)))
        .otherwise(CHANNEL, r -> reply("Results: " + r.lastUserText()));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Di", "do two things");
      events.await("outbound_message", j -> j.getString("text").startsWith("Results"), WAIT);
      Thread.sleep(1500); // a second re-trigger would have started by now
    }
    List<RecordedRequest> retriggers = RoleScript.of(model, CHANNEL).stream().filter(ProcessesIT::isRetrigger).toList();
    assertThat(retriggers).hasSize(1);
    String prompt = retriggers.get(0).messages().encode();
    assertThat(prompt).contains("first done").contains("second done");
  }

  @Test
  void afterThreeRetriggersAFourthResultOnlyGoesIntoHistory() throws Exception {
    String session = session();
    RoleScript script = RoleScript.on(model)
        .then(CHANNEL, ModelStep.toolCalls(
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "one").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "two").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "three").encode()),
            new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "four").encode())))
        .then(CHANNEL, reply("Four started."))
        .otherwise(CHANNEL, r -> reply("noted"));
    // Results 1.2 s apart: each would get its own re-trigger.
    for (int i = 0; i < 4; i++) {
      script.then(WORKER, ModelStep.text("result " + (i + 1)).delayed(Duration.ofMillis(300 + 1200L * i)));
    }
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Ed", "four jobs");
      for (int i = 0; i < 4; i++) {
        events.await("worker_completed", null, WAIT);
      }
      Thread.sleep(1500);
    }
    long retriggers = RoleScript.of(model, CHANNEL).stream().filter(ProcessesIT::isRetrigger).count();
    assertThat(retriggers).isEqualTo(3);
    // The next user message sees the fourth result in history.
    model.reset();
    RoleScript.on(model).then(CHANNEL, reply("ok"));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Ed", "and?");
      events.await("outbound_message", null, WAIT);
    }
    assertThat(model.lastRequest().messages().encode()).contains("[Background worker w-").contains("result 4");
  }

  @Test
  void threeGroupMessagesWithinTheWindowBecomeOneTurn() throws Exception {
    String session = session();
    RoleScript.on(model).otherwise(CHANNEL, r -> reply("hello all"));
    try (SseClient events = events(session)) {
      // Two people in one portal session make it a group conversation.
      app.http.send("main", session, "Fay", "hi");
      events.await("outbound_message", null, WAIT);
      app.http.send("main", session, "Gus", "hey");
      events.await("outbound_message", null, WAIT);
      int before = model.requestCount();
      java.time.Instant first = java.time.Instant.now();
      app.http.send("main", session, "Fay", "one");
      Thread.sleep(300);
      app.http.send("main", session, "Gus", "two");
      Thread.sleep(300);
      app.http.send("main", session, "Hal", "three");
      events.await("outbound_message", null, WAIT);
      Thread.sleep(2000);
      List<RecordedRequest> turns = model.requests().subList(before, model.requestCount());
      assertThat(turns).hasSize(1);
      String prompt = turns.get(0).messages().encode();
      assertThat(prompt).contains("3 messages arrived").contains("[Fay] one").contains("[Gus] two").contains("[Hal] three");
      long waited = Duration.between(first, turns.get(0).receivedAt()).toMillis();
      assertThat(waited).as("the turn starts when the 1.5 s window closes").isBetween(1400L, 2500L);
    }
  }

  @Test
  void aDirectMessageIsNotHeldBack() {
    String session = session();
    RoleScript.on(model).otherwise(CHANNEL, r -> reply("hi"));
    try (SseClient events = events(session)) {
      long sent = System.nanoTime();
      app.http.send("main", session, "Ivy", "hello");
      events.await("outbound_message", null, WAIT);
      assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(1000);
    }
  }

  @Test
  void aWorkerCancelledThroughTheApiStopsItsCommand() throws Exception {
    String session = session();
    String marker = "sleep 31.5";
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "wait a long time")))
        .then(CHANNEL, reply("Waiting."))
        .then(WORKER, call("shell", new JsonObject().put("command", marker).put("timeout_seconds", 120)))
        .otherwise(CHANNEL, r -> reply("It was cancelled."));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Jo", "wait");
      String workerId = events.await("worker_started", null, WAIT).json().getString("process_id");
      events.await("tool_started", j -> "shell".equals(j.getString("tool_name")), WAIT);
      awaitCommand(marker, true);
      var cancel = app.http.postJson("/api/channels/cancel-process", new JsonObject()
          .put("channel_id", "portal:chat:main:" + session).put("process_id", workerId));
      assertThat(cancel.status()).isEqualTo(200);
      SseEvent done = events.await("worker_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("cancelled");
      awaitCommand(marker, false);
      events.await("outbound_message", j -> j.getString("text").contains("cancelled"), WAIT);
      var again = app.http.postJson("/api/channels/cancel-process", new JsonObject()
          .put("channel_id", "portal:chat:main:" + session).put("process_id", workerId));
      assertThat(again.status()).isEqualTo(404);
    }
    var bad = app.http.postJson("/api/channels/cancel-process", new JsonObject().put("channel_id", "x"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("field")).isEqualTo("process_id");
  }

  @Test
  void theChannelCancelsABranchWithItsCancelTool() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("branch", new JsonObject().put("description", "ponder forever")))
        .then(CHANNEL, r -> call("cancel", new JsonObject().put("process_id",
            lastToolResult(r).replaceAll("^Branch (b-[0-9a-f]+).*$", "$1"))))
        .then(CHANNEL, reply("Stopped it."))
        .then(CHANNEL, r -> reply("Seen: " + r.lastUserText()))
        .otherwise(BRANCH, r -> ModelStep.hang())
        .otherwise(CHANNEL, r -> ModelStep.toolCall("skip", "{}"));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Kai", "think, then stop");
      SseEvent done = events.await("branch_completed", null, WAIT);
      assertThat(done.json().getString("outcome")).isEqualTo("cancelled");
      events.await("outbound_message", j -> j.getString("text").equals("Stopped it."), WAIT);
      // The channel cancelled it itself, so the result asks for no turn of its own...
      model.awaitQuiet(Duration.ofMillis(1500), WAIT);
      assertThat(RoleScript.of(model, CHANNEL)).hasSize(3);
      // ...but the next turn sees it.
      app.http.send("main", session, "Kai", "and now?");
      events.await("outbound_message", j -> j.getString("text").startsWith("Seen: "), WAIT);
      RecordedRequest next = RoleScript.of(model, CHANNEL).get(3);
      assertThat(next.messagesWithRole("user").stream().map(JsonObject::encode))
          .anyMatch(t -> t.contains("concluded (Cancelled)"));
    }
  }

  @Test
  void anInteractiveWorkerTakesFollowUpsThroughRoute() {
    String session = session();
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "be a calculator").put("interactive", true)))
        .then(CHANNEL, reply("Calculator started."))
        .then(WORKER, ModelStep.text("Ready for input."))
        // The re-trigger: the worker waits, so the channel routes the user's question to it.
        .then(CHANNEL, r -> call("route", new JsonObject().put("worker_id", workerIdIn(r.lastUserText()))
            .put("message", "what is 6 times 7?")))
        .then(CHANNEL, ModelStep.toolCall("skip", "{}"))
        .then(WORKER, r -> ModelStep.text("Answer: 42 (asked: " + r.lastUserText() + ")"))
        .then(CHANNEL, r -> reply("The calculator says " + r.lastUserText()));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Lu", "start a calculator");
      SseEvent first = events.await("worker_completed", null, WAIT);
      assertThat(first.json().getBoolean("waiting_for_input")).isTrue();
      String workerId = first.json().getString("process_id");
      SseEvent second = events.await("worker_completed", j -> j.getString("result").contains("42"), WAIT);
      assertThat(second.json().getString("result")).contains("[Follow-up]: what is 6 times 7?");
      events.await("outbound_message", j -> j.getString("text").contains("42"), WAIT);
      JsonArray workers = app.http.get("/api/workers?agent_id=main").json().getJsonArray("workers");
      JsonObject row = workers.stream().map(JsonObject.class::cast).filter(w -> w.getString("process_id").equals(workerId))
          .findFirst().orElseThrow();
      assertThat(row.getBoolean("waiting_for_input")).isTrue();
    }
  }

  @Test
  void workerToolsStayInsideTheWorkspaceAndShellLimitsHold() throws Exception {
    String session = session();
    Files.createDirectories(app.dataDir.resolve("agents/main/workspace"));
    Files.writeString(app.dataDir.resolve("secret.txt"), "top secret");
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "probe the sandbox")))
        .then(CHANNEL, reply("Probing."))
        .then(WORKER, call("file_read", new JsonObject().put("path", "../../../secret.txt")))
        .then(WORKER, call("file_read", new JsonObject().put("path", app.dataDir.resolve("secret.txt").toString())))
        .then(WORKER, call("shell", new JsonObject().put("command", "ln -sf " + app.dataDir + " escape")))
        .then(WORKER, call("file_read", new JsonObject().put("path", "escape/secret.txt")))
        .then(WORKER, call("file_write", new JsonObject().put("path", "notes/a.txt").put("content", "inside")))
        .then(WORKER, call("shell", new JsonObject().put("command", "sleep 20").put("timeout_seconds", 1)))
        .then(WORKER, call("shell", new JsonObject().put("command", "head -c 120000 /dev/zero | tr '\\0' a")))
        .then(WORKER, ModelStep.text("probed"))
        .otherwise(CHANNEL, r -> reply("done"));
    try (SseClient events = events(session)) {
      app.http.send("main", session, "Mo", "probe");
      events.await("worker_completed", null, Duration.ofSeconds(40));
      List<JsonObject> results = events.events().stream().filter(e -> e.event().equals("tool_completed"))
          .map(SseEvent::json).filter(j -> j.getString("process_id").startsWith("w-")).toList();
      assertThat(results).hasSize(7);
      assertThat(results.get(0).getBoolean("is_error")).isTrue();
      assertThat(results.get(0).getString("result")).contains("outside the workspace");
      assertThat(results.get(1).getBoolean("is_error")).isTrue();
      assertThat(results.get(3).getBoolean("is_error")).as("a symlink out of the workspace").isTrue();
      assertThat(results.get(3).getString("result")).doesNotContain("top secret");
      assertThat(results.get(4).getBoolean("is_error")).isFalse();
      assertThat(results.get(5).getBoolean("is_error")).isTrue();
      assertThat(results.get(5).getString("result")).contains("timed out");
      String big = results.get(6).getString("result");
      assertThat(big).contains("[output truncated").contains("120000");
      assertThat(big.length()).isLessThan(52_000);
    }
    assertThat(Files.readString(app.dataDir.resolve("agents/main/workspace/notes/a.txt"))).isEqualTo("inside");
  }

  @Test
  void aProviderContextOverflowCutsHistoryAndRetriesOnce() {
    String session = session();
    RoleScript.on(model).otherwise(CHANNEL, r -> reply("fine"));
    try (SseClient events = events(session)) {
      for (int i = 0; i < 4; i++) {
        app.http.send("main", session, "Ned", "message " + i);
        events.await("outbound_message", null, WAIT);
      }
      RoleScript.on(model)
          .then(CHANNEL, ModelStep.error(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."))
          .then(CHANNEL, reply("Still here."));
      app.http.send("main", session, "Ned", "are you there?");
      SseEvent cut = events.await("compaction_completed", j -> "emergency".equals(j.getString("level")), WAIT);
      assertThat(cut.json().getInteger("messages_removed")).isPositive();
      events.await("outbound_message", j -> j.getString("text").equals("Still here."), WAIT);
    }
    List<RecordedRequest> calls = RoleScript.of(model, CHANNEL);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).messages().size()).isLessThan(calls.get(0).messages().size());
    assertThat(calls.get(1).messages().encode()).contains("[Compaction:").contains("are you there?");
  }

  /** A re-trigger turn's request ends with a process result, not a person's message or a tool result. */
  private static boolean isRetrigger(RecordedRequest r) {
    JsonArray messages = r.messages();
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    return "user".equals(last.getString("role")) && String.valueOf(last.getValue("content")).startsWith("[Worker w-");
  }

  private static void awaitCommand(String commandLine, boolean running) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean found = ProcessHandle.current().descendants()
          .anyMatch(p -> p.info().commandLine().map(c -> c.contains(commandLine)).orElse(false));
      if (found == running) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("command \"" + commandLine + "\" " + (running ? "never started" : "is still running"));
  }
}
