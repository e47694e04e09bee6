package ai.spacebot.cortex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.Outcome;
import ai.spacebot.config.CortexSettings;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cortex in the real application: memory maintenance on its schedule (seen over the HTTP event stream),
 * stuck branches and workers cancelled, the process table and cancel requests on the bus.
 */
class CortexIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CHANNEL = "portal:chat:main:cortex";
  /** tick 1 s, stuck after 2 s, maintenance and association every 1 s; 3 failures pause for 30 min (defaults). */
  private static final CortexSettings FAST = new CortexSettings(1, 2, 1, 1, 3, 1800);
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    app = CortexTestApps.start(TestApp.envFor(model), FAST, null, false, null);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    model.close();
  }

  private static Vertx vertx() {
    return app.running().vertx();
  }

  @Test
  void memoryMaintenanceRunsBothPassGroupsOnItsSchedule() {
    try (SseClient events = app.events("agent_id=main")) {
      SseEvent maintenance = events.await("memory_maintenance", e -> e.getString("passes").equals("decay,prune,merge"), WAIT);
      assertThat(maintenance.json().getBoolean("ok")).as(maintenance.data()).isTrue();
      assertThat(new JsonObject(maintenance.json().getString("detail")).fieldNames())
          .containsExactlyInAnyOrder("decayed", "pruned", "merged");
      SseEvent association = events.await("memory_maintenance", e -> e.getString("passes").equals("associate"), WAIT);
      assertThat(association.json().getBoolean("ok")).as(association.data()).isTrue();
      assertThat(new JsonObject(association.json().getString("detail")).containsKey("associated")).isTrue();
      assertThat(association.json().getString("agent_id")).isEqualTo("main");
      // Every second, again and again: the schedule re-arms after each run.
      SseEvent again = events.await("memory_maintenance", e -> e.getString("passes").equals("decay,prune,merge"), WAIT);
      assertThat(again.json().getBoolean("ok")).isTrue();
    }
    // The supervisor never asks a model anything.
    assertThat(model.requestCount()).isZero();
  }

  @Test
  void aStuckWorkerIsReportedAndCancelledWhileBusyAndWaitingWorkersAreLeftAlone() throws Exception {
    List<JsonObject> stuckControl = recordControl("w-stuck");
    List<JsonObject> busyControl = recordControl("w-busy");
    List<JsonObject> waitingControl = recordControl("w-waiting");
    try (SseClient events = app.events("agent_id=main")) {
      publish(new AgentEvent.WorkerStarted("main", CHANNEL, "w-stuck", "hang forever", false));
      publish(new AgentEvent.WorkerStarted("main", CHANNEL, "w-busy", "keeps calling tools", false));
      publish(new AgentEvent.BranchStarted("main", CHANNEL, "b-waiting-parent", "unrelated branch"));
      publish(new AgentEvent.WorkerStarted("main", CHANNEL, "w-waiting", "asks the user", true));
      publish(new AgentEvent.WorkerCompleted("main", CHANNEL, "w-waiting", Outcome.SUCCESS, "Which file?", true));
      publish(new AgentEvent.BranchCompleted("main", CHANNEL, "b-waiting-parent", Outcome.SUCCESS, "done"));
      long busyTimer = keepBusy("w-busy");
      try {
        awaitTrue(() -> ids(processes(new JsonObject().put("channel_id", CHANNEL))).containsAll(
            List.of("w-stuck", "w-busy", "w-waiting")), "the table lists the three workers");
        JsonObject listed = processes(new JsonObject().put("agent_id", "main")).stream().map(JsonObject.class::cast)
            .filter(p -> p.getString("process_id").equals("w-stuck")).findFirst().orElseThrow();
        assertThat(listed.getString("kind")).isEqualTo("worker");
        assertThat(listed.getString("task")).isEqualTo("hang forever");
        assertThat(listed.getString("channel_id")).isEqualTo(CHANNEL);
        assertThat(ids(processes(new JsonObject()))).doesNotContain("b-waiting-parent");
        assertThat(processes(new JsonObject().put("agent_id", "nobody"))).isEmpty();

        SseEvent stuck = events.await("process_stuck", e -> e.getString("process_id").equals("w-stuck"), WAIT);
        assertThat(stuck.json().getString("kind")).isEqualTo("worker");
        assertThat(stuck.json().getString("channel_id")).isEqualTo(CHANNEL);
        assertThat(stuck.json().getString("reason")).startsWith("no progress for ");
        awaitTrue(() -> !stuckControl.isEmpty(), "the stuck worker received a cancel");
        assertThat(stuckControl.get(0).getString("action")).isEqualTo("cancel");
        assertThat(stuckControl.get(0).getString("text")).startsWith("cortex: no progress for ");

        // Three more ticks: the busy and the waiting worker are still not cancelled, the stuck one only once.
        Thread.sleep(3_000);
        assertThat(busyControl).isEmpty();
        assertThat(waitingControl).isEmpty();
        assertThat(stuckControl).hasSize(1);
        assertThat(events.events()).filteredOn(e -> e.event().equals("process_stuck"))
            .extracting(e -> e.json().getString("process_id")).containsExactly("w-stuck");
        JsonObject waiting = processes(new JsonObject().put("channel_id", CHANNEL)).stream().map(JsonObject.class::cast)
            .filter(p -> p.getString("process_id").equals("w-waiting")).findFirst().orElseThrow();
        assertThat(waiting.getBoolean("waiting_for_input")).isTrue();

        // The cancelled worker ends as a worker does; then it is gone from the table.
        publish(new AgentEvent.WorkerCompleted("main", CHANNEL, "w-stuck", Outcome.CANCELLED, "cancelled", false));
        awaitTrue(() -> !ids(processes(new JsonObject())).contains("w-stuck"), "the ended worker leaves the table");
      } finally {
        vertx().cancelTimer(busyTimer);
        publish(new AgentEvent.WorkerCompleted("main", CHANNEL, "w-busy", Outcome.SUCCESS, "ok", false));
        publish(new AgentEvent.WorkerCompleted("main", CHANNEL, "w-waiting", Outcome.CANCELLED, "bye", false));
      }
    }
  }

  @Test
  void aStuckProcessWhoseControlAddressIsGoneIsRemovedFromTheTable() {
    try (SseClient events = app.events("agent_id=main")) {
      publish(new AgentEvent.BranchStarted("main", CHANNEL, "b-dead-node", "its node died"));
      awaitTrue(() -> ids(processes(new JsonObject())).contains("b-dead-node"), "the table lists the branch");
      SseEvent stuck = events.await("process_stuck", e -> e.getString("process_id").equals("b-dead-node"), WAIT);
      assertThat(stuck.json().getString("kind")).isEqualTo("branch");
      // No consumer on its control address: the cancel finds no handler, and the row goes.
      awaitTrue(() -> !ids(processes(new JsonObject())).contains("b-dead-node"), "the dead branch leaves the table");
    }
  }

  @Test
  void cancelRequestsReachTheProcessOrFailWith404() throws Exception {
    AsyncResult<Message<JsonObject>> unknown = ask(Addresses.CORTEX_CANCEL,
        new JsonObject().put("channel_id", CHANNEL).put("process_id", "no-such-worker"));
    assertThat(unknown.failed()).isTrue();
    assertThat(((ReplyException) unknown.cause()).failureCode()).isEqualTo(404);
    assertThat(unknown.cause().getMessage()).contains("no such process no-such-worker");

    List<JsonObject> control = recordControl("w-manual");
    publish(new AgentEvent.WorkerStarted("main", CHANNEL, "w-manual", "long job", false));
    long busy = keepBusy("w-manual"); // so that the supervisor does not cancel it first
    try {
      awaitTrue(() -> ids(processes(new JsonObject())).contains("w-manual"), "the table lists the worker");

      // Known process, but asked for from another channel: not found there.
      AsyncResult<Message<JsonObject>> wrongChannel = ask(Addresses.CORTEX_CANCEL,
          new JsonObject().put("channel_id", "portal:chat:main:other").put("process_id", "w-manual"));
      assertThat(((ReplyException) wrongChannel.cause()).failureCode()).isEqualTo(404);
      assertThat(control).isEmpty();

      AsyncResult<Message<JsonObject>> cancelled = ask(Addresses.CORTEX_CANCEL,
          new JsonObject().put("channel_id", CHANNEL).put("process_id", "w-manual"));
      assertThat(cancelled.succeeded()).as(String.valueOf(cancelled.cause())).isTrue();
      assertThat(cancelled.result().body()).isEqualTo(new JsonObject().put("cancelled", true).put("process_id", "w-manual"));
      assertThat(control).singleElement().isEqualTo(new JsonObject().put("action", "cancel").put("text", "cancelled by an operator"));

      AsyncResult<Message<JsonObject>> withReason = ask(Addresses.CORTEX_CANCEL,
          new JsonObject().put("channel_id", CHANNEL).put("process_id", "w-manual").put("reason", "user said stop"));
      assertThat(withReason.succeeded()).isTrue();
      assertThat(control).hasSize(2);
      assertThat(control.get(1).getString("text")).isEqualTo("user said stop");
    } finally {
      vertx().cancelTimer(busy);
      publish(new AgentEvent.WorkerCompleted("main", CHANNEL, "w-manual", Outcome.CANCELLED, "cancelled", false));
    }

    // In the table but nobody listens on its control address: 404, and the row is removed.
    publish(new AgentEvent.WorkerStarted("main", CHANNEL, "w-ghost", "gone", false));
    awaitTrue(() -> ids(processes(new JsonObject())).contains("w-ghost"), "the table lists the ghost");
    AsyncResult<Message<JsonObject>> ghost = ask(Addresses.CORTEX_CANCEL,
        new JsonObject().put("channel_id", CHANNEL).put("process_id", "w-ghost"));
    assertThat(((ReplyException) ghost.cause()).failureCode()).isEqualTo(404);
    assertThat(ids(processes(new JsonObject()))).doesNotContain("w-ghost");

    AsyncResult<Message<JsonObject>> bad = ask(Addresses.CORTEX_CANCEL, new JsonObject().put("channel_id", CHANNEL));
    assertThat(((ReplyException) bad.cause()).failureCode()).isEqualTo(400);
  }

  @Test
  void maintenanceFailuresPauseItThenItResumes() throws Exception {
    // A second app without the memory service: every maintenance run fails. Two failures pause it for 3 s.
    CortexSettings failing = new CortexSettings(1, 900, 1, 1, 2, 3);
    try (TestApp noMemory = CortexTestApps.start(TestApp.envFor(model), failing, null, false, Set.of("api", "cortex"));
        SseClient events = noMemory.events("agent_id=main")) {
      SseEvent pause = events.await("memory_maintenance", e -> e.getString("detail").startsWith("paused"), WAIT);
      long pausedAt = System.nanoTime();
      assertThat(pause.json().getBoolean("ok")).isFalse();
      assertThat(pause.json().getString("detail")).isEqualTo("paused for 3 s after 2 failures in a row");

      // Nothing during the pause; then both groups run (and fail) again, and it pauses again.
      SseEvent resumed = events.await("memory_maintenance", null, WAIT);
      long gapMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
      assertThat(gapMs).isGreaterThanOrEqualTo(2_500);
      assertThat(resumed.json().getString("detail")).isEqualTo("the memory service is not running on any node");
      SseEvent pausedAgain = events.await("memory_maintenance", e -> e.getString("detail").startsWith("paused"), WAIT);
      assertThat(pausedAgain.json().getString("detail")).isEqualTo("paused for 3 s after 2 failures in a row");
      List<SseEvent> all = events.events().stream().filter(e -> e.event().equals("memory_maintenance")).toList();
      List<SseEvent> between = all.subList(all.indexOf(pause) + 1, all.indexOf(pausedAgain));
      assertThat(between).extracting(e -> e.json().getString("passes")).containsExactly("decay,prune,merge", "associate");
      assertThat(between).allSatisfy(e -> {
        assertThat(e.json().getBoolean("ok")).isFalse();
        assertThat(e.json().getString("detail")).isEqualTo("the memory service is not running on any node");
      });
    }
  }

  // ---- helpers ----

  private static void publish(AgentEvent event) {
    vertx().eventBus().publish(Addresses.EVENTS, event.toJson());
  }

  /** Publishes a tool call of the process every 400 ms: progress. */
  private static long keepBusy(String processId) {
    return vertx().setPeriodic(400, t -> publish(
        new AgentEvent.ToolStarted("main", CHANNEL, processId, "shell", "call-" + t, "{\"command\":\"make\"}")));
  }

  /** Plays the process's side of its control address: records every message and confirms it. */
  private static List<JsonObject> recordControl(String processId) {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx().eventBus().consumer(Addresses.process(processId), m -> {
      received.add(m.body());
      m.reply(new JsonObject());
    });
    consumer.completion().await();
    return received;
  }

  private static AsyncResult<Message<JsonObject>> ask(String address, JsonObject body) throws Exception {
    return vertx().eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(10_000))
        .transform(Future::succeededFuture).await(15, TimeUnit.SECONDS);
  }

  private static JsonArray processes(JsonObject query) {
    try {
      AsyncResult<Message<JsonObject>> r = ask(Addresses.CORTEX_PROCESSES, query);
      assertThat(r.succeeded()).as(String.valueOf(r.cause())).isTrue();
      return r.result().body().getJsonArray("processes");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> ids(JsonArray processes) {
    return processes.stream().map(p -> ((JsonObject) p).getString("process_id")).toList();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    Await.until(condition, WAIT, what);
  }
}
