package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.llm.LlmMetrics;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the real application: Vert.x's own HTTP server, client and event-bus metrics after a
 * chat turn, and the LLM series of {@link LlmMetrics}, obtained as production code does (the application's
 * one instance, which {@code ModelCatalog#metrics()} hands to model-call code; here through
 * {@code Bootstrap.Running#telemetry()}).
 */
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static ScriptedModelServer model;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    Map<String, String> env = TestApp.envFor(model);
    env.put("SPACEBOT_AUTH_TOKEN", "metrics-secret");
    app = TestApp.start(env);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer metrics-secret");

  @Test
  void vertxAndLlmMetricsAreScraped() {
    model.enqueue(ModelStep.toolCall("reply", new JsonObject().put("content", "Hello!").encode()));
    try (SseClient events = SseClient.connect(app.url("/api/events?token=metrics-secret&agent_id=main&channel_id=portal:chat:main:m1"), Map.of())) {
      Http.Response sent = app.http.post("/api/portal/send", new JsonObject().put("agent_id", "main").put("session_id", "m1")
          .put("sender_name", "Ada").put("message", "hi").encode(), AUTH);
      assertThat(sent.status()).isEqualTo(200);
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text")).isEqualTo("Hello!");
    }

    LlmMetrics llm = app.running().telemetry().llm();
    llm.call("openai", "gpt-4.1-mini", "ok", Duration.ofMillis(1500));
    llm.tokens("openai", "gpt-4.1-mini", 1200, 80, 1000);
    llm.cost("openai", "gpt-4.1-mini", 0.0125);
    llm.fallback("openai/gpt-4.1-mini", "anthropic/claude-sonnet-4-20250514");
    llm.cooldown("openai/gpt-4.1-mini", true);

    Http.Response res = app.http.get("/metrics", AUTH);
    assertThat(res.status()).isEqualTo(200);
    String text = res.body();
    // Vert.x: the API's HTTP server, the model HTTP client, the event bus.
    assertThat(text).contains("vertx_http_server_requests_total").contains("vertx_http_client_requests_total")
        .contains("vertx_eventbus_");
    assertThat(line(text, "spacebot_llm_calls_total{")).contains("model=\"gpt-4.1-mini\"").contains("outcome=\"ok\"")
        .contains("provider=\"openai\"").endsWith(" 1.0");
    assertThat(text).contains("# TYPE spacebot_llm_latency_seconds histogram").contains("spacebot_llm_latency_seconds_bucket{");
    assertThat(line(text, "spacebot_llm_latency_seconds_bucket{", "le=\"2.0\"")).endsWith(" 1");
    assertThat(line(text, "spacebot_llm_tokens_total{", "kind=\"input\"")).endsWith(" 1200.0");
    assertThat(line(text, "spacebot_llm_tokens_total{", "kind=\"output\"")).endsWith(" 80.0");
    assertThat(line(text, "spacebot_llm_tokens_total{", "kind=\"cached\"")).endsWith(" 1000.0");
    assertThat(line(text, "spacebot_llm_cost_usd_total{")).endsWith(" 0.0125");
    assertThat(line(text, "spacebot_llm_fallbacks_total{")).contains("from_model=\"openai/gpt-4.1-mini\"")
        .contains("to_model=\"anthropic/claude-sonnet-4-20250514\"").endsWith(" 1.0");
    assertThat(line(text, "spacebot_llm_cooldowns_total{")).contains("reason=\"quota\"").endsWith(" 1.0");
  }

  @Test
  void metricsNeedTheBearerTokenWhenTheApiDoes() {
    assertThat(app.http.get("/metrics").status()).isEqualTo(401);
    assertThat(app.http.get("/metrics?token=metrics-secret").status()).isEqualTo(401);
    assertThat(app.http.get("/metrics", Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(401);
    Http.Response ok = app.http.get("/metrics", AUTH);
    assertThat(ok.status()).isEqualTo(200);
  }

  private static String line(String text, String... parts) {
    return Arrays.stream(text.split("\n")).filter(l -> Arrays.stream(parts).allMatch(l::contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no line with " + Arrays.toString(parts) + " in:\n" + text));
  }
}
