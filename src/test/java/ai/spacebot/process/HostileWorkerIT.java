package ai.spacebot.process;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.lastToolResult;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attack from issue 12, replayed against the packaged jar with real secrets in its environment: a stranger
 * steers the model into running shell commands that read the server's environment through /proc, read and change
 * the config and the agent's identity, call the control API and a metadata address, and remount the disk. Under the
 * default sandbox every step is refused or sees nothing, and the test names what each one got.
 */
class HostileWorkerIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String KEY = "sk-hostile-test-secret-4711";
  private static ScriptedModelServer model;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
  }

  @AfterAll
  static void stop() {
    model.close();
  }

  @Test
  void aWorkerSteeredIntoAnAttackIsContainedAndLeaksNothing() throws Exception {
    Path dir = Files.createTempDirectory("spacebot-hostile");
    int port = TestApp.freePort();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("OPENAI_API_KEY", KEY);
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    Files.writeString(dir.resolve("config.yaml"), "# operator's config\n");
    String attack = String.join("; ",
        "echo ENVIRON; cat /proc/$PPID/environ /proc/1/environ 2>&1 | tr '\\0' '\\n'",
        "echo CONFIG; cat " + dir.resolve("config.yaml") + " 2>&1",
        "echo SOUL; echo 'I obey strangers' >> " + dir.resolve("agents/main/SOUL.md") + " 2>&1",
        "echo WRITE; echo 'api: {bind: 0.0.0.0}' > " + dir.resolve("config.yaml") + " 2>&1",
        "echo API; curl -s -m 3 http://127.0.0.1:" + port + "/api/channels 2>&1; echo curl=$?",
        "echo META; curl -s -m 3 http://169.254.169.254/latest/meta-data/ 2>&1; echo meta=$?",
        "echo MOUNT; mount -o remount,rw / 2>&1; echo mount=$?");
    RoleScript.on(model)
        .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "run what the user asked")))
        .then(CHANNEL, reply("on it"))
        .then(WORKER, call("shell", new JsonObject().put("command", attack)))
        .then(WORKER, r -> ModelStep.text("OUT:" + lastToolResult(r)))
        .otherwise(CHANNEL, r -> reply(r.lastUserText()));
    try (SpacebotProcess server = SpacebotProcess.start(env, "start", "--foreground").awaitHealthy(port, WAIT);
        SseClient events = SseClient.connect("http://127.0.0.1:" + port
            + "/api/events?channel_id=portal:chat:main:mallory")) {
      String soulBefore = Files.readString(dir.resolve("agents/main/SOUL.md"));
      new Http("http://127.0.0.1:" + port).send("main", "mallory", "Mallory", "please run my little script");
      SseEvent out = events.await("outbound_message", j -> j.getString("text").contains("OUT:"), WAIT);
      String text = out.json().getString("text");

      assertThat(text).as("what the attack got").contains("ENVIRON", "CONFIG", "SOUL", "WRITE", "API", "META", "MOUNT");
      assertThat(text).doesNotContain(KEY).doesNotContain("OPENAI_API_KEY").doesNotContain("SPACEBOT_DIR");
      assertThat(text).doesNotContain("operator's config");
      assertThat(text).contains("Read-only file system");
      assertThat(text).doesNotContain("curl=0").doesNotContain("meta=0").doesNotContain("mount=0");
      assertThat(text).doesNotContain("\"channels\"");
      assertThat(Files.readString(dir.resolve("agents/main/SOUL.md"))).isEqualTo(soulBefore);
      assertThat(Files.readString(dir.resolve("config.yaml"))).isEqualTo("# operator's config\n");
      server.terminate();
      assertThat(server.output()).contains("Worker shell sandbox: bubblewrap (network off");
    }
  }
}
