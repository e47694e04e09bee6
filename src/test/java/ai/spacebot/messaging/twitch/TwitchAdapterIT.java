package ai.spacebot.messaging.twitch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.DeliveryFailure;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.IrcViewer;
import ai.spacebot.testkit.IrcViewer.Said;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TestApp;
import ai.spacebot.testkit.TwitchPeer;
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
 * The real application with its Twitch adapter (Twitch4J over a real WebSocket) against {@link TwitchPeer}
 * (InspIRCd behind websocketd), people as plain-TCP IRC clients. Twitch's own tags are absent on that server; the
 * cases that need them (a reply to the bot) inject the line as Twitch sends it. Each test talks in a channel of its
 * own, so they share one app and peer. The send limit is Twitch's count (20) over a 3 s window instead of 30 s, so
 * the burst shows the wait in seconds.
 */
class TwitchAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BOT = "agentbot";
  private static final List<String> CHANNELS = List.of("general", "ignored", "format", "burst", "reconnect",
      "quiet");
  private static final long WINDOW_MS = 3000;

  private static ScriptedModelServer model;
  private static TwitchPeer peer;
  private static TestApp app;
  private static IrcViewer ada;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(TwitchAdapterIT::answer);
    peer = TwitchPeer.start();
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.putAll(Map.of("TWITCH_OAUTH_TOKEN", peer.token(), "TWITCH_BOT_NAME", BOT, "TWITCH_CHANNELS",
        String.join(",", CHANNELS), "TWITCH_IRC_URL", peer.url()));
    String yaml = """
        delivery:
          max_attempts: 3
          initial_backoff_ms: 200
          max_backoff_ms: 1000
        messaging:
          twitch:
            trigger_prefix: "!ask"
            ignore_users: [nightbot]
            send_limit: 20
            send_window_ms: %d
        """.formatted(WINDOW_MS);
    app = TestApp.start(env, Files.createTempDirectory("spacebot-twitch"), yaml, null);
    AppProbe.awaitAdapter(app.http, "twitch", "connected", WAIT);
    ada = peer.viewer("ada", CHANNELS);
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
    String text = String.valueOf(r.lastUserText()).replaceAll("^\\[[^\\]]*\\] ", "");
    if (text.contains("MARKDOWN")) {
      return reply("**Bold** move, `code` too:\n\n- first\n- second\n\nSee [the docs](https://example.org/d).");
    }
    if (text.contains("BURST")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i <= 30; i++) {
        // 30 parts: each marker opens a paragraph that, with its padding, fills most of a 500-character message.
        out.append(String.format("P%02d ", i)).append("word ".repeat(95)).append("\n\n");
      }
      return reply(out.toString());
    }
    return reply("echo: " + text);
  }

  private static ModelStep reply(String content) {
    return ModelStep.toolCall("reply", new JsonObject().put("content", content).encode());
  }

  @Test
  void aMentionThePrefixAndAReplyToTheBotAreAnsweredAPlainMessageIsOnlyKept() {
    ada.say("general", "just chatting with chat");
    Await.until(() -> "observed".equals(AppProbe.status(app, "twitch:general", "just chatting with chat")), WAIT,
        "a plain message kept, not answered");

    ada.say("general", "@AgentBot how are you");
    awaitBot("general", 1);
    assertThat(bot("general").get(0).text()).isEqualTo("echo: how are you");

    ada.say("general", "!ask what is the plan");
    awaitBot("general", 2);
    assertThat(bot("general").get(1).text()).isEqualTo("echo: what is the plan");

    // "!asking" is not the prefix, and no mention: kept only.
    ada.say("general", "!asking around");
    // A reply to one of the bot's messages, as Twitch sends it (tags the local server does not give).
    peer.inject("@id=" + UUID.randomUUID() + ";display-name=Ada;user-id=1001;reply-parent-user-login=" + BOT
        + ";reply-parent-msg-id=" + UUID.randomUUID() + ";tmi-sent-ts=" + System.currentTimeMillis()
        + " :ada!ada@ada.tmi.twitch.tv PRIVMSG #general :and tomorrow");
    awaitBot("general", 3);
    assertThat(bot("general").get(2).text()).isEqualTo("echo: and tomorrow");
    AppProbe.quiet(model, WAIT);
    assertThat(bot("general")).hasSize(3);
    assertThat(AppProbe.status(app, "twitch:general", "!asking around")).isEqualTo("observed");
  }

  @Test
  void ignoredUsersAndTheBotsOwnLinesAreNotTakenIn() throws Exception {
    try (IrcViewer nightbot = peer.viewer("nightbot", List.of("ignored"))) {
      nightbot.say("ignored", "@agentbot follow the channel!");
      // The bot's own line, if a server echoed it.
      peer.inject("@msgid=own-1 :" + BOT + "!" + BOT + "@127.0.0.1 PRIVMSG #ignored :@agentbot talking to myself");
      ada.say("ignored", "@agentbot only me");
      awaitBot("ignored", 1);
      AppProbe.quiet(model, WAIT);
      assertThat(bot("ignored")).extracting(Said::text).containsExactly("echo: only me");
      assertThat(AppProbe.status(app, "twitch:ignored", "follow the channel")).isNull();
      assertThat(AppProbe.status(app, "twitch:ignored", "talking to myself")).isNull();
    }
  }

  @Test
  void markdownArrivesAsPlainTextOnOneLine() {
    ada.say("format", "@agentbot MARKDOWN please");
    awaitBot("format", 1);
    assertThat(bot("format").get(0).text())
        .isEqualTo("Bold move, code too: • first • second See the docs (https://example.org/d).");
  }

  @Test
  void aBurstOf30MessagesArrivesCompleteAndInOrderThe21stAfterTheWindow() {
    ada.say("burst", "@agentbot BURST");
    Await.until(() -> bot("burst").stream().anyMatch(s -> s.text().contains("P30")), Duration.ofSeconds(60),
        "every part of the burst");
    AppProbe.quiet(model, WAIT);
    List<Said> parts = bot("burst");
    assertThat(parts.size()).isGreaterThanOrEqualTo(30);
    String all = String.join(" ", parts.stream().map(Said::text).toList());
    int at = -1;
    for (int i = 1; i <= 30; i++) {
      int next = all.indexOf(String.format("P%02d ", i));
      assertThat(next).as("part P%02d, once and in order", i).isGreaterThan(at);
      assertThat(all.indexOf(String.format("P%02d ", i), next + 1)).as("P%02d only once", i).isEqualTo(-1);
      at = next;
    }
    for (Said part : parts) {
      assertThat(part.text().length()).isLessThanOrEqualTo(500);
    }
    // At most 20 messages in any 3 s: the 21st left the queue a full window after the first.
    long first = parts.get(0).atMillis();
    assertThat(parts.get(20).atMillis() - first).isGreaterThanOrEqualTo(WINDOW_MS - 100);
    assertThat(parts.get(19).atMillis() - first).isLessThan(WINDOW_MS - 500);
  }

  @Test
  void aRestartedChatServerConnectionIsReconnectedAndTheChatGoesOn() throws Exception {
    int reconnects = AppProbe.adapter(app.http, "twitch").getInteger("reconnects");
    int connections = peer.connections();
    peer.restartWebSocket(Duration.ofMillis(1500));
    Await.until(() -> peer.connections() > connections, WAIT, "the bot connected again");
    Await.until(() -> AppProbe.adapter(app.http, "twitch").getInteger("reconnects") > reconnects
        && "connected".equals(AppProbe.adapter(app.http, "twitch").getString("state")), WAIT,
        "reported reconnected");
    ada.say("reconnect", "@agentbot still there?");
    awaitBot("reconnect", 1);
    assertThat(bot("reconnect").get(0).text()).isEqualTo("echo: still there?");
  }

  @Test
  void aConfiguredChannelCanBeWrittenToFirstAnOtherChannelIsRefusedClearly() {
    var bus = app.running().vertx().eventBus();
    OutboundMessage out = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main",
        "twitch", "twitch:quiet", "Stream starts in **5 minutes**", null, UUID.randomUUID().toString());
    JsonObject receipt = bus.<JsonObject>request(Addresses.outbound("twitch"), out.toJson()).await().body();
    assertThat(receipt.getJsonArray("platform_message_ids")).hasSize(1);
    Await.until(() -> bot("quiet").size() == 1, WAIT, "the announcement");
    assertThat(bot("quiet").get(0).text()).isEqualTo("Stream starts in 5 minutes");

    OutboundMessage elsewhere = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main",
        "twitch", "twitch:somebodyelse", "hi", null, UUID.randomUUID().toString());
    Throwable refused = bus.request(Addresses.outbound("twitch"), elsewhere.toJson())
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
    DeliveryFailure failure = DeliveryFailure.from(refused);
    assertThat(failure.code()).isEqualTo(DeliveryFailure.PERMANENT);
    assertThat(failure.error()).contains("#somebodyelse").contains("TWITCH_CHANNELS");
  }

  private static List<Said> bot(String channel) {
    return ada.heard(channel, BOT);
  }

  private static void awaitBot(String channel, int n) {
    Await.until(() -> bot(channel).size() >= n, WAIT, n + " bot message(s) in #" + channel);
  }
}
