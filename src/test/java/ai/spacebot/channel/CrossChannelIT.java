package ai.spacebot.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addresses;
import ai.spacebot.testkit.AppProbe;
import ai.spacebot.testkit.Await;
import ai.spacebot.testkit.DiscordPeer;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.TelegramPeer;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code send_message_to_another_channel} end to end: the real app with Telegram and Discord adapters against their
 * peers, the web chat as the operator. The scripted model turns "SEND target|message" into the tool call and answers
 * a tool result with "RESULT: " and the result, so what the tool said is read back from the web chat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossChannelIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long OPS_CHAT = -1003001L;
  private static final long OTHER_AGENTS_CHAT = -1003002L;
  private static final Pattern SEND = Pattern.compile("SEND (.*)\\|(.*)");

  private ScriptedModelServer model;
  private TelegramPeer telegram;
  private DiscordPeer discord;
  private DiscordPeer.Guild guild;
  private TestApp app;

  @BeforeAll
  void start() throws Exception {
    model = ScriptedModelServer.start();
    model.respondWith(CrossChannelIT::script);
    telegram = TelegramPeer.start();
    discord = DiscordPeer.start();
    guild = discord.createGuild("Acme", "ops", "random");
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.putAll(Map.of("TELEGRAM_BOT_TOKEN", telegram.token(), "TELEGRAM_API_URL", telegram.apiUrl(),
        "DISCORD_BOT_TOKEN", discord.token(), "DISCORD_REST_URL", discord.restUrl(),
        "DISCORD_GATEWAY_URL", discord.gatewayUrl()));
    String yaml = """
        delivery:
          max_attempts: 2
          initial_backoff_ms: 200
          max_backoff_ms: 500
        messaging:
          telegram:
            poll_timeout_seconds: 2
          discord:
            register_commands: false
        agents:
          - id: main
            name: Spacebot
          - id: other
            name: Other
        bindings:
          - platform: telegram
            chat_id: "%d"
            agent_id: main
            response_mode: active
            require_mention: false
          - platform: telegram
            chat_id: "%d"
            agent_id: other
            response_mode: active
            require_mention: false
          - platform: discord
            guild_id: "%s"
            channel_id: "%s"
            agent_id: main
            response_mode: active
            require_mention: false
        """.formatted(OPS_CHAT, OTHER_AGENTS_CHAT, guild.id(), guild.channel("ops"));
    app = TestApp.start(env, Files.createTempDirectory("spacebot-crosschannel"), yaml, null);
    AppProbe.awaitAdapter(app.http, "telegram", "connected", WAIT);
    AppProbe.awaitAdapter(app.http, "discord", "connected", WAIT);
    // People talk in both chats first, so the agent knows them (with their names) before anything is sent there.
    telegram.sendUserMessage(TelegramPeer.UserMessage.supergroup(OPS_CHAT, "Ops Team",
        new TelegramPeer.User(501, "Grace", null), "morning all"));
    discord.say(guild.channel("ops"), new DiscordPeer.User("601", "Linus"), "hi bot", false);
    // Delivered means the platform answered: on a loaded machine a slow first answer can make an adapter send twice,
    // so what the bot posts later is counted from here.
    Await.until(() -> delivered("telegram:" + OPS_CHAT, "ok") && delivered(opsChannel(), "ok"), WAIT,
        "the bot's answers in both chats were delivered");
    telegramBefore = telegram.botMessages(OPS_CHAT).size();
    discordBefore = discord.botMessages(guild.channel("ops")).size();
  }

  private int telegramBefore;
  private int discordBefore;

  private boolean delivered(String conversation, String text) {
    return transcript(conversation).stream().map(JsonObject.class::cast)
        .anyMatch(m -> text.equals(m.getString("text")) && "delivered".equals(m.getString("status")));
  }

  /** What the bot posted in the Telegram ops chat after the warm-up. */
  private List<String> telegramPosts() {
    List<String> all = telegram.botMessages(OPS_CHAT).stream().map(TelegramPeer.BotMessage::text).toList();
    return all.subList(telegramBefore, all.size());
  }

  private List<String> discordPosts() {
    List<String> all = discord.botMessages(guild.channel("ops")).stream().map(DiscordPeer.BotMessage::content).toList();
    return all.subList(discordBefore, all.size());
  }

  @AfterAll
  void stop() {
    List<String> violations = discord == null ? List.of() : discord.violations();
    for (AutoCloseable c : new AutoCloseable[] {app, discord, telegram, model}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the others still close
      }
    }
    assertThat(violations).as("what Prism flagged in the bot's Discord calls").isEmpty();
  }

  /** "SEND target|message" from a person calls the tool; a tool result is answered with "RESULT: " and it. */
  private static ModelStep script(RecordedRequest r) {
    JsonArray messages = r.messages();
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    if ("tool".equals(last.getString("role"))) {
      return ModelStep.toolCall("reply", new JsonObject().put("content", "RESULT: " + last.getString("content")).encode());
    }
    String said = r.lastUserText() == null ? "" : r.lastUserText();
    Matcher send = SEND.matcher(said);
    if (send.find()) {
      return ModelStep.toolCall("send_message_to_another_channel",
          new JsonObject().put("target", send.group(1)).put("message", send.group(2)).encode());
    }
    return ModelStep.toolCall("reply", new JsonObject().put("content", "ok").encode());
  }

  /** The operator says {@code text} in a new web-chat session; returns the agent's answer. */
  private String operatorSays(String session, String text) {
    assertThat(app.http.send("main", session, "Ada", text).status()).isEqualTo(200);
    String[] answer = new String[1];
    Await.until(() -> {
      answer[0] = portalReplies(session).stream().filter(t -> t.startsWith("RESULT: ") || t.equals("ok"))
          .findFirst().orElse(null);
      return answer[0] != null;
    }, WAIT, "the agent answered in web chat " + session);
    return answer[0];
  }

  private List<String> portalReplies(String session) {
    JsonArray messages = app.http.get("/api/portal/history?agent_id=main&session_id=" + session + "&limit=100").json()
        .getJsonArray("messages");
    return messages.stream().map(JsonObject.class::cast)
        .filter(m -> "outbound".equals(m.getString("direction")) && "delivered".equals(m.getString("status")))
        .map(m -> m.getString("text")).toList();
  }

  private JsonArray transcript(String conversation) {
    return app.running().vertx().eventBus().<JsonObject>request(Addresses.HISTORY,
        new JsonObject().put("conversation_id", conversation).put("limit", 200)).await().body().getJsonArray("messages");
  }

  private static String session() {
    return "x-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String opsChannel() {
    return "discord:" + guild.id() + ":" + guild.channel("ops");
  }

  @Test
  @Order(1)
  void aWebChatTurnPostsInTelegramAndDiscordThroughTheirOutboxes() {
    String session = session();
    assertThat(operatorSays(session, "SEND telegram:" + OPS_CHAT + "|Deploy finished"))
        .isEqualTo("RESULT: Sent to telegram:" + OPS_CHAT + " (Ops Team).");
    assertThat(telegramPosts()).containsExactly("Deploy finished");

    String second = session();
    // The tool waits a while for the platform's confirmation; on a loaded machine the outbox may still be retrying.
    assertThat(operatorSays(second, "SEND " + opsChannel() + "|Standup in 5")).isIn(
        "RESULT: Sent to " + opsChannel() + " (#ops (Acme)).", "RESULT: Queued for " + opsChannel()
            + " (#ops (Acme)); the platform has not confirmed it yet and the outbox keeps retrying.");
    Await.until(() -> discordPosts().contains("Standup in 5"), WAIT, "Standup in 5 reached Discord");
    assertThat(discordPosts()).containsExactly("Standup in 5");

    // Each went through its adapter's outbox: a delivered row with the platform's message id.
    for (String platform : List.of("telegram", "discord")) {
      JsonArray rows = app.http.get("/api/deliveries?platform=" + platform + "&limit=100").json().getJsonArray("deliveries");
      JsonObject row = rows.stream().map(JsonObject.class::cast)
          .filter(d -> List.of("Deploy finished", "Standup in 5").contains(d.getString("text"))).findFirst().orElseThrow();
      assertThat(row.getString("status")).isEqualTo("delivered");
      assertThat(row.getString("conversation_id"))
          .isEqualTo(platform.equals("telegram") ? "telegram:" + OPS_CHAT : opsChannel());
      assertThat(row.getJsonArray("platform_message_ids")).hasSize(1);
    }

    // Both transcripts hold it: the target's as the agent's own message, the source's as a line saying so.
    JsonObject inTarget = transcript("telegram:" + OPS_CHAT).stream().map(JsonObject.class::cast)
        .filter(m -> "Deploy finished".equals(m.getString("text"))).findFirst().orElseThrow();
    assertThat(inTarget.getString("direction")).isEqualTo("outbound");
    assertThat(inTarget.getString("status")).isEqualTo("delivered");
    assertThat(transcript("portal:chat:main:" + session).stream().map(JsonObject.class::cast)
        .filter(m -> "system".equals(m.getString("direction"))).map(m -> m.getString("text")).toList())
        .containsExactly("[You sent to telegram:" + OPS_CHAT + " (Ops Team)]: Deploy finished");

    // The agent in the Telegram chat knows it said it: its next turn there has it as its own words.
    telegram.sendUserMessage(TelegramPeer.UserMessage.supergroup(OPS_CHAT, "Ops Team",
        new TelegramPeer.User(501, "Grace", null), "what was that about?"));
    Await.until(() -> telegramPosts().size() == 2, WAIT, "the bot answered Grace again");
    RecordedRequest turn = model.requests().stream()
        .filter(r -> r.lastUserText() != null && r.lastUserText().contains("what was that about?")).findFirst().orElseThrow();
    assertThat(turn.messagesWithRole("assistant").stream().map(m -> m.getString("content")).toList())
        .contains("Deploy finished");
    // Grace is nobody's admin or trusted member: her turn has neither the tool nor the channels list.
    assertThat(turn.toolNames()).contains("reply").doesNotContain("send_message_to_another_channel");
    assertThat(turn.messagesWithRole("system").get(0).getString("content")).doesNotContain("# Your other channels");
  }

  @Test
  @Order(2)
  void aChannelIsNamedByItsNameAndAWebChatByItsSession() {
    assertThat(operatorSays(session(), "SEND #ops|By name")).isIn("RESULT: Sent to " + opsChannel() + " (#ops (Acme)).",
        "RESULT: Queued for " + opsChannel() + " (#ops (Acme)); the platform has not confirmed it yet and the outbox "
            + "keeps retrying.");
    Await.until(() -> discordPosts().contains("By name"), WAIT, "By name reached Discord");
    assertThat(operatorSays(session(), "SEND ops team|Also by name"))
        .isEqualTo("RESULT: Sent to telegram:" + OPS_CHAT + " (Ops Team).");
    assertThat(telegramPosts()).endsWith("Also by name");

    String listener = session();
    assertThat(operatorSays(listener, "hello")).isEqualTo("ok");
    assertThat(operatorSays(session(), "SEND portal:" + listener + "|Over here"))
        .isEqualTo("RESULT: Sent to portal:chat:main:" + listener + " (Web chat with Ada).");
    assertThat(portalReplies(listener)).containsExactly("ok", "Over here");
  }

  @Test
  @Order(3)
  void aChannelTheBindingsDoNotGiveThisAgentIsRefusedAndNothingIsSent() {
    int deliveries = app.http.get("/api/deliveries?limit=1000").json().getJsonArray("deliveries").size();
    assertThat(operatorSays(session(), "SEND telegram:" + OTHER_AGENTS_CHAT + "|Psst")).isEqualTo("RESULT: Refused: "
        + "telegram:" + OTHER_AGENTS_CHAT + " is not one of your channels (the binding that covers it routes it to "
        + "another agent). Nothing was sent; tell the people here if they asked for it.");
    assertThat(operatorSays(session(), "SEND telegram:-1003999|Psst")).isEqualTo("RESULT: Refused: telegram:-1003999 "
        + "is not one of your channels (no binding of yours covers it and you have never talked there). Nothing was "
        + "sent; tell the people here if they asked for it.");
    assertThat(operatorSays(session(), "SEND discord:" + guild.id() + ":" + guild.channel("random") + "|Psst"))
        .startsWith("RESULT: Refused: discord:" + guild.id() + ":" + guild.channel("random") + " is not one of your");
    assertThat(operatorSays(session(), "SEND portal:chat:other:abc|Psst")).isEqualTo("RESULT: Refused: "
        + "portal:chat:other:abc is not one of your channels (it is another agent's web chat). Nothing was sent; tell "
        + "the people here if they asked for it.");
    assertThat(telegram.botMessages(OTHER_AGENTS_CHAT)).isEmpty();
    assertThat(telegram.botMessages(-1003999L)).isEmpty();
    assertThat(discord.botMessages(guild.channel("random"))).isEmpty();
    // Only the four web-chat answers were queued; no row for any refused target.
    JsonArray after = app.http.get("/api/deliveries?limit=1000").json().getJsonArray("deliveries");
    assertThat(after.size()).isEqualTo(deliveries + 4);
    assertThat(after.stream().map(JsonObject.class::cast).map(d -> d.getString("text"))).doesNotContain("Psst");
  }

  @Test
  @Order(4)
  void aMalformedOrUnknownTargetIsAClearToolError() {
    assertThat(operatorSays(session(), "SEND discord:123|x")).isEqualTo("RESULT: Error: a Discord target is "
        + "discord:{guild}:{channel}, discord:{guild}:{channel}:{thread} or discord:dm:{user}; \"discord:123\" has 2 "
        + "parts. Nothing was sent.");
    assertThat(operatorSays(session(), "SEND telegram:@ops|x")).isEqualTo("RESULT: Error: the Telegram chat id "
        + "\"@ops\" is not valid; it is a number (groups and channels are negative, e.g. -1001234567890). Nothing was "
        + "sent.");
    assertThat(operatorSays(session(), "SEND nowhere|x")).startsWith("RESULT: Error: \"nowhere\" names no adapter; "
        + "write it as adapter:target, one of discord:{guild}:{channel}[:{thread}]").contains(
            "no channel of yours is called \"nowhere\"");
  }

  @Test
  @Order(5)
  void channelsListsEveryConversationWithPlatformNameAndLastActivity() {
    JsonArray all = app.http.get("/api/channels").json().getJsonArray("channels");
    JsonObject ops = find(all, "telegram:" + OPS_CHAT);
    assertThat(ops.getString("platform")).isEqualTo("telegram");
    assertThat(ops.getString("display_name")).isEqualTo("Ops Team");
    assertThat(ops.getString("agent_id")).isEqualTo("main");
    assertThat(ops.getLong("last_activity_at")).isGreaterThan(ops.getLong("created_at") - 1);
    JsonObject discordOps = find(all, opsChannel());
    assertThat(discordOps.getString("platform")).isEqualTo("discord");
    assertThat(discordOps.getString("display_name")).isEqualTo("#ops (Acme)");
    JsonObject web = all.stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("channel_id").startsWith("portal:chat:main:")).findFirst().orElseThrow();
    assertThat(web.getString("platform")).isEqualTo("portal");
    assertThat(web.getString("display_name")).isEqualTo("Web chat with Ada");
    // Most recently active first.
    List<Long> activity = all.stream().map(JsonObject.class::cast).map(c -> c.getLong("last_activity_at")).toList();
    assertThat(activity).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    JsonArray others = app.http.get("/api/channels?agent_id=other").json().getJsonArray("channels");
    assertThat(others.stream().map(JsonObject.class::cast)).allMatch(c -> "other".equals(c.getString("agent_id")));
    assertThat(all.stream().map(JsonObject.class::cast).map(c -> c.getString("agent_id")).distinct()).containsOnly("main");
    assertThat(app.http.get("/api/channels?agent_id=nobody").status()).isEqualTo(400);
  }

  @Test
  @Order(6)
  void theChannelPromptListsTheTwentyMostRecentlyActiveChannels() {
    for (int i = 0; i < 20; i++) {
      assertThat(operatorSays(session(), "hello " + i)).isEqualTo("ok");
    }
    String session = session();
    operatorSays(session, "one more");
    RecordedRequest turn = model.requests().stream()
        .filter(r -> r.lastUserText() != null && r.lastUserText().contains("one more")).findFirst().orElseThrow();
    assertThat(turn.toolNames()).contains("send_message_to_another_channel");
    String prompt = turn.messagesWithRole("system").get(0).getString("content");
    String section = prompt.substring(prompt.indexOf("# Your other channels"), prompt.indexOf("# Status"));
    List<String> listed = section.lines().filter(l -> l.startsWith("- ")).toList();
    long known = app.http.get("/api/channels?agent_id=main").json().getJsonArray("channels").size() - 1;
    assertThat(known).isGreaterThan(20);
    assertThat(listed).hasSize(21);
    assertThat(listed.get(20)).isEqualTo("- and " + (known - 20) + " more, less recently active (name them by id)");
    assertThat(listed.get(0)).matches("- portal:chat:main:x-[0-9a-f]{8} \"Web chat with Ada\" \\(portal, last active "
        + "just now\\)");
    assertThat(section).doesNotContain(session);
  }

  private static JsonObject find(JsonArray channels, String id) {
    return channels.stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("channel_id"))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not in " + channels.encodePrettily()));
  }
}
