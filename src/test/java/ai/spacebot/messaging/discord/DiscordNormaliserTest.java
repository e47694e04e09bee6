package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.Bindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscordNormaliserTest {
  static final String SELF = "900";
  static final String GUILD = "100";
  static final String CHANNEL = "200";
  static final String THREAD = "250";
  static final String USER = "300";

  @TempDir Path dir;

  private DiscordNormaliser normaliser(String discordYaml, String bindingsYaml) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), "messaging:\n  discord:\n" + discordYaml + bindingsYaml);
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString(), "DISCORD_BOT_TOKEN", "t",
        "OPENAI_API_KEY", "k")).load(null);
    return new DiscordNormaliser(config.messaging().discord(), new Bindings(config));
  }

  private DiscordNormaliser plain() throws IOException {
    return normaliser("    shards: 1\n", "");
  }

  static IncomingMessage guild(String content, Set<String> mentions) {
    return new IncomingMessage("555", GUILD, CHANNEL, null, false, USER, "Ann", false, false, false, content, mentions,
        null, null, 1000L, List.of());
  }

  static IncomingMessage thread(String content) {
    return new IncomingMessage("556", GUILD, CHANNEL, THREAD, false, USER, "Ann", false, false, false, content, Set.of(),
        null, null, 1000L, List.of());
  }

  static IncomingMessage dm(String content) {
    return new IncomingMessage("557", null, "777", null, true, USER, "Ann", false, false, false, content, Set.of(),
        null, null, 1000L, List.of());
  }

  static IncomingMessage from(String author, boolean bot, boolean webhook, boolean system) {
    return new IncomingMessage("558", GUILD, CHANNEL, null, false, author, "X", bot, webhook, system, "hi", Set.of(),
        null, null, 1000L, List.of());
  }

  static IncomingMessage replyTo(String referencedAuthor) {
    return new IncomingMessage("559", GUILD, CHANNEL, null, false, USER, "Ann", false, false, false, "sure", Set.of(),
        "400", referencedAuthor, 1000L, List.of());
  }

  @Test
  void conversationIdsNameGuildChannelThreadOrTheDmUser() {
    assertThat(DiscordNormaliser.conversationId(guild("hi", Set.of()))).isEqualTo("discord:100:200");
    assertThat(DiscordNormaliser.conversationId(thread("hi"))).isEqualTo("discord:100:200:250");
    assertThat(DiscordNormaliser.conversationId(dm("hi"))).isEqualTo("discord:dm:300");
  }

  @Test
  void itselfWebhooksAndSystemMessagesAreAlwaysIgnoredAndOtherBotsByDefault() throws IOException {
    DiscordNormaliser n = plain();
    assertThat(n.ignoreReason(from(SELF, true, false, false), SELF)).isEqualTo("own message");
    assertThat(n.ignoreReason(from("301", false, true, false), SELF)).isEqualTo("webhook message");
    assertThat(n.ignoreReason(from("301", false, false, true), SELF)).isEqualTo("system message");
    assertThat(n.ignoreReason(from("301", true, false, false), SELF)).contains("ignore_bots");
    assertThat(n.ignoreReason(from("301", false, false, false), SELF)).isNull();
    DiscordNormaliser botsWelcome = normaliser("    ignore_bots: false\n", "");
    assertThat(botsWelcome.ignoreReason(from("301", true, false, false), SELF)).isNull();
    assertThat(botsWelcome.ignoreReason(from(SELF, true, false, false), SELF)).isEqualTo("own message");
  }

  @Test
  void guildAndChannelFiltersLetAThreadInThroughItsParentChannel() throws IOException {
    DiscordNormaliser n = normaliser("    allowed_guilds: [\"100\"]\n    allowed_channels: [\"200\"]\n", "");
    assertThat(n.ignoreReason(guild("hi", Set.of()), SELF)).isNull();
    assertThat(n.ignoreReason(thread("hi"), SELF)).isNull();
    IncomingMessage otherChannel = new IncomingMessage("1", GUILD, "201", null, false, USER, "Ann", false, false, false,
        "hi", Set.of(), null, null, 0, List.of());
    assertThat(n.ignoreReason(otherChannel, SELF)).contains("allowed_channels");
    IncomingMessage otherGuild = new IncomingMessage("1", "101", CHANNEL, null, false, USER, "Ann", false, false, false,
        "hi", Set.of(), null, null, 0, List.of());
    assertThat(n.ignoreReason(otherGuild, SELF)).contains("allowed_guilds");
    // DMs are not guild messages: the guild and channel filters do not apply to them
    assertThat(n.ignoreReason(dm("hi"), SELF)).isNull();
  }

  @Test
  void dmsCanBeTurnedOffOrLimitedToSomeUsers() throws IOException {
    assertThat(normaliser("    dm_allowed: false\n", "").ignoreReason(dm("hi"), SELF)).contains("dm_allowed");
    DiscordNormaliser some = normaliser("    allowed_dm_users: [\"301\"]\n", "");
    assertThat(some.ignoreReason(dm("hi"), SELF)).contains("allowed_dm_users");
    assertThat(normaliser("    allowed_dm_users: [\"300\"]\n", "").ignoreReason(dm("hi"), SELF)).isNull();
  }

  @Test
  void theBotIsAddressedByAUserMentionOrAReplyToItsMessage() {
    assertThat(DiscordNormaliser.mentionsBot(guild("<@900> hi", Set.of(SELF)), SELF)).isTrue();
    assertThat(DiscordNormaliser.mentionsBot(guild("<@301> hi", Set.of("301")), SELF)).isFalse();
    // @everyone and role mentions never reach mentionedUserIds
    assertThat(DiscordNormaliser.mentionsBot(guild("@everyone hi", Set.of()), SELF)).isFalse();
    assertThat(DiscordNormaliser.mentionsBot(replyTo(SELF), SELF)).isTrue();
    assertThat(DiscordNormaliser.mentionsBot(replyTo("301"), SELF)).isFalse();
  }

  @Test
  void theBotsOwnMentionIsStrippedAndOthersKept() {
    assertThat(DiscordNormaliser.stripMention("<@900> what is up?", SELF)).isEqualTo("what is up?");
    assertThat(DiscordNormaliser.stripMention("hey <@!900>  and <@301>", SELF)).isEqualTo("hey and <@301>");
    assertThat(DiscordNormaliser.stripMention("<@9001> hi", SELF)).isEqualTo("<@9001> hi");
  }

  @Test
  void aMessageBecomesAnInboundMessageRoutedByItsBinding() throws IOException {
    DiscordNormaliser n = normaliser("    authority: [\"300\"]\n", """
        bindings:
          - platform: discord
            guild_id: "100"
            channel_id: "200"
            agent_id: main
            require_mention: true
        """);
    InboundMessage in = n.toInbound(guild("<@900> hello there", Set.of(SELF)), SELF, List.of());
    assertThat(in.platform()).isEqualTo("discord");
    assertThat(in.conversationId()).isEqualTo("discord:100:200");
    assertThat(in.platformMessageId()).isEqualTo("555");
    assertThat(in.senderId()).isEqualTo("300");
    assertThat(in.senderName()).isEqualTo("Ann");
    assertThat(in.text()).isEqualTo("hello there");
    assertThat(in.agentId()).isEqualTo("main");
    assertThat(in.addressing()).isEqualTo(new Addressing(false, true, Addressing.ACTIVE, true, true));
    assertThat(in.metadata().getString("guild_id")).isEqualTo("100");
    assertThat(in.metadata().getString("channel_id")).isEqualTo("200");

    // A thread of that channel is routed by its parent: the same binding applies
    InboundMessage inThread = n.toInbound(thread("no mention"), SELF, List.of());
    assertThat(inThread.conversationId()).isEqualTo("discord:100:200:250");
    assertThat(inThread.addressing().requireMention()).isTrue();
    assertThat(inThread.addressing().mentionsBot()).isFalse();
    assertThat(inThread.metadata().getString("thread_id")).isEqualTo("250");

    InboundMessage reply = n.toInbound(replyTo(SELF), SELF, List.of());
    assertThat(reply.replyTo()).isEqualTo("400");
    assertThat(reply.addressing().mentionsBot()).isTrue();

    InboundMessage direct = n.toInbound(dm("hi"), SELF, List.of());
    assertThat(direct.addressing().direct()).isTrue();
    assertThat(direct.conversationId()).isEqualTo("discord:dm:300");
  }

  @Test
  void anUnboundGroupTakesTheDefaultGroupMode() throws IOException {
    InboundMessage in = plain().toInbound(guild("hi", Set.of()), SELF, List.of());
    assertThat(in.addressing().responseMode()).isEqualTo(Addressing.MENTION_ONLY);
    assertThat(in.addressing().authority()).isFalse();
  }

  @Test
  void attachmentNamesCannotLeaveTheirFolder() {
    assertThat(DiscordNormaliser.safeName("../../etc/passwd")).isEqualTo("passwd");
    assertThat(DiscordNormaliser.safeName("my file (1).png")).isEqualTo("my_file__1_.png");
    assertThat(DiscordNormaliser.safeName("..")).isEqualTo("file");
    assertThat(DiscordNormaliser.safeName(".bashrc")).isEqualTo("bashrc");
    assertThat(DiscordNormaliser.safeName(null)).isEqualTo("file");
    assertThat(DiscordNormaliser.safeName("a".repeat(300) + ".txt")).hasSize(100).endsWith(".txt");
    assertThat(DiscordNormaliser.attachmentPath(thread("x"), "r\u00e9sum\u00e9.pdf"))
        .isEqualTo("attachments/discord/250/556-r_sum_.pdf");
  }

  @Test
  void clicksAndCommandsReadAsText() {
    assertThat(DiscordNormaliser.buttonText("Yes", "vote-yes", "42"))
        .isEqualTo("[clicked button \"Yes\" (vote-yes) on message 42]");
    assertThat(DiscordNormaliser.commandText("model", List.of(" openai/gpt-4o "))).isEqualTo("/model openai/gpt-4o");
    assertThat(DiscordNormaliser.commandText("help", List.of())).isEqualTo("/help");
    assertThat(DiscordNormaliser.interactionId("77")).isEqualTo("ix:77");
  }
}
