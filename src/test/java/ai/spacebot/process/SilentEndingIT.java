package ai.spacebot.process;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ResilienceSettings;
import ai.spacebot.llm.resilience.ModelResilience;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A channel model that calls a tool and then ends its turn with empty text has nothing more to say (its
 * worker's or branch's answer comes later): the turn ends silently, like {@code skip}. Such endings are no
 * model failure, so many of them at once neither apologise nor open the model's circuit breaker.
 */
class SilentEndingIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String MODEL = "openai/scripted";
  private static final int PEOPLE = 5;
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    app = TestApp.start(TestApp.envFor(model));
  }

  @AfterAll
  static void stop() {
    app.close();
    model.close();
  }

  @Test
  void fiveWorkersStartedWithAnEmptyEndingAllAnswerAndTheBreakerStaysClosed() {
    RoleScript.on(model)
        .otherwise(CHANNEL, SilentEndingIT::channel)
        // Held a moment, so that all five workers run at the same time.
        .otherwise(WORKER, r -> ModelStep.text("finished " + r.lastUserText()).delayed(Duration.ofMillis(800)));
    List<String> sessions = IntStream.range(0, PEOPLE).mapToObj(i -> "s-" + UUID.randomUUID().toString().substring(0, 8))
        .toList();
    try (SseClient events = app.events("agent_id=main")) {
      sendAll(sessions, i -> "start task " + i);
      for (String session : sessions) {
        waitUntil(() -> outbound(events, session).stream().anyMatch(t -> t.startsWith("Result: ")),
            "the worker's result answered in " + session, events);
      }
      // Everyone still gets answers afterwards.
      sendAll(sessions, i -> "and now?");
      for (String session : sessions) {
        waitUntil(() -> outbound(events, session).contains("Still here."), "the follow-up answered in " + session, events);
      }
      model.awaitQuiet(Duration.ofMillis(1000), WAIT);
      for (String session : sessions) {
        assertThat(outbound(events, session)).as("what %s was told", session)
            .containsExactly("Result: finished", "Still here.");
      }
      assertThat(events.events()).as("error events").noneMatch(e -> e.event().equals("error"));
    }
    // The empty ending was taken as the answer, not retried: one such call per conversation.
    List<RecordedRequest> afterTools = RoleScript.of(model, CHANNEL).stream().filter(SilentEndingIT::endsWithToolResult)
        .toList();
    assertThat(afterTools).hasSize(PEOPLE);
    // Nor was it kept in history: providers reject an assistant message with neither content nor tool calls.
    for (RecordedRequest r : RoleScript.of(model, CHANNEL)) {
      assertThat(r.messagesWithRole("assistant")).as("assistant messages of %s", r)
          .allMatch(m -> m.getValue("content") != null || m.getJsonArray("tool_calls") != null);
    }
    CircuitBreaker breaker = ModelResilience.circuitBreakers(app.running().vertx(), ResilienceSettings.DEFAULTS)
        .circuitBreaker(MODEL);
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
  }

  @Test
  void aWorkerThatEndsWithoutWordsHandsOnItsLastToolOutput() {
    RoleScript.on(model)
        .otherwise(CHANNEL, r -> {
          if (endsWithToolResult(r)) {
            return ModelStep.empty();
          }
          String last = r.lastUserText();
          return last.startsWith("[Worker w-") ? reply("Worker said: " + last)
              : call("spawn_worker", new JsonObject().put("task", "print the magic number"));
        })
        .otherwise(WORKER, r -> endsWithToolResult(r) ? ModelStep.empty()
            : call("shell", new JsonObject().put("command", "echo magic-4242")));
    String session = "w-" + UUID.randomUUID().toString().substring(0, 8);
    try (SseClient events = app.events("agent_id=main")) {
      assertThat(app.http.send("main", session, "Person", "run it").status()).isEqualTo(200);
      waitUntil(() -> outbound(events, session).stream().anyMatch(t -> t.startsWith("Worker said: ")),
          "the worker's result passed on", events);
      String told = outbound(events, session).stream().filter(t -> t.startsWith("Worker said: ")).findFirst()
          .orElseThrow();
      assertThat(told).contains("Finished without a summary").contains("shell").contains("magic-4242");
      assertThat(events.events()).noneMatch(e -> e.event().equals("error"));
    }
  }

  /** Each conversation's channel: start a worker and say nothing more; answer its result and the follow-up. */
  private static ModelStep channel(RecordedRequest r) {
    if (endsWithToolResult(r)) {
      return ModelStep.empty(); // the model ends its turn without text
    }
    String last = r.lastUserText();
    if (last.startsWith("[Worker w-")) {
      return reply("Result: finished");
    }
    if (last.contains("start task")) {
      return call("spawn_worker", new JsonObject().put("task", "task of " + last));
    }
    return reply("Still here.");
  }

  private static boolean endsWithToolResult(RecordedRequest r) {
    JsonArray messages = r.messages();
    return "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
  }

  /** Sends one message per conversation, all at once. */
  private static void sendAll(List<String> sessions, java.util.function.IntFunction<String> text) {
    CompletableFuture<?>[] sends = IntStream.range(0, sessions.size()).mapToObj(i -> CompletableFuture.runAsync(() ->
        assertThat(app.http.send("main", sessions.get(i), "Person " + i, text.apply(i)).status()).isEqualTo(200)))
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(sends).join();
  }

  private static List<String> outbound(SseClient events, String session) {
    String channel = "portal:chat:main:" + session;
    return events.events().stream().filter(e -> e.event().equals("outbound_message")).map(SseEvent::json)
        .filter(j -> channel.equals(j.getString("channel_id"))).map(j -> j.getString("text")).toList();
  }

  private static void waitUntil(BooleanSupplier condition, String what, SseClient events) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within " + WAIT + ": " + what + "; events: " + events.events());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
