package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model calls through the whole application: fallback chains and cooldowns as the channel sees them,
 * the apology when every model fails, usage rows with costs, and the budget cut-off. Each test has its
 * own agent and model ids, because cooldowns and budgets are shared by everything on the node.
 */
class ModelCallsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ScriptedModelServer primary;
  private static ScriptedModelServer backup;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    primary = ScriptedModelServer.start();
    backup = ScriptedModelServer.start();
    Map<String, String> env = new HashMap<>();
    env.put("OPENAI_API_KEY", "primary-key");
    env.put("OPENAI_BASE_URL", primary.baseUrl());
    StringBuilder yaml = new StringBuilder("""
        llm:
          providers:
            backup: {kind: openai, api_key: backup-key, base_url: "%s", default_model: b}
          retry: {max_attempts: 3, initial_backoff_ms: 100}
          fallbacks:
            - {model: openai/p1, then: [backup/s1]}
            - {model: openai/p2, then: [backup/s2]}
          prices:
            - {model: openai/p3, input: 1000, output: 2000}
            - {model: p4, input: 1000, output: 1000}
        agents:
        """.formatted(backup.baseUrl()));
    for (int i = 1; i <= 4; i++) {
      String m = "openai/p" + i;
      yaml.append("  - id: a").append(i).append("\n")
          .append("    name: Agent ").append(i).append("\n")
          .append("    routing: {channel: ").append(m).append(", branch: ").append(m).append(", worker: ").append(m)
          .append(", compactor: ").append(m).append(", cortex: ").append(m).append("}\n");
    }
    yaml.append("    budget: {daily_usd: 0.000001}\n");
    // Agents whose only model (no fallback) runs out of quota or rate-limits.
    for (int i = 5; i <= 6; i++) {
      yaml.append("  - id: a").append(i).append("\n    name: Agent ").append(i)
          .append("\n    routing: {channel: openai/p").append(i).append("}\n");
    }
    app = TestApp.start(env, Files.createTempDirectory("spacebot-calls"), yaml.toString(), null);
  }

  @AfterAll
  static void stop() {
    app.close();
    primary.close();
    backup.close();
  }

  private static List<RecordedRequest> calls(ScriptedModelServer server, String model) {
    return server.requests().stream().filter(r -> model.equals(r.model())).toList();
  }

  private static SseEvent ask(String agent, String session, String text) {
    try (SseClient events = app.events("channel_id=portal:chat:" + agent + ":" + session)) {
      app.http.send(agent, session, "Vic", text);
      return events.await("outbound_message", null, WAIT);
    }
  }

  @Test
  void threeRateLimitsFallBackAndTheCooldownSkipsThePrimaryNextTime() {
    primary.respondWith(r -> "p1".equals(r.model()) ? ModelStep.error(429, "Rate limit reached") : ModelStep.text("?"));
    backup.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", "from the backup").encode()));
    String session = "f-" + UUID.randomUUID();
    assertThat(ask("a1", session, "hello").json().getString("text")).isEqualTo("from the backup");
    assertThat(calls(primary, "p1")).hasSize(3);
    assertThat(calls(backup, "s1")).hasSize(1);
    assertThat(ask("a1", session, "again").json().getString("text")).isEqualTo("from the backup");
    assertThat(calls(primary, "p1")).as("the primary is cooling down").hasSize(3);
    assertThat(calls(backup, "s1")).hasSize(2);
  }

  @Test
  void whenEveryModelFailsThePersonGetsAnApologyAndTheMessageStays() {
    primary.respondWith(r -> "p2".equals(r.model()) ? ModelStep.error(500, "primary down") : ModelStep.text("?"));
    backup.respondWith(r -> "s2".equals(r.model()) ? ModelStep.error(503, "backup down") : ModelStep.text("?"));
    String session = "x-" + UUID.randomUUID();
    String text = ask("a2", session, "is anyone there?").json().getString("text");
    assertThat(text).startsWith("Sorry, I couldn't answer just now.").contains("None of the models answered");
    assertThat(calls(primary, "p2")).hasSize(3);
    assertThat(calls(backup, "s2")).hasSize(3);
    JsonArray history = app.http.get("/api/portal/history?agent_id=a2&session_id=" + session).json().getJsonArray("messages");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("text")).isEqualTo("is anyone there?");
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("failed");
    assertThat(history.getJsonObject(1).getString("text")).isEqualTo(text);
  }

  @Test
  void outOfQuotaTheApologySaysWhenTheModelIsBackAndThatAnOperatorMustAct() {
    primary.respondWith(r -> "p5".equals(r.model()) ? ModelStep.quotaExceeded() : ModelStep.text("?"));
    String session = "q-" + UUID.randomUUID();
    long before = System.currentTimeMillis();
    String text = ask("a5", session, "hello?").json().getString("text");
    long after = System.currentTimeMillis();
    assertThat(text).startsWith("Sorry, I couldn't answer just now.")
        .contains("The model openai/p5 is out of quota; it should be back around ")
        .contains("An operator needs to check the provider's billing and quota")
        .doesNotContain("in a minute");
    assertThat(backAround(text)).isIn(minuteAfter(before + 3_600_000), minuteAfter(after + 3_600_000));
    assertThat(calls(primary, "p5")).hasSize(1);
    // While it cools, a new message makes one call (there is no fallback) and says the same.
    String again = ask("a5", session, "still there?").json().getString("text");
    assertThat(again).contains("is out of quota; it should be back around ").contains("An operator needs");
    assertThat(calls(primary, "p5")).hasSize(2);
  }

  @Test
  void rateLimitedTheApologyNamesTheTimeAndACoolingModelGetsOneCallPerMessage() {
    primary.respondWith(r -> "p6".equals(r.model()) ? ModelStep.error(429, "Rate limit reached") : ModelStep.text("?"));
    String session = "r-" + UUID.randomUUID();
    long before = System.currentTimeMillis();
    String text = ask("a6", session, "hello?").json().getString("text");
    long after = System.currentTimeMillis();
    assertThat(text).contains("The model openai/p6 is rate-limited; it should be back around ")
        .contains("(in about a minute). Please try again then.")
        .doesNotContain("operator");
    assertThat(backAround(text)).isIn(minuteAfter(before + 60_000), minuteAfter(after + 60_000));
    assertThat(calls(primary, "p6")).as("the first message gets the retries").hasSize(3);
    for (int i = 1; i <= 2; i++) {
      assertThat(ask("a6", session, "again " + i).json().getString("text")).contains("is rate-limited");
      assertThat(calls(primary, "p6")).as("one call per message while it cools").hasSize(3 + i);
    }
  }

  /** The "HH:mm" of "back around HH:mm UTC" in an apology. */
  private static String backAround(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("back around (\\d{2}:\\d{2}) UTC").matcher(text);
    assertThat(m.find()).as("a time in: " + text).isTrue();
    return m.group(1);
  }

  /** The UTC "HH:mm" of the minute at or after the instant. */
  private static String minuteAfter(long epochMillis) {
    return java.time.Instant.ofEpochMilli(epochMillis + 59_999).atZone(java.time.ZoneOffset.UTC).toLocalTime()
        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
  }

  @Test
  void eachModelCallLeavesAUsageRowWithItsCost() throws Exception {
    primary.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", "counted").encode()));
    String session = "u-" + UUID.randomUUID();
    ask("a3", session, "count me");
    RecordedRequest call = calls(primary, "p3").get(0);
    // The whole history goes out every turn: compact JSON, not LangChain4j's pretty-printing.
    assertThat(call.bodyIndented()).isFalse();
    long prompt = Math.max(1, call.messages().encode().length() / 4);
    long completion = Math.max(1, ("reply" + new JsonObject().put("content", "counted").encode()).length() / 4);
    double cost = (prompt * 1000 + completion * 2000) / 1_000_000.0;
    JsonObject usage = null;
    for (int i = 0; i < 50; i++) { // the ledger writes through the writer thread
      usage = app.http.get("/api/usage?agent_id=a3&group_by=model").json();
      if (!usage.getJsonArray("rows").isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    JsonObject row = usage.getJsonArray("rows").getJsonObject(0);
    assertThat(row.getString("key")).isEqualTo("openai/p3");
    assertThat(row.getLong("calls")).isEqualTo(1);
    assertThat(row.getLong("input_tokens")).isEqualTo(prompt);
    assertThat(row.getLong("output_tokens")).isEqualTo(completion);
    assertThat(row.getDouble("cost_usd")).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
    JsonObject byProcess = app.http.get("/api/usage?agent_id=a3&group_by=process").json();
    assertThat(byProcess.getJsonArray("rows").getJsonObject(0).getString("key")).isEqualTo("channel");
  }

  @Test
  void overTheDailyBudgetTheChannelSaysSoOnceAndAnswersAgainWhenItIsRaised() throws Exception {
    primary.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", "answered").encode()));
    String session = "b-" + UUID.randomUUID();
    try (SseClient events = app.events("agent_id=a4")) {
      app.http.send("a4", session, "Wes", "first");
      events.await("outbound_message", j -> j.getString("text").equals("answered"), WAIT);
      // The ledger's event and the reply race each other: look for it among everything seen so far.
      JsonObject exceeded = null;
      for (int i = 0; i < 100 && exceeded == null; i++) {
        exceeded = events.events().stream().filter(e -> e.event().equals("budget_exceeded")).map(SseEvent::json)
            .findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertThat(exceeded).as("budget_exceeded").isNotNull();
      assertThat(exceeded.getDouble("budget_usd")).isEqualTo(0.000001);
      assertThat(exceeded.getDouble("spent_usd")).isGreaterThan(0.000001);
      int before = calls(primary, "p4").size();
      app.http.send("a4", session, "Wes", "second");
      String notice = events.await("outbound_message", null, WAIT).json().getString("text");
      assertThat(notice).contains("spending limit");
      app.http.send("a4", session, "Wes", "third");
      Thread.sleep(1500);
      assertThat(events.events().stream().filter(e -> e.event().equals("outbound_message")).count()).isEqualTo(2);
      assertThat(calls(primary, "p4")).hasSize(before);

      var raised = app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "a4").put("daily_usd", 1000));
      assertThat(raised.status()).isEqualTo(200);
      Thread.sleep(300); // the gate hears the release over the bus
      app.http.send("a4", session, "Wes", "fourth");
      events.await("outbound_message", j -> j.getString("text").equals("answered"), WAIT);
    }
    JsonArray history = app.http.get("/api/portal/history?agent_id=a4&session_id=" + session).json().getJsonArray("messages");
    assertThat(history.stream().map(JsonObject.class::cast).filter(m -> "inbound".equals(m.getString("direction")))
        .map(m -> m.getString("text")).toList()).containsExactly("first", "second", "third", "fourth");
  }
}
