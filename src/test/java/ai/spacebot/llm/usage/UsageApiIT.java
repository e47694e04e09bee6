package ai.spacebot.llm.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.UsageRecord;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The usage ledger, reports and budgets over the real app: records on its bus, answers over HTTP and the CLI. */
class UsageApiIT {
  private static final String CONFIG = """
      agents:
        - id: main
          name: Main
        - id: capped
          name: Capped
          budget:
            daily_usd: 1.0
            warn_at: 0.8
      """;
  private static TestApp app;
  private static Vertx vertx;
  private static final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(Map.of(), Files.createTempDirectory("spacebot-usage"), CONFIG, null);
    vertx = app.running().vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static void record(String agent, String conversation, String kind, String model, long timestamp, long in, long out,
      long cached, double cost, String outcome) {
    UsageRecord r = new UsageRecord(UUID.randomUUID().toString(), timestamp, agent, kind, kind + "-1", conversation, model, in, out,
        cached, 120, cost, null, 0, outcome, outcome.equals("failed") ? "HTTP 500" : null);
    vertx.eventBus().send(Addresses.USAGE_RECORD, r.toJson());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Reports until {@code done} holds: records reach the ledger asynchronously. */
  private static JsonObject awaitReport(String path, Predicate<JsonObject> done) throws InterruptedException {
    JsonObject[] last = new JsonObject[1];
    await(path, () -> {
      Http.Response r = app.http.get(path);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      last[0] = r.json();
      return done.test(last[0]);
    });
    return last[0];
  }

  private static JsonObject row(JsonObject report, String key) {
    return report.getJsonArray("rows").stream().map(JsonObject.class::cast).filter(r -> key.equals(r.getString("key"))).findFirst()
        .orElse(null);
  }

  @Test
  void reportsGroupCallsByModelDayAndProcess() throws Exception {
    long now = System.currentTimeMillis();
    long twoDaysAgo = Instant.ofEpochMilli(now).minus(2, ChronoUnit.DAYS).toEpochMilli();
    record("main", "portal:chat:main:s1", "channel", "openai/gpt-a", now, 1000, 200, 100, 0.10, "ok");
    record("main", "portal:chat:main:s1", "channel", "openai/gpt-a", now, 500, 0, 0, 0.0, "failed");
    record("main", "portal:chat:main:s1", "branch", "anthropic/claude-b", now, 3000, 400, 0, 0.25, "ok");
    record("main", null, "compactor", "openai/gpt-a", now, 2000, 300, 0, 0.05, "ok");
    record("main", "portal:chat:main:s2", "worker", "anthropic/claude-b", twoDaysAgo, 10_000, 1000, 0, 1.50, "ok");

    JsonObject byModel = awaitReport("/api/usage?agent_id=main&group_by=model",
        r -> row(r, "openai/gpt-a") != null && row(r, "openai/gpt-a").getLong("calls") == 3 && row(r, "anthropic/claude-b") != null);
    assertThat(byModel.getString("group_by")).isEqualTo("model");
    assertThat(byModel.getString("from")).isEqualTo(LocalDate.now(ZoneOffset.UTC) + "T00:00:00Z");
    assertThat(byModel.getJsonArray("rows")).hasSize(2);
    JsonObject a = row(byModel, "openai/gpt-a");
    assertThat(a.getLong("input_tokens")).isEqualTo(3500);
    assertThat(a.getLong("output_tokens")).isEqualTo(500);
    assertThat(a.getLong("cached_tokens")).isEqualTo(100);
    assertThat(a.getLong("failed")).isEqualTo(1);
    assertThat(a.getDouble("cost_usd")).isCloseTo(0.15, within(1e-9));
    JsonObject b = row(byModel, "anthropic/claude-b");
    assertThat(b.getLong("calls")).as("the call two days ago is outside today").isEqualTo(1);
    assertThat(b.getDouble("cost_usd")).isCloseTo(0.25, within(1e-9));
    assertThat(byModel.getJsonArray("rows").getJsonObject(0).getString("key")).as("most expensive first").isEqualTo("anthropic/claude-b");
    assertThat(byModel.getDouble("total_cost_usd")).isCloseTo(0.40, within(1e-9));

    String from = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
    JsonObject byDay = app.http.get("/api/usage?agent_id=main&group_by=day&from=" + from).json();
    JsonArray days = byDay.getJsonArray("rows");
    assertThat(days).hasSize(2);
    assertThat(days.getJsonObject(0).getString("key")).isEqualTo(Instant.ofEpochMilli(twoDaysAgo).atZone(ZoneOffset.UTC).toLocalDate().toString());
    assertThat(days.getJsonObject(0).getDouble("cost_usd")).isCloseTo(1.50, within(1e-9));
    assertThat(days.getJsonObject(1).getString("key")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(days.getJsonObject(1).getLong("calls")).isEqualTo(4);
    assertThat(byDay.getDouble("total_cost_usd")).isCloseTo(1.90, within(1e-9));

    JsonObject byProcess = app.http.get("/api/usage?agent_id=main&group_by=process&from=" + twoDaysAgo + "&to=" + (now + 1)).json();
    assertThat(byProcess.getJsonArray("rows").stream().map(r -> ((JsonObject) r).getString("key")).toList())
        .containsExactly("worker", "branch", "channel", "compactor");
    assertThat(row(byProcess, "channel").getLong("calls")).isEqualTo(2);
    assertThat(row(byProcess, "channel").getLong("failed")).isEqualTo(1);
    assertThat(row(byProcess, "compactor").getDouble("cost_usd")).isCloseTo(0.05, within(1e-9));

    // The CLI prints the same report as a table, over the HTTP API.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try (SpacebotProcess cli = SpacebotProcess.start(Map.of("SPACEBOT_DIR", app.dataDir.toString(), "SPACEBOT_PORT",
        String.valueOf(app.port)), List.of("-cp", classpath, "ai.spacebot.app.Main"), "usage", "--agent", "main", "--by", "process",
        "--from", from)) {
      assertThat(cli.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = cli.output();
      assertThat(cli.process().exitValue()).as(output).isZero();
      assertThat(output).contains("Usage of agent main from " + from + "T00:00:00Z");
      assertThat(output).containsPattern("PROCESS\\s+CALLS\\s+INPUT\\s+OUTPUT\\s+CACHED\\s+FAILED\\s+COST_USD");
      assertThat(output).containsPattern("worker\\s+1\\s+10000\\s+1000\\s+0\\s+0\\s+1\\.5000");
      assertThat(output).containsPattern("channel\\s+2\\s+1500\\s+200\\s+100\\s+1\\s+0\\.1000");
      assertThat(output).containsPattern("TOTAL\\s+5\\s+16500\\s+1900\\s+100\\s+1\\s+1\\.9000");
    }
  }

  @Test
  void budgetsWarnBlockAndAreRaisedAtRunTime() throws Exception {
    BudgetGate gate = BudgetGate.of(vertx);
    String conversation = "portal:chat:capped:s1";
    long now = System.currentTimeMillis();
    record("capped", conversation, "channel", "openai/gpt-a", now, 100, 10, 0, 0.50, "ok");
    record("capped", conversation, "channel", "openai/gpt-a", now, 100, 10, 0, 0.35, "ok");
    await("budget_warning", () -> events.stream().anyMatch(e -> "budget_warning".equals(e.getString("type"))));
    JsonObject warning = events.stream().filter(e -> "budget_warning".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(warning.getString("agent_id")).isEqualTo("capped");
    assertThat(warning.getDouble("spent_usd")).isCloseTo(0.85, within(1e-9));
    assertThat(warning.getDouble("budget_usd")).isEqualTo(1.0);
    assertThat(gate.blocked("capped", conversation)).isFalse();
    assertThat(events).noneMatch(e -> "budget_exceeded".equals(e.getString("type")));

    record("capped", conversation, "branch", "openai/gpt-a", now, 100, 10, 0, 0.20, "ok");
    await("budget_exceeded", () -> events.stream().anyMatch(e -> "budget_exceeded".equals(e.getString("type"))));
    JsonObject exceeded = events.stream().filter(e -> "budget_exceeded".equals(e.getString("type"))).findFirst().orElseThrow();
    long midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    assertThat(exceeded.getLong("until")).isEqualTo(midnight);
    assertThat(exceeded.getDouble("spent_usd")).isCloseTo(1.05, within(1e-9));
    await("the gate to block", () -> gate.blocked("capped", conversation));
    assertThat(gate.blocked("capped", "another conversation")).as("the agent's cap covers all its conversations").isTrue();
    assertThat(gate.blocked("main", conversation)).isFalse();
    assertThat(gate.reason("capped", conversation)).contains(
        "I've reached today's spending limit for this assistant (USD 1.00); I can answer again after 00:00 UTC.");
    assertThat(events.stream().filter(e -> "budget_warning".equals(e.getString("type"))).count()).as("warned once").isEqualTo(1);

    Http.Response raised = app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "capped").put("daily_usd", 5));
    assertThat(raised.status()).as(raised.body()).isEqualTo(200);
    assertThat(raised.json().getDouble("daily_usd")).isEqualTo(5.0);
    assertThat(raised.json().getJsonObject("overridden").getBoolean("daily_usd")).isTrue();
    assertThat(raised.json().getDouble("spent_today_usd")).isCloseTo(1.05, within(1e-9));
    assertThat(raised.json().getBoolean("blocked")).isFalse();
    await("the gate to unblock", () -> !gate.blocked("capped", conversation));

    // Clearing the override goes back to the configured 1.00, which is spent: blocked again at once.
    Http.Response cleared = app.http.post("/api/agents/budget", "{\"agent_id\": \"capped\", \"daily_usd\": null}");
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
    assertThat(cleared.json().getDouble("daily_usd")).isEqualTo(1.0);
    assertThat(cleared.json().getBoolean("blocked")).isTrue();
    await("the gate to block again", () -> gate.blocked("capped", conversation));

    JsonObject state = vertx.eventBus().<JsonObject>request(Addresses.BUDGET_STATE, new JsonObject())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(state.getJsonArray("blocked")).singleElement()
        .satisfies(b -> assertThat(((JsonObject) b).getString("agent_id")).isEqualTo("capped"));

    assertThat(app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "capped").put("daily_usd", 10)).status())
        .isEqualTo(200);
    await("the gate to unblock again", () -> !gate.blocked("capped", conversation));
  }

  @Test
  void todaysTotalsAndOverridesSurviveARestart() throws Exception {
    TestApp own = TestApp.start(Map.of(), Files.createTempDirectory("spacebot-usage-restart"), CONFIG, null);
    try {
      UsageRecord r = new UsageRecord(UUID.randomUUID().toString(), System.currentTimeMillis(), "capped", "channel", "c-1",
          "portal:chat:capped:r", "openai/gpt-a", 10, 10, 0, 5, 0.7, null, 0, "ok", null);
      own.running().vertx().eventBus().send(Addresses.USAGE_RECORD, r.toJson());
      Http.Response lowered = own.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "capped").put("daily_usd", 0.5));
      assertThat(lowered.json().getBoolean("blocked")).as(lowered.body()).isTrue();
      own = own.restart();
      BudgetGate gate = BudgetGate.of(own.running().vertx());
      TestApp restarted = own;
      await("the restored block to reach the gate", () -> gate.blocked("capped", null));
      JsonObject report = restarted.http.get("/api/usage?agent_id=capped").json();
      assertThat(report.getDouble("total_cost_usd")).isCloseTo(0.7, within(1e-9));
      Http.Response kept = restarted.http.post("/api/agents/budget", "{\"agent_id\": \"capped\", \"conversation_daily_usd\": 2}");
      assertThat(kept.json().getDouble("daily_usd")).as("the override was kept").isEqualTo(0.5);
      assertThat(kept.json().getDouble("spent_today_usd")).isCloseTo(0.7, within(1e-9));
      assertThat(kept.json().getBoolean("blocked")).isTrue();
    } finally {
      own.close();
    }
  }

  @Test
  void badInputIsRefusedByName() {
    assertBad(app.http.get("/api/usage?agent_id=main&group_by=weekly"), "group_by");
    assertBad(app.http.get("/api/usage?agent_id=main&from=yesterday"), "from");
    assertBad(app.http.get("/api/usage?agent_id=main&to=2025-13-01"), "to");
    assertBad(app.http.get("/api/usage?agent_id=nobody"), "agent_id");
    assertBad(app.http.get("/api/usage"), "agent_id");
    assertBad(app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "main").put("daily_usd", -1)), "daily_usd");
    assertBad(app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "main").put("conversation_daily_usd", "lots")),
        "conversation_daily_usd");
    assertBad(app.http.postJson("/api/agents/budget", new JsonObject().put("agent_id", "nobody").put("daily_usd", 1)), "agent_id");
  }

  private static void assertBad(Http.Response r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("field")).as(r.body()).isEqualTo(field);
    assertThat(r.json().getString("error")).contains(field);
  }
}
