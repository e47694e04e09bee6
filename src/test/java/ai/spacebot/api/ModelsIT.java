package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /api/models} and {@code spacebot models}: built from the config, never showing a key. */
class ModelsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String OPENAI_KEY = "sk-openai-very-secret-1234";
  private static final String LOCAL_KEY = "local-gateway-secret-5678";
  private static final String YAML = """
      llm:
        providers:
          openai:
            api_key: %s
            default_model: gpt-4.1-mini
          local:
            kind: openai
            api_key: %s
            base_url: https://gw.example.internal:8443/v1?key=%s
            default_model: qwen-coder
        fallbacks:
          - {model: openai/gpt-4.1-mini, then: [local/qwen-coder, openai/gpt-4.1-nano]}
      defaults:
        routing:
          channel: openai/gpt-4.1-mini
          task_overrides:
            coding: local/qwen-coder
          tiers:
            light: openai/gpt-4.1-nano
            heavy: openai/gpt-4.1
      """.formatted(OPENAI_KEY, LOCAL_KEY, LOCAL_KEY);

  @Test
  void modelsFromConfigWithoutKeysAndTheCli() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-models");
    int port = TestApp.freePort();
    Map<String, String> env = Map.of("SPACEBOT_DIR", dir.toString(), "SPACEBOT_PORT", String.valueOf(port));
    Files.writeString(dir.resolve("config.yaml"), YAML);

    SpacebotProcess.Result down = cli(env);
    assertThat(down.exitCode()).as(down.output()).isEqualTo(3);
    assertThat(down.output().strip().lines()).hasSize(1);
    assertThat(down.output()).contains("not answering").contains("spacebot start");

    try (TestApp app = TestApp.start(env, dir, null, Set.of("api"))) {
      Http.Response r = app.http.get("/api/models");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).doesNotContain(OPENAI_KEY).doesNotContain(LOCAL_KEY).doesNotContain("api_key");
      JsonObject body = r.json();

      JsonArray providers = body.getJsonArray("providers");
      assertThat(providers).hasSize(2);
      assertThat(providers.getJsonObject(0).getMap()).containsEntry("id", "openai").containsEntry("kind", "openai")
          .containsEntry("default_model", "gpt-4.1-mini");
      assertThat(providers.getJsonObject(1).getMap()).containsEntry("id", "local")
          .containsEntry("base_url", "https://gw.example.internal:8443/v1").containsEntry("default_model", "qwen-coder");

      JsonObject mini = model(body, "openai/gpt-4.1-mini");
      assertThat(mini.getString("provider")).isEqualTo("openai");
      assertThat(mini.getJsonArray("used_by").getList())
          .contains("main.channel", "main.branch", "main.worker", "main.compactor", "main.cortex");
      assertThat(mini.getJsonArray("fallbacks").getList()).containsExactly("local/qwen-coder", "openai/gpt-4.1-nano");
      assertThat(mini.getJsonObject("price").getMap()).containsEntry("input", 0.4).containsEntry("output", 1.6)
          .containsEntry("cached_input", 0.1);
      assertThat(model(body, "local/qwen-coder").getJsonArray("used_by").getList())
          .containsExactly("main.task_overrides.coding", "fallback of openai/gpt-4.1-mini");
      assertThat(model(body, "local/qwen-coder").getValue("price")).isNull();
      assertThat(model(body, "openai/gpt-4.1-nano").getJsonArray("used_by").getList())
          .containsExactly("main.tiers.light", "fallback of openai/gpt-4.1-mini");
      assertThat(model(body, "openai/gpt-4.1").getJsonArray("used_by").getList()).containsExactly("main.tiers.heavy");

      JsonObject routing = body.getJsonArray("agents").getJsonObject(0).getJsonObject("routing");
      assertThat(body.getJsonArray("agents").getJsonObject(0).getString("id")).isEqualTo("main");
      assertThat(routing.getString("channel")).isEqualTo("openai/gpt-4.1-mini");
      assertThat(routing.getJsonObject("task_overrides").getMap()).isEqualTo(Map.of("coding", "local/qwen-coder"));
      assertThat(routing.getJsonObject("tiers").getMap()).isEqualTo(Map.of("light", "openai/gpt-4.1-nano", "heavy", "openai/gpt-4.1"));

      SpacebotProcess.Result table = cli(env);
      assertThat(table.exitCode()).as(table.output()).isZero();
      assertThat(table.output()).doesNotContain(OPENAI_KEY).doesNotContain(LOCAL_KEY)
          .contains("Providers").contains("https://gw.example.internal:8443/v1")
          .containsPattern("openai/gpt-4\\.1-mini +0\\.40 / 1\\.60 / 0\\.10 +main\\.channel, main\\.branch")
          .contains("falls back to local/qwen-coder, openai/gpt-4.1-nano")
          .containsPattern("local/qwen-coder +- +main\\.task_overrides\\.coding, fallback of openai/gpt-4\\.1-mini")
          .containsPattern("task coding +local/qwen-coder").containsPattern("tier heavy +openai/gpt-4\\.1");
    }
  }

  private static JsonObject model(JsonObject body, String id) {
    return body.getJsonArray("models").stream().map(JsonObject.class::cast).filter(m -> id.equals(m.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + body.encodePrettily()));
  }

  /** {@code spacebot models} in its own JVM from the test classpath (no packaged jar needed). */
  private static SpacebotProcess.Result cli(Map<String, String> env) throws Exception {
    try (SpacebotProcess p = SpacebotProcess.start(env, List.of("-cp", System.getProperty("java.class.path"), "ai.spacebot.app.Main"),
        "models")) {
      if (!p.process().waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("spacebot models did not finish:\n" + p.output());
      }
      return new SpacebotProcess.Result(p.process().exitValue(), p.output());
    }
  }
}
