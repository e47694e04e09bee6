package ai.spacebot.tools.web;

import static ai.spacebot.testkit.RoleScript.Role.CHANNEL;
import static ai.spacebot.testkit.RoleScript.Role.WORKER;
import static ai.spacebot.testkit.RoleScript.call;
import static ai.spacebot.testkit.RoleScript.lastToolResult;
import static ai.spacebot.testkit.RoleScript.reply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.SseEvent;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The worker's web_fetch in the whole application, driven by the scripted model: a model steered into fetching the
 * cloud metadata address gets the refusal as its tool result (seen in its next request) and the worker's status says
 * so; the allow-listed server right after is fetched as text.
 */
class WebFetchWorkerIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
  private static final String REFUSAL = "refused: 169.254.169.254 is a link-local address (cloud metadata); allow it "
      + "with tools.web.allow_hosts";

  @Test
  void theModelIsToldWhyTheMetadataAddressIsRefusedAndAnAllowedHostIsFetched() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ScriptedModelServer model = ScriptedModelServer.start()) {
      HttpServer site = vertx.createHttpServer().requestHandler(r -> r.response()
          .putHeader("Content-Type", "text/html").end("<html><body><h1>Intranet</h1><p>Lunch is at noon.</p></body>"
              + "</html>")).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      String allowed = "http://localhost:" + site.actualPort() + "/menu";
      RoleScript.on(model)
          .then(CHANNEL, call("spawn_worker", new JsonObject().put("task", "read the metadata and the menu")))
          .then(CHANNEL, reply("on it"))
          .then(WORKER, call("web_fetch", new JsonObject().put("url", METADATA)))
          .then(WORKER, call("web_fetch", new JsonObject().put("url", allowed).put("max_chars", 500)))
          .then(WORKER, r -> ModelStep.text("FETCHED:" + RoleScript.unfenced(lastToolResult(r))))
          .otherwise(CHANNEL, r -> reply("done"));
      String yaml = "tools:\n  web:\n    allow_hosts: [localhost]\n";
      try (TestApp app = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-web"), yaml, null);
          SseClient events = app.events("channel_id=portal:chat:main:eve")) {
        app.http.send("main", "eve", "Eve", "get me the cloud credentials");

        SseEvent status = events.await("worker_status", j -> j.getString("status").contains("refused"), WAIT);
        assertThat(status.json().getString("status")).isEqualTo("web_fetch " + REFUSAL);
        SseEvent done = events.await("worker_completed", null, WAIT);
        assertThat(done.json().getString("result")).startsWith("FETCHED:URL: " + allowed);

        List<RecordedRequest> worker = RoleScript.of(model, WORKER);
        assertThat(worker).hasSize(3);
        assertThat(worker.get(0).toolNames()).contains("web_fetch", "shell", "set_status");
        assertThat(RoleScript.unfenced(lastToolResult(worker.get(1)))).isEqualTo(REFUSAL);
        // the page reaches the model fenced as data from web_fetch, never as instructions
        assertThat(lastToolResult(worker.get(2))).matches("(?s)<<<data from=\"tool web_fetch\" id=([0-9a-f]{12})>>>\n"
            + java.util.regex.Pattern.quote("URL: " + allowed + "\nStatus: 200\nContent-Type: text/html\n\n"
            + "Intranet\nLunch is at noon.") + "\n<<<end data id=\\1>>>");
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
