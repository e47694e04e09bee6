package ai.spacebot.messaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SlackPeer;
import ai.spacebot.testkit.SlackPeer.Posted;
import ai.spacebot.testkit.SlackPeer.Pushed;
import ai.spacebot.testkit.SlackProxy;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real application with its Slack adapter on the Events API (Bolt behind our {@code /slack/events}) against
 * npm {@code emulate}'s Slack Web API behind {@link SlackProxy}: what Slack itself checks and does that the parity
 * suite does not. Each test talks in a channel or DM of its own, so they share one app and peer.
 */
class SlackAdapterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BOT = SlackPeer.BOT_USER;

  private static ScriptedModelServer model;
  private static SlackPeer peer;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(SlackAdapterIT::answer);
    peer = SlackPeer.start(SlackPeer.Mode.EVENTS, List.of("ada", "bob", "cy", "eve", "ops"),
        List.of("general", "threads", "commands", "private-ops"));
    String yaml = """
        delivery:
          max_attempts: 3
          initial_backoff_ms: 200
          max_backoff_ms: 1000
        messaging:
          slack:
            max_message_chars: 500
            posts_per_second: 10
            post_burst: 5
        bindings:
          - platform: slack
            guild_id: "%s"
            channel_id: "*"
            agent_id: main
            response_mode: active
            require_mention: true
            authority: ["%s"]
        """.formatted(SlackPeer.TEAM, peer.userId("ops"));
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.putAll(peer.env(SlackPeer.BOT_TOKEN));
    app = TestApp.start(env, Files.createTempDirectory("spacebot-slack"), yaml, null);
    peer.attach("http://127.0.0.1:" + app.port);
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

  /** The scripted model: markers in the person's words choose the answer; otherwise it echoes. */
  private static ModelStep answer(RecordedRequest r) {
    String text = String.valueOf(r.lastUserText());
    if (text.contains("BUTTONS")) {
      return reply(new JsonObject().put("content", "Deploy now?")
          .put("buttons", new JsonArray().add(new JsonObject().put("id", "deploy-yes").put("label", "Yes"))
              .add(new JsonObject().put("id", "deploy-no").put("label", "No"))));
    }
    if (text.contains("BURST")) {
      StringBuilder long50 = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        long50.append("Paragraph ").append(i).append(": ").append("words ".repeat(70).strip()).append("\n\n");
      }
      return reply(new JsonObject().put("content", long50.toString().strip()));
    }
    if (text.contains("FILE")) {
      return ModelStep.toolCalls(new ModelStep.ToolCall("send_file", "{\"path\":\"report.txt\"}"),
          new ModelStep.ToolCall("reply", "{\"content\":\"here it is\"}"));
    }
    if (text.contains("REACT")) {
      return ModelStep.toolCalls(new ModelStep.ToolCall("react", "{\"emoji\":\"👍\"}"),
          new ModelStep.ToolCall("reply", "{\"content\":\"done\"}"));
    }
    ModelStep echo = reply(new JsonObject().put("content", "**echo**: "
        + text.replaceAll("^\\[[^\\]]*\\] ", "").lines().findFirst().orElse("")));
    return text.contains("SLOW") ? echo.delayed(Duration.ofMillis(2500)) : echo;
  }

  private static ModelStep reply(JsonObject args) {
    return ModelStep.toolCall("reply", args.encode());
  }

  private static List<Posted> awaitBot(String channel, int n) {
    Await.until(() -> peer.botMessages(channel).size() >= n, WAIT, n + " bot message(s) in " + channel);
    return peer.botMessages(channel);
  }

  private static String mention(String text) {
    return "<@" + BOT + "> " + text;
  }

  @Test
  void aBadSignatureOrAnOldTimestampIsRefusedAndUrlVerificationIsAnswered() {
    String body = peer.callback(peer.messageEvent("ada", peer.channelId("general"), "forged", "1.000001", null))
        .encode();
    long now = Instant.now().getEpochSecond();
    Pushed forged = peer.postSigned(body, "application/json", 0, "not-the-signing-secret", now);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(new JsonObject(forged.body()).getString("error")).contains("X-Slack-Signature");
    Pushed stale = peer.postSigned(body, "application/json", 0, SlackPeer.SIGNING_SECRET, now - 600);
    assertThat(stale.status()).isEqualTo(401);

    Pushed challenge = peer.postSigned(new JsonObject().put("token", "t").put("challenge", "c0ffee-42")
        .put("type", "url_verification").encode(), "application/json", 0, SlackPeer.SIGNING_SECRET, now);
    assertThat(challenge.status()).isEqualTo(200);
    assertThat(challenge.body()).contains("c0ffee-42");

    Pushed garbage = peer.postSigned("hello", "text/plain", 0, SlackPeer.SIGNING_SECRET, now);
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(new JsonObject(garbage.body()).getString("error")).contains("not a Slack request");
  }

  @Test
  void aMentionArrivingAsMessageAndAppMentionAndARetryMakesOneTurnAnsweredInAThread() {
    String channel = peer.channelId("general");
    int before = model.requestCount();
    String ts = peer.post("ada", channel, mention("hello one"), null);
    long sent = System.nanoTime();
    Pushed first = peer.deliver(peer.callback(peer.messageEvent("ada", channel, mention("hello one"), ts, null)), 0);
    long ackMillis = (System.nanoTime() - sent) / 1_000_000;
    assertThat(first.status()).isEqualTo(200);
    assertThat(ackMillis).as("acknowledged inside Slack's 3 s").isLessThan(3000);
    assertThat(peer.deliver(peer.callback(peer.mentionEvent("ada", channel, mention("hello one"), ts, null)), 0)
        .status()).isEqualTo(200);
    assertThat(peer.deliver(peer.callback(peer.messageEvent("ada", channel, mention("hello one"), ts, null)), 1)
        .status()).isEqualTo(200);
    List<Posted> bot = awaitBot(channel, 1);
    AppProbe.quiet(model, WAIT);
    bot = peer.botMessages(channel);
    assertThat(bot).hasSize(1);
    assertThat(bot.get(0).threadTs()).as("answered in a new thread under the message").isEqualTo(ts);
    assertThat(bot.get(0).text()).isEqualTo("*echo*: hello one");
    assertThat(model.requestCount() - before).isEqualTo(1);
    assertThat(AppProbe.status(app, "slack:" + SlackPeer.TEAM + ":" + channel, "hello one")).isEqualTo("answered");
  }

  @Test
  void aMessageInAThreadIsItsOwnConversationAnsweredInThatThread() {
    String channel = peer.channelId("threads");
    String parent = peer.post("bob", channel, "a topic", null);
    peer.deliver(peer.callback(peer.messageEvent("bob", channel, "a topic", parent, null)), 0);
    String ts = peer.post("bob", channel, mention("inside the thread"), parent);
    peer.deliver(peer.callback(peer.messageEvent("bob", channel, mention("inside the thread"), ts, parent)), 0);
    List<Posted> bot = awaitBot(channel, 1);
    assertThat(bot.get(0).threadTs()).isEqualTo(parent);
    assertThat(bot.get(0).text()).isEqualTo("*echo*: inside the thread");
    String conversation = "slack:" + SlackPeer.TEAM + ":" + channel + ":" + parent;
    assertThat(AppProbe.status(app, conversation, "inside the thread")).isEqualTo("answered");
    // The top-level message had no mention (require_mention): kept, not answered.
    assertThat(AppProbe.status(app, "slack:" + SlackPeer.TEAM + ":" + channel, "a topic")).isEqualTo("observed");
  }

  @Test
  void theTypingReactionIsOnWhileTheTurnRunsAndOffAfterItAndReactUsesEmojiNames() {
    String dm = peer.dmChannel("cy");
    String ts = peer.post("cy", dm, "SLOW answer please", null);
    peer.deliver(peer.callback(peer.messageEvent("cy", dm, "SLOW answer please", ts, null)), 0);
    Await.until(() -> hasReaction(dm, ts, "eyes"), WAIT, "the eyes reaction while the turn runs");
    List<Posted> bot = awaitBot(dm, 1);
    assertThat(bot.get(0).threadTs()).as("DMs are answered in the open").isNull();
    Await.until(() -> !hasReaction(dm, ts, "eyes"), WAIT, "the reaction taken away after the turn");
    Await.until(() -> peer.proxy().calls("reactions.remove").stream().anyMatch(c -> ts.equals(
        c.params().getString("timestamp")) && "eyes".equals(c.params().getString("name"))), WAIT, "reactions.remove");

    String again = peer.post("cy", dm, "REACT to this", null);
    peer.deliver(peer.callback(peer.messageEvent("cy", dm, "REACT to this", again, null)), 0);
    Await.until(() -> hasReaction(dm, again, "thumbsup"), WAIT, "the model's 👍 as thumbsup");
  }

  private static boolean hasReaction(String channel, String ts, String name) {
    return peer.reactions(channel, ts).stream().anyMatch(r -> name.equals(((JsonObject) r).getString("name")));
  }

  @Test
  void buttonsAreBlockKitAndAClickIsAcknowledgedAtOnceAndComesBackAsATurn() {
    String dm = peer.dmChannel("ada");
    String ts = peer.post("ada", dm, "BUTTONS please", null);
    peer.deliver(peer.callback(peer.messageEvent("ada", dm, "BUTTONS please", ts, null)), 0);
    Posted withButtons = awaitBot(dm, 1).get(0);
    assertThat(withButtons.text()).isEqualTo("Deploy now?");
    assertThat(withButtons.blocks()).as("the words and their buttons in one message").hasSize(2);
    assertThat(withButtons.blocks().getJsonObject(0).getJsonObject("text").getString("text")).isEqualTo("Deploy now?");
    JsonObject actions = withButtons.blocks().stream().map(b -> (JsonObject) b)
        .filter(b -> "actions".equals(b.getString("type"))).findFirst().orElseThrow();
    JsonArray elements = actions.getJsonArray("elements");
    assertThat(elements.getJsonObject(0).getString("action_id")).isEqualTo("deploy-yes");
    assertThat(elements.getJsonObject(1).getJsonObject("text").getString("text")).isEqualTo("No");

    long clicked = System.nanoTime();
    Pushed click = peer.click("ada", dm, withButtons.ts(), null, "deploy-yes", actions.getString("block_id"), "Yes");
    assertThat(click.status()).isEqualTo(200);
    assertThat((System.nanoTime() - clicked) / 1_000_000).as("acknowledged at once").isLessThan(3000);
    List<Posted> bot = awaitBot(dm, 2);
    assertThat(bot.get(1).text()).contains("clicked button \"Yes\" (deploy-yes)");
    assertThat(AppProbe.status(app, "slack:" + SlackPeer.TEAM + ":" + dm, "clicked button \"Yes\""))
        .isEqualTo("answered");
    String ada = peer.userId("ada");
    assertThat(peer.proxy().calls("users.info").stream().filter(c -> ada.equals(c.params().getString("user"))))
        .as("her name asked once, then remembered").hasSize(1);
  }

  @Test
  void aSlashCommandIsAnsweredEphemerallyWithTheChannelsAuthorityRules() {
    String channel = peer.channelId("commands");
    Pushed bob = peer.command("bob", channel, "model openai/gpt-4o");
    assertThat(bob.status()).isEqualTo(200);
    String bobId = peer.userId("bob");
    Await.until(() -> ephemeral(channel, bobId).size() == 1, WAIT, "bob's ephemeral answer");
    assertThat(ephemeral(channel, bobId).get(0)).contains("Only this bot's operators can change that here.");

    assertThat(peer.command("ops", channel, "model default").status()).isEqualTo(200);
    String opsId = peer.userId("ops");
    Await.until(() -> ephemeral(channel, opsId).size() == 1, WAIT, "the operator's ephemeral answer");
    assertThat(ephemeral(channel, opsId).get(0)).contains("Model pin removed");

    assertThat(peer.command("bob", channel, "").status()).isEqualTo(200);
    Await.until(() -> ephemeral(channel, bobId).size() == 2, WAIT, "/spacebot alone is help");
    assertThat(ephemeral(channel, bobId).get(1)).contains("/whoami");
    assertThat(peer.botMessages(channel)).as("nothing in the channel for everyone").isEmpty();
  }

  private static List<String> ephemeral(String channel, String user) {
    return peer.proxy().calls("chat.postEphemeral").stream()
        .filter(c -> channel.equals(c.params().getString("channel")) && user.equals(c.params().getString("user"))
            && c.status() == 200 && c.error() == null)
        .map(c -> c.params().getString("text")).toList();
  }

  @Test
  void aBurstOfFiftyPostsIsPacedUnderSlacksLimit() {
    String dm = peer.dmChannel("eve");
    // Slack's own limit, about as the pacing allows it (10 a second after a burst of 5), well under the rate the
    // fifty parts would go out at unpaced (one after another, each as soon as the last is answered).
    peer.proxy().limit("chat.postMessage", 20, 1000);
    try {
      String ts = peer.post("eve", dm, "BURST please", null);
      peer.deliver(peer.callback(peer.messageEvent("eve", dm, "BURST please", ts, null)), 0);
      Await.until(() -> peer.botMessages(dm).size() >= 50, Duration.ofSeconds(60), "fifty parts");
      AppProbe.quiet(model, WAIT);
      List<Posted> bot = peer.botMessages(dm);
      assertThat(bot).hasSize(50);
      for (int i = 0; i < 50; i++) {
        assertThat(bot.get(i).text()).startsWith("Paragraph " + i + ":");
      }
      List<SlackProxy.Call> posts = peer.proxy().calls("chat.postMessage").stream()
          .filter(c -> dm.equals(c.params().getString("channel"))).toList();
      assertThat(posts).as("no post drew a 429").allMatch(c -> c.status() == 200);
      assertThat(posts).hasSize(50);
    } finally {
      peer.proxy().clear();
    }
  }

  @Test
  void aWorkspaceFileGoesOutWithFilesUploadV2() throws Exception {
    Files.writeString(app.dataDir.resolve("agents/main/workspace/report.txt"), "all good");
    String dm = peer.dmChannel("ops");
    String ts = peer.post("ops", dm, "FILE please", null);
    peer.deliver(peer.callback(peer.messageEvent("ops", dm, "FILE please", ts, null)), 0);
    Await.until(() -> peer.proxy().calls("files.completeUploadExternal").stream().anyMatch(c -> c.status() == 200
        && c.error() == null), WAIT, "the upload completed");
    JsonArray files = peer.emulator().ok("files.list", SlackPeer.BOT_TOKEN, new JsonObject().put("channel", dm))
        .getJsonArray("files");
    assertThat(files.stream().map(f -> ((JsonObject) f).getString("name"))).contains("report.txt");
    awaitBot(dm, 1);
    assertThat(peer.botMessages(dm).stream().map(Posted::text)).contains("here it is");
  }

  @Test
  void editsAndDeletesUpdateTheTranscriptWithoutASecondTurn() {
    String dm = peer.dmChannel("bob");
    String conversation = "slack:" + SlackPeer.TEAM + ":" + dm;
    String ts = peer.post("bob", dm, "first words", null);
    peer.deliver(peer.callback(peer.messageEvent("bob", dm, "first words", ts, null)), 0);
    awaitBot(dm, 1);
    AppProbe.quiet(model, WAIT);
    int before = model.requestCount();
    JsonObject changed = new JsonObject().put("type", "message").put("subtype", "message_changed").put("channel", dm)
        .put("channel_type", "im").put("ts", ts + "1").put("event_ts", ts + "1")
        .put("message", new JsonObject().put("type", "message").put("user", peer.userId("bob"))
            .put("text", "second thoughts").put("ts", ts).put("edited", new JsonObject().put("ts", ts + "1")));
    assertThat(peer.deliver(peer.callback(changed), 0).status()).isEqualTo(200);
    Await.until(() -> AppProbe.status(app, conversation, "second thoughts") != null, WAIT, "the edit in the transcript");
    JsonObject deleted = new JsonObject().put("type", "message").put("subtype", "message_deleted").put("channel", dm)
        .put("channel_type", "im").put("ts", ts + "2").put("event_ts", ts + "2").put("deleted_ts", ts)
        .put("previous_message", new JsonObject().put("type", "message").put("user", peer.userId("bob"))
            .put("text", "second thoughts").put("ts", ts));
    assertThat(peer.deliver(peer.callback(deleted), 0).status()).isEqualTo(200);
    Await.until(() -> AppProbe.status(app, conversation, "second thoughts") == null, WAIT, "the message out of history");
    AppProbe.quiet(model, WAIT);
    assertThat(model.requestCount()).isEqualTo(before);
    assertThat(peer.botMessages(dm)).hasSize(1);
  }

  @Test
  void aConversationNoMessageCameFromCanBeWrittenToChannelAndThread() {
    String channel = peer.channelId("private-ops");
    String parent = peer.post("ops", channel, "a thread nobody told the bot about", null);
    JsonObject receipt = deliver("slack:" + SlackPeer.TEAM + ":" + channel, "**hello** from nowhere");
    assertThat(receipt.getJsonArray("platform_message_ids")).hasSize(1);
    JsonObject inThread = deliver("slack:" + SlackPeer.TEAM + ":" + channel + ":" + parent, "and in the thread");
    assertThat(inThread.getJsonArray("platform_message_ids")).hasSize(1);
    List<Posted> bot = awaitBot(channel, 2);
    assertThat(bot.get(0).text()).isEqualTo("*hello* from nowhere");
    assertThat(bot.get(0).threadTs()).isNull();
    assertThat(bot.get(1).threadTs()).isEqualTo(parent);
    JsonObject adapters = app.http.get("/api/adapters").json();
    assertThat(adapters.getJsonArray("adapters").stream().map(a -> (JsonObject) a)
        .filter(a -> "slack".equals(a.getString("name"))).findFirst().orElseThrow().getString("state"))
        .isEqualTo("connected");
  }

  /** An outbox delivery straight to the adapter, as the outbox sends it. */
  private static JsonObject deliver(String conversation, String text) {
    OutboundMessage out = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE, "main", "slack",
        conversation, text, null, UUID.randomUUID().toString());
    return app.running().vertx().eventBus().<JsonObject>request(Addresses.outbound("slack"), out.toJson())
        .await().body();
  }

}
