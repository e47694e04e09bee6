package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web chat path end to end over real HTTP and SSE, with a scripted OpenAI-compatible model. */
class PortalEndToEndIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
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

  @BeforeEach
  void resetModel() {
    model.reset();
  }

  private static String session() {
    return "s-" + UUID.randomUUID();
  }

  private static String channel(String session) {
    return "portal:chat:main:" + session;
  }

  @Test
  void replyToolStreamsDeltasAndArrivesOnceWithTypingAroundIt() {
    String session = session();
    model.enqueue(ModelStep.toolCall("reply", new JsonObject().put("content", "Hello Ada, nice to meet you!").encode()));
    try (SseClient events = app.events("agent_id=main&channel_id=" + channel(session))) {
      Http.Response sent = app.http.send("main", session, "Ada", "hi there");
      assertThat(sent.status()).isEqualTo(200);
      assertThat(sent.json().getBoolean("ok")).isTrue();

      SseEvent inbound = events.await("inbound_message", null, WAIT);
      assertThat(inbound.json().getString("text")).isEqualTo("hi there");
      assertThat(inbound.json().getString("sender_name")).isEqualTo("Ada");
      assertThat(events.await("typing_state", j -> j.getBoolean("is_typing"), WAIT)).isNotNull();
      SseEvent delta = events.await("outbound_message_delta", null, WAIT);
      assertThat("Hello Ada, nice to meet you!").startsWith(delta.json().getString("aggregated_text"));
      SseEvent out = events.await("outbound_message", null, WAIT);
      assertThat(out.json().getString("text")).isEqualTo("Hello Ada, nice to meet you!");
      assertThat(out.json().getString("channel_id")).isEqualTo(channel(session));
      assertThat(events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT)).isNotNull();

      List<SseEvent> deltas = events.events().stream().filter(e -> e.event().equals("outbound_message_delta")).toList();
      assertThat(deltas).hasSizeGreaterThan(1);
      assertThat(deltas.get(deltas.size() - 1).json().getString("aggregated_text")).isEqualTo("Hello Ada, nice to meet you!");
      assertThat(events.events().stream().filter(e -> e.event().equals("tool_started"))).isNotEmpty();
    }
    // The model saw the user's words, the system prompt with the identity files, and the channel tools.
    var request = model.lastRequest();
    assertThat(request.lastUserText()).contains("Ada").contains("hi there");
    assertThat(request.toolNames()).containsExactlyInAnyOrder("reply", "skip", "react", "send_file", "branch", "spawn_worker", "route", "cancel",
        "send_message_to_another_channel");
    assertThat(request.messagesWithRole("system").get(0).getString("content")).contains("# Soul").contains("Spacebot");

    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + session).json().getJsonArray("messages");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("direction")).isEqualTo("inbound");
    assertThat(history.getJsonObject(1).getString("direction")).isEqualTo("outbound");
    assertThat(history.getJsonObject(1).getString("text")).isEqualTo("Hello Ada, nice to meet you!");
    assertThat(history.getJsonObject(1).getString("status")).isIn("pending", "delivered");
  }

  @Test
  void plainTextWithoutReplyIsSentAsTheReply() {
    String session = session();
    model.enqueue(ModelStep.text("Plain ", "text ", "answer"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Bo", "hello");
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("Plain text answer");
      List<String> aggregated = events.events().stream().filter(e -> e.event().equals("outbound_message_delta"))
          .map(e -> e.json().getString("aggregated_text")).toList();
      assertThat(aggregated).containsSubsequence("Plain ", "Plain text ", "Plain text answer");
    }
  }

  @Test
  void toolResultsFeedBackIntoTheLoopUntilReply() {
    String session = session();
    model.enqueue(ModelStep.toolCall("react", "{\"emoji\":\"👍\"}"),
        ModelStep.toolCall("reply", "{\"content\":\"Done.\"}"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Cy", "thumbs up please");
      assertThat(events.await("reaction", null, WAIT).json().getString("emoji")).isEqualTo("👍");
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("Done.");
    }
    assertThat(model.requestCount()).isEqualTo(2);
    assertThat(model.requests().get(1).hasToolResult()).isTrue();
    assertThat(model.requests().get(1).toolResults()).anyMatch(r -> r.contains("Reacted"));
  }

  @Test
  void skipSendsNothingAndEndsTyping() {
    String session = session();
    model.enqueue(ModelStep.toolCall("skip", "{\"reason\":\"not for me\"}"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Di", "ok thanks");
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
      assertThat(events.events()).noneMatch(e -> e.event().equals("outbound_message"));
    }
    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + session).json().getJsonArray("messages");
    assertThat(history).hasSize(1);
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("skipped");
  }

  @Test
  void maxTurnsEndsALoopThatNeverReplies() {
    String session = session();
    model.respondWith(r -> ModelStep.toolCall("react", "{\"emoji\":\"🤔\"}"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Ed", "loop forever");
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
    }
    assertThat(model.requestCount()).isEqualTo(5);
  }

  @Test
  void sameClientMessageIdTwiceRunsOneTurn() {
    String session = session();
    model.enqueue(ModelStep.text("only once"));
    JsonObject body = new JsonObject().put("agent_id", "main").put("session_id", session).put("sender_name", "Fa")
        .put("message", "dedupe me").put("client_message_id", "c-1");
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      Http.Response first = app.http.postJson("/api/portal/send", body);
      Http.Response second = app.http.postJson("/api/portal/send", body);
      assertThat(first.json().getBoolean("duplicate")).isFalse();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.json().getBoolean("duplicate")).isTrue();
      assertThat(second.json().getString("message_id")).isEqualTo(first.json().getString("message_id"));
      events.await("outbound_message", null, WAIT);
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
    }
    assertThat(model.requestCount()).isEqualTo(1);
    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + session).json().getJsonArray("messages");
    assertThat(history).hasSize(2);
  }

  @Test
  void modelFailureIsAnsweredWithAnApologyAndTheMessageStays() {
    String session = session();
    model.enqueue(ModelStep.error(400, "upstream refused the request"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Gu", "are you there?");
      SseEvent error = events.await("error", null, WAIT);
      assertThat(error.json().getString("message")).contains("model call failed");
      SseEvent apology = events.await("outbound_message", null, WAIT);
      assertThat(apology.json().getString("text")).startsWith("Sorry, I couldn't answer just now.")
          .contains("model call failed");
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
    }
    JsonArray history = app.http.get("/api/portal/history?agent_id=main&session_id=" + session).json().getJsonArray("messages");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("failed");
    assertThat(history.getJsonObject(0).getString("text")).isEqualTo("are you there?");
    assertThat(history.getJsonObject(1).getString("direction")).isEqualTo("outbound");
    assertThat(history.getJsonObject(1).getString("text")).startsWith("Sorry");

    // The conversation keeps working after a failure.
    model.enqueue(ModelStep.text("back again"));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Gu", "retry");
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("back again");
    }
  }

  @Test
  void historyIsFedBackToTheModelOnTheNextTurn() {
    String session = session();
    model.enqueue(ModelStep.text("I will remember 42."), ModelStep.text("It was 42."));
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Hu", "remember the number 42");
      events.await("outbound_message", null, WAIT);
      app.http.send("main", session, "Hu", "what was the number?");
      events.await("outbound_message", j -> j.getString("text").equals("It was 42."), WAIT);
    }
    var messages = model.requests().get(1).messages();
    assertThat(messages.encode()).contains("remember the number 42").contains("I will remember 42.");
  }

  @Test
  void lastEventIdResumesWhatAClientMissed() {
    String session = session();
    model.enqueue(ModelStep.text("first"), ModelStep.text("second"));
    String lastId;
    try (SseClient events = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Io", "one");
      events.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
      lastId = events.lastEventId();
    }
    try (SseClient probe = app.events("channel_id=" + channel(session))) {
      app.http.send("main", session, "Io", "two");
      probe.await("typing_state", j -> !j.getBoolean("is_typing"), WAIT);
    }
    try (SseClient resumed = SseClient.connect(app.url("/api/events?channel_id=" + channel(session)), Map.of("Last-Event-ID", lastId))) {
      SseEvent replayed = resumed.await("outbound_message", null, WAIT);
      assertThat(replayed.json().getString("text")).isEqualTo("second");
      assertThat(resumed.events()).noneMatch(e -> "first".equals(e.event().equals("outbound_message") ? e.json().getString("text") : null));
    }
  }

  @Test
  void statusReportsPidUptimeAgentsAndLiveChannels() {
    JsonObject status = app.http.get("/api/status").json();
    assertThat(status.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(status.getLong("uptime_seconds")).isNotNegative();
    assertThat(status.getString("version")).isNotBlank();
    assertThat(status.getJsonArray("agents").getJsonObject(0).getString("id")).isEqualTo("main");
    assertThat(status.getInteger("channels")).isNotNull();
    assertThat(app.http.get("/api/health").json().getString("status")).isEqualTo("ok");
    assertThat(app.http.get("/api/health").json().getString("sandbox"))
        .isEqualTo("bubblewrap (network off, 2048 MiB, 128 processes, 120 s CPU per process)");
  }

  @Test
  void webChatPageIsServed() {
    Http.Response page = app.http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<html").contains("app.js");
    assertThat(app.http.get("/app.js").body()).contains("EventSource");
  }
}
