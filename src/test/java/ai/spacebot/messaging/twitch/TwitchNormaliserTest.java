package ai.spacebot.messaging.twitch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.Bindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwitchNormaliserTest {
  @TempDir Path dir;
  private TwitchNormaliser normaliser;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("config.yaml"), """
        messaging:
          twitch:
            trigger_prefix: "!ask"
            ignore_users: [nightbot]
            authority: [streamer]
        bindings:
          - {platform: twitch, channel_id: chatty, agent_id: main, response_mode: active}
        """);
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString(), "OPENAI_API_KEY", "k",
        "TWITCH_OAUTH_TOKEN", "t", "TWITCH_BOT_NAME", "AgentBot", "TWITCH_CHANNELS", "streamer,chatty")).load(null);
    normaliser = new TwitchNormaliser(config.messaging().twitch(), new Bindings(config));
  }

  private static ChatLine line(String channel, String login, String text) {
    return new ChatLine(channel, login, null, null, text, "m-1", null, null, 1000L);
  }

  @Test
  void aMentionThePrefixOrAReplyToTheBotAddressIt() {
    assertThat(normaliser.addressed(line("streamer", "ada", "@agentbot hi"))).isTrue();
    assertThat(normaliser.addressed(line("streamer", "ada", "hey @AgentBot, what now"))).isTrue();
    assertThat(normaliser.addressed(line("streamer", "ada", "!ask what now"))).isTrue();
    assertThat(normaliser.addressed(line("streamer", "ada", "!ASK what now"))).isTrue();
    assertThat(normaliser.addressed(new ChatLine("streamer", "ada", null, null, "and then?", "m-2", "agentbot",
        "p-1", 1L))).isTrue();

    assertThat(normaliser.addressed(line("streamer", "ada", "agentbot is here"))).isFalse();
    assertThat(normaliser.addressed(line("streamer", "ada", "@agentbot2 hi"))).isFalse();
    assertThat(normaliser.addressed(line("streamer", "ada", "mail me at x@agentbot"))).isFalse();
    assertThat(normaliser.addressed(line("streamer", "ada", "!asking around"))).isFalse();
    assertThat(normaliser.addressed(new ChatLine("streamer", "ada", null, null, "and then?", "m-2", "bo", "p-1",
        1L))).isFalse();
  }

  @Test
  void theAgentReadsTheTextWithoutThePrefixOrTheMention() {
    assertThat(normaliser.text(line("streamer", "ada", "!ask   what is next"))).isEqualTo("what is next");
    assertThat(normaliser.text(line("streamer", "ada", "@AgentBot: what is next"))).isEqualTo("what is next");
    assertThat(normaliser.text(line("streamer", "ada", "so @agentbot what is next"))).isEqualTo("so what is next");
    assertThat(normaliser.text(line("streamer", "ada", "plain words"))).isEqualTo("plain words");
  }

  @Test
  void theBotsOwnLinesIgnoredUsersAndOtherChannelsAreNotKept() {
    assertThat(normaliser.ignoreReason(line("streamer", "agentbot", "@agentbot hi"))).isEqualTo("own message");
    assertThat(normaliser.ignoreReason(line("streamer", "nightbot", "@agentbot follow!"))).contains("ignore_users");
    assertThat(normaliser.ignoreReason(line("elsewhere", "ada", "@agentbot hi"))).contains("channels");
    assertThat(normaliser.ignoreReason(line("streamer", "ada", "hi"))).isNull();
  }

  @Test
  void anUnboundChannelIsMentionOnlyABindingDecidesElsewhere() {
    InboundMessage plain = normaliser.toInbound(line("streamer", "ada", "hello chat"));
    assertThat(plain.conversationId()).isEqualTo("twitch:streamer");
    assertThat(plain.senderId()).isEqualTo("ada");
    assertThat(plain.platformMessageId()).isEqualTo("m-1");
    assertThat(plain.addressing().responseMode()).isEqualTo(Addressing.MENTION_ONLY);
    assertThat(plain.addressing().wantsTurn(null, false)).isFalse();
    assertThat(normaliser.toInbound(line("streamer", "ada", "!ask hello")).addressing().wantsTurn(null, false))
        .isTrue();

    InboundMessage chatty = normaliser.toInbound(line("chatty", "ada", "hello chat"));
    assertThat(chatty.addressing().responseMode()).isEqualTo(Addressing.ACTIVE);
    assertThat(chatty.addressing().wantsTurn(null, false)).isTrue();

    assertThat(normaliser.toInbound(line("streamer", "streamer", "hi")).addressing().authority()).isTrue();
    assertThat(plain.addressing().authority()).isFalse();
  }

  @Test
  void aLineWithoutAnyIdGetsAFreshOneAndTwitchTagsAreKept() {
    InboundMessage noId = normaliser.toInbound(new ChatLine("streamer", "ada", "Ada", null, "hi", null, null, null,
        1L));
    assertThat(noId.platformMessageId()).startsWith("local:");
    assertThat(noId.senderName()).isEqualTo("Ada");

    InboundMessage reply = normaliser.toInbound(new ChatLine("streamer", "ada", "Ada", "1001", "ok", "abc", "agentbot",
        "parent-1", 5L));
    assertThat(reply.replyTo()).isEqualTo("parent-1");
    assertThat(reply.metadata().getString("user_id")).isEqualTo("1001");
    assertThat(reply.timestamp()).isEqualTo(5L);
  }
}
