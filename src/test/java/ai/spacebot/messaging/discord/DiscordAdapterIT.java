package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.testkit.AppProbe;
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
  /** Members with this role count as the bot's admins (the catch-all binding's authority_roles). */
  private static String opsRole;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(DiscordAdapterIT::answer);
    peer = DiscordPeer.start();
    guild = peer.createGuild("Spacebot Friends", "general", "gated", "quiet", "threads", "files");
    opsRole = peer.createRole(guild.id(), "ops");
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
            authority_roles: ["%s"]
        """.formatted(guild.id(), guild.channel("gated"), guild.id(), guild.channel("quiet"), opsRole);
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
    assertThat(peer.newViolations()).as("Prism: requests or answers outside Discord's spec\n%s",
        String.join("\n", peer.prismLog())).isEmpty();
    assertThat(peer.unhandled()).as("calls the peer does not know").isEmpty();
  }

  /** A second peer while the first runs has no Prism of its own (one per JVM, in front of the first). */
  private static DiscordPeer secondPeer() throws Exception {
    return DiscordPeer.startDirect();
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
      return ModelStep.toolCalls(new ModelStep.ToolCall("send_file", "{\"path\":\"report.txt\"}"),
          new ModelStep.ToolCall("reply", "{\"content\":\"here it is\"}"));
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

  @Test
  void aThreadKeepsItsOwnConversationAndTheReplyToolOpensAThread() {
    User cy = User.of("cy");
    String channel = guild.channel("threads");
    String thread = peer.createThread(channel, "Existing talk", cy);
    peer.say(thread, cy, "inside the thread", false);
    assertThat(awaitBotMessages(thread, 1).get(0).content()).contains("inside the thread");
    assertThat(status("discord:" + guild.id() + ":" + channel + ":" + thread, "inside the thread")).isNotNull();
    assertThat(peer.botMessages(channel)).isEmpty();

    String asked = peer.say(channel, cy, "THREAD please", false);
    // Discord gives a thread opened on a message that message's id.
    List<BotMessage> inThread = awaitBotMessages(asked, 1);
    assertThat(inThread.get(0).content()).isEqualTo("Let's talk here");
    assertThat(peer.botMessages(channel)).isEmpty();
    // The thread has the asking message's id; the reply is recorded under its own message id, not that one (which
    // the person's message holds: the delivered mark used to fail the turn on the unique index).
    Await.until(() -> "delivered".equals(status("discord:" + guild.id() + ":" + channel, "Let's talk here")), WAIT,
        "the threaded reply marked delivered");
  }

  @Test
  void buttonsAreComponentsAndAClickIsAcknowledgedAndComesBackAsAMessage() {
    User ka = User.of("ka");
    peer.dm(ka, "BUTTONS please");
    String dm = awaitDmChannel(ka);
    BotMessage question = awaitBotMessages(dm, 1).get(0);
    JsonArray rows = question.payload().getJsonArray("components");
    assertThat(rows.encode()).contains("deploy-yes").contains("\"label\":\"Yes\"");

    String click = peer.clickButton(question.id(), ka, rows.getJsonObject(0).getJsonArray("components")
        .getJsonObject(0).getString("custom_id"));
    Await.until(() -> peer.callbacks().stream().anyMatch(c -> c.interactionId().equals(click)), WAIT,
        "the click acknowledged");
    assertThat(peer.callbacks().stream().filter(c -> c.interactionId().equals(click)).findFirst().orElseThrow()
        .type()).as("DEFERRED_UPDATE_MESSAGE").isEqualTo(6);
    List<BotMessage> replies = awaitBotMessages(dm, 2);
    assertThat(replies.get(1).content()).contains("[clicked button \"Yes\"").contains(question.id());
  }

  @Test
  void slashCommandsAreRegisteredAndAnsweredThroughTheInteraction() {
    Await.until(() -> peer.commands().size() == 7, WAIT, "the slash commands registered");
    assertThat(peer.commands().encode()).contains("\"help\"").contains("\"mention-only\"").contains("\"whoami\"");
    User lu = User.of("lu");
    int before = model.requestCount();
    String ix = peer.slashCommand(guild.channel("general"), lu, "whoami", Map.of());
    Await.until(() -> peer.botMessages(guild.channel("general")).stream()
        .anyMatch(m -> m.kind().equals("interaction")), WAIT, "the command answered");
    assertThat(peer.callbacks().stream().filter(c -> c.interactionId().equals(ix)).findFirst().orElseThrow().type())
        .as("DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(5);
    BotMessage answer = peer.botMessages(guild.channel("general")).stream()
        .filter(m -> m.kind().equals("interaction")).findFirst().orElseThrow();
    assertThat(answer.content()).contains(lu.id()).contains("discord:" + guild.id() + ":" + guild.channel("general"));
    assertThat(model.requestCount()).as("commands are answered without a model call").isEqualTo(before);
  }

  @Test
  void aCardIsAnEmbedAndAPollIsADiscordPoll() {
    User mo = User.of("mo");
    peer.dm(mo, "CARD please");
    String dm = awaitDmChannel(mo);
    JsonObject embed = awaitBotMessages(dm, 1).stream().filter(m -> !m.payload().getJsonArray("embeds",
        new JsonArray()).isEmpty()).findFirst().orElseThrow().payload().getJsonArray("embeds").getJsonObject(0);
    assertThat(embed.getString("title")).isEqualTo("Build 42");
    assertThat(embed.getString("url")).isEqualTo("https://example.org/b/42");
    assertThat(embed.getInteger("color")).isEqualTo(0x22aa55);
    assertThat(embed.getJsonArray("fields").encode()).contains("tests").contains("512");

    peer.dm(mo, "POLL please");
    Await.until(() -> peer.botMessages(dm).stream().anyMatch(m -> m.payload().getJsonObject("poll") != null), WAIT,
        "a poll");
    JsonObject poll = peer.botMessages(dm).stream().filter(m -> m.payload().getJsonObject("poll") != null)
        .findFirst().orElseThrow().payload().getJsonObject("poll");
    assertThat(poll.getJsonObject("question").getString("text")).isEqualTo("Lunch?");
    assertThat(poll.getJsonArray("answers").encode()).contains("Pizza").contains("Salad");
  }

  @Test
  void aReactionLandsOnTheTriggeringMessage() {
    User ny = User.of("ny");
    String channel = guild.channel("general");
    String id = peer.say(channel, ny, "REACT to this", false);
    Await.until(() -> peer.reactions().stream().anyMatch(r -> r.messageId().equals(id)), WAIT, "a reaction");
    assertThat(peer.reactions().stream().filter(r -> r.messageId().equals(id)).findFirst().orElseThrow().emoji())
        .isEqualTo("👍");
  }

  @Test
  void anAttachmentIsSavedAndShownAndAWorkspaceFileGoesOut() throws Exception {
    User ob = User.of("ob");
    String channel = guild.channel("files");
    byte[] notes = "the launch is on friday".getBytes(StandardCharsets.UTF_8);
    peer.say(channel, ob, "read this", false, null, new DiscordPeer.Attachment("notes.txt", "text/plain", notes));
    awaitBotMessages(channel, 1);
    Path saved = app.dataDir.resolve("agents/main/workspace/attachments/discord");
    try (var files = Files.walk(saved)) {
      Path file = files.filter(f -> f.getFileName().toString().endsWith("notes.txt")).findFirst().orElseThrow();
      assertThat(Files.readAllBytes(file)).isEqualTo(notes);
    }
    String seen = model.requests().stream().map(RecordedRequest::lastUserText)
        .filter(t -> t != null && t.contains("read this")).findFirst().orElseThrow();
    assertThat(seen).contains("notes.txt").contains("the launch is on friday");

    Files.writeString(app.dataDir.resolve("agents/main/workspace/report.txt"), "all good");
    // Workspace files go out for the bot's admins only (permissions: everyone has no send_file); ob is not one.
    int before = peer.botMessages(channel).size();
    peer.say(channel, ob, "FILE please", false);
    Await.until(() -> peer.botMessages(channel).size() > before, WAIT, "the answer to a stranger");
    assertThat(peer.botMessages(channel)).allMatch(m -> m.files().isEmpty());
    RecordedRequest strangers = model.requests().stream().filter(r -> "FILE please".equals(userText(r)))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(strangers.toolNames()).doesNotContain("send_file", "spawn_worker");

    // Kay holds the ops role, which the binding's authority_roles names: an admin, so the file goes out.
    User kay = User.of("kay");
    peer.say(channel, kay, List.of(opsRole), "FILE please, kay here", false, null, null);
    Await.until(() -> peer.botMessages(channel).stream().anyMatch(m -> !m.files().isEmpty()), WAIT, "a file");
    assertThat(peer.botMessages(channel).stream().filter(m -> !m.files().isEmpty()).findFirst().orElseThrow()
        .files()).containsExactly("report.txt:8");
    RecordedRequest admins = model.requests().stream().filter(r -> "FILE please, kay here".equals(userText(r)))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(admins.toolNames()).contains("send_file", "spawn_worker");
  }

  /** The last user message's text without its "[name] " prefix. */
  private static String userText(RecordedRequest r) {
    String text = r.lastUserText();
    return text == null ? null : text.replaceAll("^\\[[^\\]]*\\] ", "");
  }

  @Test
  void editsAndDeletesUpdateTheTranscriptWithoutASecondTurn() {
    User pi = User.of("pi");
    String channel = guild.channel("general");
    String conversation = "discord:" + guild.id() + ":" + channel;
    String id = peer.say(channel, pi, "first words", false);
    Await.until(() -> peer.botMessages(channel).stream().anyMatch(m -> m.content().contains("first words")), WAIT,
        "the answer");
    quiet();
    int before = model.requestCount();
    int posted = peer.botMessages(channel).size();
    peer.edit(id, "second thoughts");
    Await.until(() -> status(conversation, "second thoughts") != null, WAIT, "the edit in the transcript");
    peer.delete(id);
    Await.until(() -> status(conversation, "second thoughts") == null, WAIT, "the deleted message out of history");
    quiet();
    assertThat(model.requestCount()).isEqualTo(before);
    assertThat(peer.botMessages(channel)).hasSize(posted);
  }

  @Test
  void aMessageWhoseAnswerWasLostIsNotPostedTwiceOnTheRetry() {
    User ra = User.of("ra");
    String channel = guild.channel("general");
    peer.failNext("messages", 1, DiscordFault.lostAnswer());
    peer.say(channel, ra, "answer lost once", false);
    Await.until(() -> "delivered".equals(status("discord:" + guild.id() + ":" + channel, "echo**: answer lost once")),
        WAIT, "the reply marked delivered after the retry");
    assertThat(peer.botMessages(channel).stream().filter(m -> m.content().contains("answer lost once")))
        .as("one message on Discord, though the first attempt's answer was lost").hasSize(1);
    assertThat(peer.botMessages(channel).stream().filter(m -> m.content().contains("answer lost once"))
        .map(m -> m.payload().getBoolean("enforce_nonce"))).containsExactly(true);
  }

  @Test
  void missingPermissionsFailAtOnceAreListedAndCanBeRetried() {
    User qu = User.of("qu");
    String channel = guild.channel("general");
    String conversation = "discord:" + guild.id() + ":" + channel;
    peer.failNext("messages", 1, DiscordFault.missingPermissions());
    peer.say(channel, qu, "you may not answer", false);
    Await.until(() -> failedDelivery(conversation) != null, WAIT, "a failed delivery listed");
    JsonObject failed = failedDelivery(conversation);
    assertThat(failed.getInteger("attempts")).isEqualTo(1);
    assertThat(failed.encode()).contains("Missing Permissions");
    assertThat(app.http.post("/api/deliveries/" + failed.getString("id") + "/retry", "").status()).isEqualTo(200);
    Await.until(() -> peer.botMessages(channel).stream().anyMatch(m -> m.content().contains("you may not answer")),
        WAIT, "delivered after the retry");
  }

  @Test
  void aDroppedGatewayIsResumedCountedAndMissedMessagesArrive() {
    User ro = User.of("ro");
    int identifies = peer.identifies();
    int resumes = peer.resumes();
    peer.dropConnection();
    // sent while the bot is away: the resume replays it
    peer.dm(ro, "while you were away");
    String dm = awaitDmChannel(ro);
    assertThat(awaitBotMessages(dm, 1).get(0).content()).contains("while you were away");
    assertThat(peer.resumes()).isGreaterThan(resumes);
    assertThat(peer.identifies()).as("resumed, not identified again").isEqualTo(identifies);
    Await.until(() -> adapter(app).getInteger("reconnects") >= 1 && "connected".equals(adapter(app)
        .getString("state")), WAIT, "the reconnect counted");
    assertThat(app.http.get("/metrics").body()).contains("spacebot_adapter_reconnects_total{adapter=\"discord\"");
  }

  @Test
  void aRefusedIntentIsReportedWithWhatToSwitchOn() throws Exception {
    try (DiscordPeer strict = secondPeer()) {
      strict.refuseMessageContent(true);
      Map<String, String> env = new HashMap<>(TestApp.envFor(model));
      env.put("DISCORD_BOT_TOKEN", strict.token());
      env.put("DISCORD_REST_URL", strict.restUrl());
      env.put("DISCORD_GATEWAY_URL", strict.gatewayUrl());
      try (TestApp refused = TestApp.start(env, Files.createTempDirectory("spacebot-discord-intents"), "", null)) {
        JsonObject status = awaitAdapter(refused, "failed");
        assertThat(status.getString("last_error")).contains("4014").contains("MESSAGE CONTENT INTENT");
        int identifies = strict.identifies();
        assertThat(identifies).isEqualTo(1);
      }
    }
  }

  @Test
  void twoShardsEachTakeTheirGuilds() throws Exception {
    try (DiscordPeer sharded = secondPeer()) {
      sharded.recommendShards(2);
      Guild onShard1 = null;
      while (onShard1 == null) {
        Guild g = sharded.createGuild("Sharded", "chat");
        if ((Long.parseLong(g.id()) >> 22) % 2 == 1) {
          onShard1 = g;
        }
      }
      Map<String, String> env = new HashMap<>(TestApp.envFor(model));
      env.put("DISCORD_BOT_TOKEN", sharded.token());
      env.put("DISCORD_REST_URL", sharded.restUrl());
      env.put("DISCORD_GATEWAY_URL", sharded.gatewayUrl());
      String yaml = "messaging:\n  discord:\n    shards: 2\n    register_commands: false\nbindings:\n"
          + "  - platform: discord\n    guild_id: \"*\"\n    agent_id: main\n    response_mode: active\n";
      try (TestApp app2 = TestApp.start(env, Files.createTempDirectory("spacebot-discord-shards"), yaml, null)) {
        awaitAdapter(app2, "connected");
        assertThat(sharded.shards()).containsExactly(0, 1);
        String channel = onShard1.channel("chat");
        sharded.say(channel, User.of("sh"), "hello shard one", false);
        Await.until(() -> sharded.botMessages(channel).size() == 1, WAIT, "an answer from shard 1's guild");
        assertThat(sharded.botMessages(channel).get(0).content()).contains("hello shard one");
        User dmUser = User.of("dm");
        sharded.dm(dmUser, "hello in a dm");
        Await.until(() -> sharded.dmChannelId(dmUser.id()) != null
            && sharded.botMessages(sharded.dmChannelId(dmUser.id())).size() == 1, WAIT, "a DM answered (shard 0)");
      }
    }
  }

  @Test
  void withoutATokenTheAdaptersAreDisabledAndSayWhatEnablesThem() throws Exception {
    try (TestApp plain = TestApp.start(TestApp.envFor(model), Files.createTempDirectory("spacebot-no-platforms"), "",
        null)) {
      JsonObject discord = awaitAdapter(plain, "disabled");
      assertThat(discord.getString("last_error")).contains("DISCORD_BOT_TOKEN");
      assertThat(discord.getInteger("reconnects")).isZero();
      assertThat(AppProbe.awaitAdapter(plain.http, "telegram", "disabled", WAIT).getString("last_error"))
          .contains("TELEGRAM_BOT_TOKEN");
      assertThat(AppProbe.adapter(plain.http, "portal").getString("state")).isEqualTo("connected");
    }
  }

  @Test
  void aRefusedTokenFailsTheAdapterClearlyAndTheWebChatStillAnswers() throws Exception {
    try (TestApp refused = TestApp.start(env("MTIzNDU2.wrong.token"), Files.createTempDirectory("spacebot-discord-token"),
        "", null)) {
      JsonObject status = awaitAdapter(refused, "failed");
      assertThat(status.getString("last_error")).contains("DISCORD_BOT_TOKEN").contains("401");
      String session = "web-" + java.util.UUID.randomUUID();
      assertThat(refused.http.send("main", session, "Web", "are you there").status()).isEqualTo(200);
      Await.until(() -> refused.http.get("/api/portal/history?agent_id=main&session_id=" + session).json()
          .getJsonArray("messages").size() == 2, WAIT, "the web chat answered");
    }
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
    AppProbe.quiet(model, WAIT);
  }

  private static JsonObject adapter(TestApp on) {
    return AppProbe.adapter(on.http, "discord");
  }

  private static JsonObject awaitAdapter(TestApp on, String state) {
    return AppProbe.awaitAdapter(on.http, "discord", state, Duration.ofSeconds(60));
  }

  private static JsonObject failedDelivery(String conversation) {
    return AppProbe.failedDelivery(app.http, conversation);
  }

  private static String status(String conversation, String text) {
    return AppProbe.status(app, conversation, text);
  }
}
