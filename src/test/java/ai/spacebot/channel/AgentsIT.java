package ai.spacebot.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several agents, each with its own identity files, conversations and model. */
class AgentsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void eachAgentHasItsOwnIdentityFilesAndEditsApplyWithoutRestart() throws Exception {
    try (ScriptedModelServer model = ScriptedModelServer.start()) {
      Path dir = Files.createTempDirectory("spacebot-agents");
      Map<String, String> env = new HashMap<>();
      env.put("OPENAI_API_KEY", "k");
      env.put("OPENAI_BASE_URL", model.baseUrl());
      String yaml = """
          agents:
            - id: main
              name: Spacebot
            - id: helpdesk
              name: Helpdesk Hannah
              routing:
                channel: openai/helpdesk-model
          """;
      TestApp app = TestApp.start(env, dir, yaml, null);
      try {
        for (String agent : new String[] {"main", "helpdesk"}) {
          for (String file : new String[] {"SOUL.md", "IDENTITY.md", "ROLE.md"}) {
            assertThat(dir.resolve("agents").resolve(agent).resolve(file)).isNotEmptyFile();
          }
          assertThat(dir.resolve("agents").resolve(agent).resolve("workspace")).isDirectory();
        }
        assertThat(Files.readString(dir.resolve("agents/helpdesk/IDENTITY.md"))).contains("Helpdesk Hannah");

        model.enqueue(ModelStep.text("hi from helpdesk"));
        try (SseClient events = app.events("agent_id=helpdesk")) {
          app.http.send("helpdesk", "h1", "Uma", "printer broken");
          JsonObject out = events.await("outbound_message", null, WAIT).json();
          assertThat(out.getString("channel_id")).isEqualTo("portal:chat:helpdesk:h1");
        }
        assertThat(model.lastRequest().model()).isEqualTo("helpdesk-model");
        String system = model.lastRequest().messagesWithRole("system").get(0).getString("content");
        assertThat(system).contains("Helpdesk Hannah");

        // An operator edits ROLE.md; the next turn uses it (files are re-read when they change).
        Files.writeString(dir.resolve("agents/helpdesk/ROLE.md"), "You only help with printers and coffee machines.");
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean seen = false;
        int turn = 0;
        while (!seen && System.nanoTime() < deadline) {
          model.enqueue(ModelStep.text("ok " + turn));
          try (SseClient events = app.events("agent_id=helpdesk")) {
            app.http.send("helpdesk", "h1", "Uma", "still broken " + turn++);
            events.await("outbound_message", null, WAIT);
          }
          seen = model.lastRequest().messagesWithRole("system").get(0).getString("content").contains("coffee machines");
          if (!seen) {
            Thread.sleep(500);
          }
        }
        assertThat(seen).as("the edited ROLE.md reached the prompt").isTrue();

        // The main agent is untouched and uses the default model.
        model.enqueue(ModelStep.text("hi from main"));
        try (SseClient events = app.events("agent_id=main")) {
          app.http.send("main", "m1", "Uma", "hello");
          events.await("outbound_message", null, WAIT);
        }
        assertThat(model.lastRequest().model()).isEqualTo("gpt-4.1-mini");
        assertThat(model.lastRequest().messagesWithRole("system").get(0).getString("content")).doesNotContain("coffee machines");
      } finally {
        app.close();
      }
    }
  }
}
