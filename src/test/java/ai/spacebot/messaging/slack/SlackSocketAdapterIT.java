package ai.spacebot.messaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SlackPeer;
import ai.spacebot.testkit.SlackPeer.Posted;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Slack adapter in Socket Mode, connected straight to {@code messaging.slack.socket_url} (our local Socket Mode
 * server) instead of the URL {@code apps.connections.open} gives: envelopes of each kind are acknowledged, clicks and
 * commands arrive through the socket as through the Events API, and a dropped connection comes back to the same URL.
 */
class SlackSocketAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ScriptedModelServer model;
  private static SlackPeer peer;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(SlackSocketAdapterIT::answer);
    peer = SlackPeer.start(SlackPeer.Mode.SOCKET, List.of("ada", "bob"), List.of("general"));
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.putAll(peer.env(SlackPeer.BOT_TOKEN));
    env.put("SLACK_SOCKET_URL", peer.socket().url());
    app = TestApp.start(env, Files.createTempDirectory("spacebot-slack-socket"), "", null);
    AppProbe.awaitAdapter(app.http, "slack", "connected", WAIT);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private static ModelStep answer(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText());
    if (text.contains("BUTTONS")) {
      return ModelStep.toolCall("reply", new JsonObject().put("content", "Pick one")
          .put("buttons", new JsonArray().add(new JsonObject().put("id", "pick-a").put("label", "A"))).encode());
    }
    return ModelStep.toolCall("reply", new JsonObject().put("content", "echo: "
        + text.replaceAll("^\\[[^\\]]*\\] ", "").lines().findFirst().orElse("")).encode());
  }

  @Test
  void everyEnvelopeIsAcknowledgedAndClicksAndCommandsComeThroughTheSocket() {
    String dm = peer.dmChannel("ada");
    String ts = peer.post("ada", dm, "BUTTONS over the socket", null);
    String envelope = peer.deliver(peer.callback(peer.messageEvent("ada", dm, "BUTTONS over the socket", ts, null)),
        0).envelopeId();
    Await.until(() -> peer.socket().ack(envelope) != null, WAIT, "the events_api envelope acknowledged");
    Posted buttons = awaitBot(dm, 1).get(0);
    JsonObject actions = buttons.blocks().getJsonObject(1);
    assertThat(actions.getString("type")).isEqualTo("actions");

    String click = peer.click("ada", dm, buttons.ts(), null, "pick-a", actions.getString("block_id"), "A").envelopeId();
    Await.until(() -> peer.socket().ack(click) != null, Duration.ofSeconds(3), "the click acknowledged within 3 s");
    assertThat(awaitBot(dm, 2).get(1).text()).contains("clicked button \"A\" (pick-a)");

    String channel = peer.channelId("general");
    String command = peer.command("bob", channel, "whoami").envelopeId();
    Await.until(() -> peer.socket().ack(command) != null, Duration.ofSeconds(3), "the command acknowledged within 3 s");
    String bob = peer.userId("bob");
    Await.until(() -> peer.proxy().calls("chat.postEphemeral").stream().anyMatch(c -> bob.equals(
        c.params().getString("user")) && c.status() == 200), WAIT, "the ephemeral answer to /spacebot whoami");
    assertThat(peer.proxy().calls("chat.postEphemeral").get(0).params().getString("text")).contains(bob);
  }

  @Test
  void aDroppedSocketReconnectsToTheConfiguredUrlWithoutAskingSlack() {
    int before = peer.socket().connections();
    peer.socket().drop();
    Await.until(() -> peer.socket().connections() > before && peer.socket().connected(), WAIT, "a new connection");
    AppProbe.awaitAdapter(app.http, "slack", "connected", WAIT);
    assertThat(peer.proxy().calls("apps.connections.open")).as("socket_url is used as it is").isEmpty();
    String dm = peer.dmChannel("bob");
    String ts = peer.post("bob", dm, "after the drop", null);
    peer.deliver(peer.callback(peer.messageEvent("bob", dm, "after the drop", ts, null)), 0);
    assertThat(awaitBot(dm, 1).get(0).text()).isEqualTo("echo: after the drop");
  }

  private static List<Posted> awaitBot(String channel, int n) {
    Await.until(() -> peer.botMessages(channel).size() >= n, WAIT, n + " bot message(s) in " + channel);
    return peer.botMessages(channel);
  }
}
