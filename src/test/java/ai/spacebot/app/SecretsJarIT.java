package ai.spacebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar: {@code spacebot secrets ...} on a stopped server (directly on the store) and on a running one
 * (through the API), and a server that starts with a locked store whose model key and Telegram token are
 * {@code secret:} values: both wait, and start when the store is unlocked, without a restart.
 */
class SecretsJarIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Runs a CLI command of the packaged jar with {@code stdin} as its standard input. */
  private static SpacebotProcess.Result cli(Map<String, String> env, String stdin, String... args) {
    return SpacebotProcess.run(env, stdin, WAIT, args);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void cliThenALockedStartThatUnlocksWithoutARestart() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-secrets-jar");
    int port = freePort();
    int deadTelegram = freePort();
    try (ScriptedModelServer model = ScriptedModelServer.start()) {
      model.respondWith(r -> ModelStep.text("answered with the stored key"));
      Files.writeString(dir.resolve("config.yaml"), """
          llm:
            providers:
              main:
                kind: openai
                api_key: secret:MODEL_KEY
                base_url: %s
                default_model: scripted
          messaging:
            telegram:
              token: secret:TG_TOKEN
              api_url: http://127.0.0.1:%d
          """.formatted(model.baseUrl(), deadTelegram));
      Map<String, String> env = new HashMap<>();
      env.put("SPACEBOT_DIR", dir.toString());
      env.put("SPACEBOT_PORT", String.valueOf(port));
      env.put("SPACEBOT_MODEL", "main/scripted");

      // ---- no server: the CLI works on the store directly
      SpacebotProcess.Result set = cli(env, "sk-jar-model-key-0042\n", "secrets", "set", "MODEL_KEY");
      assertThat(set.exitCode()).as(set.output()).isZero();
      assertThat(set.output()).contains("Stored MODEL_KEY (system)");
      assertThat(cli(env, "123456:telegram-jar-token\n", "secrets", "set", "TG_TOKEN").exitCode()).isZero();
      SpacebotProcess.Result tool = cli(env, "ghp_jar-tool-token\n", "secrets", "set", "GH_TOKEN", "--category", "tool");
      assertThat(tool.output()).contains("Stored GH_TOKEN (tool)");
      SpacebotProcess.Result bad = cli(env, "x\n", "secrets", "set", "bad-name");
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.output()).contains("spacebot: a secret name is 1 to 64 upper-case letters, digits and _, starting with a "
          + "letter (like GITHUB_TOKEN), not \"bad-name\"");

      SpacebotProcess.Result list = cli(env, "", "secrets", "list");
      assertThat(list.output()).contains("Secret store: unencrypted, 3 secret(s); values are NOT encrypted")
          .contains("GH_TOKEN").contains("tool").doesNotContain("ghp_jar-tool-token");
      assertThat(cli(env, "", "secrets", "get", "MODEL_KEY").output()).contains("MODEL_KEY  system").doesNotContain("sk-jar");
      assertThat(cli(env, "", "secrets", "get", "MODEL_KEY", "--reveal").output()).contains("sk-jar-model-key-0042");

      SpacebotProcess.Result encrypt = cli(env, "jar passphrase 7\n", "secrets", "encrypt");
      assertThat(encrypt.output()).as(encrypt.output()).contains("Secret store: unlocked (passphrase), 3 secret(s)");
      SpacebotProcess.Result wrong = cli(env, "not the passphrase\n", "secrets", "get", "MODEL_KEY", "--reveal");
      assertThat(wrong.exitCode()).isEqualTo(2);
      assertThat(wrong.output()).contains("spacebot: wrong passphrase: it does not open this secret store").doesNotContain("sk-jar");

      // ---- the server starts with the store locked: the model provider and Telegram wait
      try (SpacebotProcess server = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT)) {
        Http http = new Http("http://127.0.0.1:" + port);
        JsonObject health = http.get("/api/health").json();
        assertThat(health.getJsonObject("secrets")).isEqualTo(new JsonObject().put("state", "locked").put("waiting", new JsonArray()
            .add(new JsonObject().put("key", "llm.providers.main.api_key").put("secret", "MODEL_KEY"))
            .add(new JsonObject().put("key", "messaging.telegram.token").put("secret", "TG_TOKEN"))));
        JsonObject telegram = AppProbe.awaitAdapter(http, "telegram", "waiting", WAIT);
        assertThat(telegram.getString("last_error")).isEqualTo(
            "waiting for secret TG_TOKEN: the secret store is locked; unlock it with 'spacebot secrets unlock'");
        assertThat(server.output()).contains("Waiting for secret MODEL_KEY (llm.providers.main.api_key): the secret store is locked")
            .contains("Adapter telegram not started: waiting for secret TG_TOKEN");

        try (SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?channel_id=portal:chat:main:locked")) {
          http.send("main", "locked", "Dee", "hello while locked");
          SseEvent out = events.await("outbound_message", WAIT);
          assertThat(out.json().getString("text")).contains("waiting for secret MODEL_KEY");
          assertThat(model.requestCount()).isZero();
        }

        SpacebotProcess.Result badUnlock = cli(env, "nope\n", "secrets", "unlock");
        assertThat(badUnlock.exitCode()).isEqualTo(2);
        assertThat(badUnlock.output()).contains("spacebot: wrong passphrase: it does not open this secret store");
        SpacebotProcess.Result unlock = cli(env, "jar passphrase 7\n", "secrets", "unlock");
        assertThat(unlock.output()).as(unlock.output()).contains("Secret store: unlocked (passphrase), 3 secret(s)");

        // ---- unlocked: nothing waits any more, Telegram was started, the model gets its key
        Await.until(() -> http.get("/api/health").json().getJsonObject("secrets").getJsonArray("waiting").isEmpty(), WAIT,
            "nothing waits");
        Await.until(() -> !"waiting".equals(AppProbe.adapter(http, "telegram").getString("state")), WAIT, "telegram started");
        assertThat(server.output()).contains("Secret store unlocked: started telegram");
        try (SseClient events = SseClient.connect("http://127.0.0.1:" + port + "/api/events?channel_id=portal:chat:main:open")) {
          http.send("main", "open", "Dee", "hello after unlock");
          SseEvent out = events.await("outbound_message", WAIT);
          assertThat(out.json().getString("text")).isEqualTo("answered with the stored key");
        }
        assertThat(model.lastRequest().header("Authorization")).isEqualTo("Bearer sk-jar-model-key-0042");

        // through the API while it runs; the list never shows a value
        assertThat(cli(env, "", "secrets", "list").output()).contains("Secret store: unlocked (passphrase), 3 secret(s)")
            .doesNotContain("sk-jar").doesNotContain("ghp_jar");
        assertThat(cli(env, "", "secrets", "lock").output()).contains("Secret store: locked (passphrase), 3 secret(s)");
        assertThat(server.output()).doesNotContain("sk-jar-model-key-0042").doesNotContain("jar passphrase 7");
      }
    }
  }
}
