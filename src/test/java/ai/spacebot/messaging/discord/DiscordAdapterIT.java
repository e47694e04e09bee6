package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.DiscordFault;
import ai.spacebot.testkit.DiscordPeer;
import ai.spacebot.testkit.DiscordPeer.BotMessage;
import ai.spacebot.testkit.DiscordPeer.Guild;
import ai.spacebot.testkit.DiscordPeer.User;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real application with its Discord adapter (JDA 6.5 over a real gateway WebSocket and REST) against
 * {@link DiscordPeer}, with Prism validating every REST request and answer against Discord's OpenAPI spec: a
 * violation fails the test that caused it. Each test talks in channels of its own, so they share one app and peer.
 */
class DiscordAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ScriptedModelServer model;
  private static DiscordPeer peer;
  private static Guild guild;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(DiscordAdapterIT::answer);
    peer = DiscordPeer.start();
    guild = peer.createGuild("Spacebot Friends", "general", "gated", "quiet", "threads", "files");
    String yaml = """
        delivery:
          max_attempts: 3
          initial_backoff_ms: 200
          max_backoff_ms: 1000
        bindings:
          - platform: discord
            guild_id: "%s"
            channel_id: "%s"
            agent_id: main
            require_mention: true
          - platform: discord
            guild_id: "%s"
            channel_id: "%s"
            agent_id: main
            response_mode: observe
          - platform: discord
            guild_id: "*"
            channel_id: "*"
            agent_id: main
            response_mode: active
            authority: ["424242"]
        """.formatted(guild.id(), guild.channel("gated"), guild.id(), guild.channel("quiet"));
    app = TestApp.start(env(peer.token()), Files.createTempDirectory("spacebot-discord"), yaml, null);
    awaitAdapter(app, "connected");
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

  @AfterEach
  void noSpecViolations() {
    assertThat(peer.violations()).as("Prism: requests or answers outside Discord's spec\n%s",
        String.join("\n", peer.prismLog())).isEmpty();
    assertThat(peer.unhandled()).as("calls the peer does not know").isEmpty();
  }

  private static Map<String, String> env(String token) {
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("DISCORD_BOT_TOKEN", token);
    env.put("DISCORD_REST_URL", peer.restUrl());
    env.put("DISCORD_GATEWAY_URL", peer.gatewayUrl());
    return env;
  }

  /** The scripted model: markers in the person's words choose the answer; otherwise it echoes in Markdown. */
  private static ModelStep answer(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText());
    if (text.contains("BUTTONS")) {
      return reply(new JsonObject().put("content", "Deploy now?")
          .put("buttons", new JsonArray().add(new JsonObject().put("id", "deploy-yes").put("label", "Yes"))
              .add(new JsonObject().put("id", "deploy-no").put("label", "No"))));
    }
    if (text.contains("CARD")) {
      return reply(new JsonObject().put("content", "Status").put("card", new JsonObject().put("title", "Build 42")
          .put("description", "All green").put("color", "#22aa55").put("url", "https://example.org/b/42")
          .put("fields", new JsonArray().add(new JsonObject().put("name", "tests").put("value", "512")))));
    }
    if (text.contains("POLL")) {
      return reply(new JsonObject().put("content", "Vote please").put("poll", new JsonObject()
          .put("question", "Lunch?").put("options", new JsonArray().add("Pizza").add("Salad"))));
    }
    if (text.contains("THREAD")) {
      return reply(new JsonObject().put("content", "Let's talk here").put("thread_name", "Planning the launch"));
    }
    if (text.contains("REACT")) {
      return ModelStep.toolCalls(new ModelStep.ToolCall("react", "{\"emoji\":\"👍\"}"),
          new ModelStep.ToolCall("reply", "{\"content\":\"done\"}"));
    }
    if (text.contains("FILE")) {
      return ModelStep.toolCall("send_file", new JsonObject().put("path", "report.txt").encode());
    }
    return reply(new JsonObject().put("content", "**echo**: "
        + text.replaceAll("^\\[[^\\]]*\\] ", "").lines().findFirst().orElse("")));
  }

  private static ModelStep reply(JsonObject args) {
    return ModelStep.toolCall("reply", args.encode());
  }

  @Test
  void aDirectMessageIsAnsweredInTheDm() {
    User ada = DiscordPeer.User.of("ada");
    peer.dm(ada, "hello there");
    String dm = awaitDmChannel(ada);
    List<BotMessage> replies = awaitBotMessages(dm, 1);
    assertThat(replies.get(0).content()).isEqualTo("**echo**: hello there");
    assertThat(replies.get(0).payload().getJsonObject("message_reference")).isNull();
  }

  @Test
  void aMentionInAGatedChannelIsAnsweredAsAReplyAndOtherMessagesAreKept() {
    User bo = DiscordPeer.User.of("bo");
    String channel = guild.channel("gated");
    String conversation = "discord:" + guild.id() + ":" + channel;
    peer.say(channel, bo, "just chatting among ourselves", false);
    Await.until(() -> "observed".equals(status(conversation, "just chatting among ourselves")), WAIT,
        "the un-mentioned message kept, not answered");

    String mention = peer.say(channel, bo, "what do you think", true);
    List<BotMessage> replies = awaitBotMessages(channel, 1);
    assertThat(replies.get(0).content()).contains("what do you think").doesNotContain("<@");
    assertThat(replies.get(0).payload().getJsonObject("message_reference").getString("message_id"))
        .isEqualTo(mention);
    quiet();
    assertThat(peer.botMessages(channel)).hasSize(1);
  }

  private static String awaitDmChannel(User user) {
    Await.until(() -> peer.dmChannelId(user.id()) != null, WAIT, "a DM channel with " + user.name());
    return peer.dmChannelId(user.id());
  }

  private static List<BotMessage> awaitBotMessages(String channelId, int n) {
    Await.until(() -> peer.botMessages(channelId).size() >= n, WAIT, n + " bot message(s) in channel " + channelId);
    return peer.botMessages(channelId);
  }

  /** Long enough for a duplicate reply or a late retry to show up if there were one. */
  private static void quiet() {
    model.awaitQuiet(Duration.ofMillis(1200), WAIT);
    try {
      Thread.sleep(800);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonObject adapter(TestApp on) {
    JsonArray adapters = on.http.get("/api/adapters").json().getJsonArray("adapters");
    for (int i = 0; i < adapters.size(); i++) {
      if ("discord".equals(adapters.getJsonObject(i).getString("platform"))) {
        return adapters.getJsonObject(i);
      }
    }
    return null;
  }

  private static JsonObject awaitAdapter(TestApp on, String state) {
    Await.until(() -> {
      JsonObject a = adapter(on);
      return a != null && state.equals(a.getString("state"));
    }, Duration.ofSeconds(60), "discord adapter " + state + "; last seen " + adapter(on));
    return adapter(on);
  }

  private static String status(String conversation, String text) {
    JsonArray messages = app.running().vertx().eventBus()
        .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("conversation_id", conversation).put("limit", 100))
        .await().body().getJsonArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if (m.getString("text") != null && m.getString("text").contains(text)) {
        return m.getString("status");
      }
    }
    return null;
  }
}
