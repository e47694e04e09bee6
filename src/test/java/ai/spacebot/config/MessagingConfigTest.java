package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** messaging.* and bindings: tokens from the environment enable adapters; every mistake names its key. */
class MessagingConfigTest {
  @TempDir Path dir;

  private SpacebotConfig load(String yaml, String... env) throws IOException {
    Map<String, String> vars = new HashMap<>();
    vars.put("SPACEBOT_DIR", dir.toString());
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    if (yaml != null) {
      Files.writeString(dir.resolve("config.yaml"), yaml);
    }
    return new ConfigLoader(vars).load(null);
  }

  @Test
  void adaptersAreOffWithoutTokensAndOnWithThem() throws IOException {
    SpacebotConfig none = load(null);
    assertThat(none.messaging().telegram().enabled()).isFalse();
    assertThat(none.messaging().discord().enabled()).isFalse();
    assertThat(none.messaging().defaultGroupMode()).isEqualTo("mention_only");

    SpacebotConfig both = load(null, "TELEGRAM_BOT_TOKEN", "123:abc", "DISCORD_BOT_TOKEN", "d.t.k",
        "TELEGRAM_API_URL", "http://127.0.0.1:9/", "DISCORD_REST_URL", "http://127.0.0.1:8/api/v10",
        "DISCORD_GATEWAY_URL", "ws://127.0.0.1:7");
    assertThat(both.messaging().telegram().enabled()).isTrue();
    assertThat(both.messaging().telegram().token()).isEqualTo("123:abc");
    assertThat(both.messaging().telegram().apiUrl()).isEqualTo("http://127.0.0.1:9");
    assertThat(both.messaging().telegram().typingIntervalMillis()).isEqualTo(5000);
    assertThat(both.messaging().discord().restUrl()).isEqualTo("http://127.0.0.1:8/api/v10/");
    assertThat(both.messaging().discord().gatewayUrl()).isEqualTo("ws://127.0.0.1:7");
    assertThat(both.messaging().discord().typingIntervalMillis()).isEqualTo(8000);
  }

  @Test
  void slackStartsInSocketModeFromItsTwoTokensOrOnTheEventsApiWithItsSigningSecret() throws IOException {
    assertThat(load(null).messaging().slack().enabled()).isFalse();
    assertThat(load(null, "SLACK_BOT_TOKEN", "xoxb-1").messaging().slack().enabled()).isFalse();
    SlackConfig socket = load(null, "SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1").messaging().slack();
    assertThat(socket.enabled()).isTrue();
    assertThat(socket.events()).isFalse();
    assertThat(socket.apiUrl()).isEqualTo("https://slack.com/api/");
    assertThat(socket.socketUrl()).isNull();
    assertThat(socket.replyInThread()).isTrue();
    assertThat(socket.typingReaction()).isEqualTo("eyes");
    assertThat(socket.maxMessageChars()).isEqualTo(12_000);

    SlackConfig events = load("""
        messaging:
          slack:
            mode: events
            api_url: http://127.0.0.1:9/api
            socket_url: ws://127.0.0.1:8/link
            typing_reaction: ":hourglass:"
            reply_in_thread: false
        """, "SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s3cret").messaging().slack();
    assertThat(events.enabled()).isTrue();
    assertThat(events.events()).isTrue();
    assertThat(events.apiUrl()).isEqualTo("http://127.0.0.1:9/api/");
    assertThat(events.socketUrl()).isEqualTo("ws://127.0.0.1:8/link");
    assertThat(events.typingReaction()).isEqualTo("hourglass");
    assertThat(events.replyInThread()).isFalse();

    assertThatThrownBy(() -> load("messaging:\n  slack:\n    enabled: true\n    mode: events\n",
        "SLACK_BOT_TOKEN", "xoxb-1")).hasMessageContaining("messaging.slack.signing_secret")
        .hasMessageContaining("SLACK_SIGNING_SECRET");
    assertThatThrownBy(() -> load("messaging:\n  slack:\n    mode: webhook\n"))
        .hasMessageContaining("messaging.slack.mode").hasMessageContaining("socket or events");
    assertThatThrownBy(() -> load("messaging:\n  slack:\n    socket_url: http://x\n"))
        .hasMessageContaining("messaging.slack.socket_url");
  }

  @Test
  void bindingsMatchInOrderAndDmsOnlyWhereAllowed() throws IOException {
    SpacebotConfig config = load("""
        agents:
          - id: main
          - id: helpdesk
        bindings:
          - {platform: discord, guild_id: "111", chat_id: "222", agent_id: helpdesk, response_mode: observe}
          - {platform: discord, guild_id: "111", agent_id: main, require_mention: true, authority: [42], dm_allowed: false}
          - {platform: telegram, chat_id: "-100", agent_id: helpdesk, response_mode: mention-only}
        """);
    MessagingConfig m = config.messaging();
    assertThat(m.bindingFor("discord", "111", "222", false).orElseThrow().agentId()).isEqualTo("helpdesk");
    Binding guild = m.bindingFor("discord", "111", "333", false).orElseThrow();
    assertThat(guild.agentId()).isEqualTo("main");
    assertThat(guild.requireMention()).isTrue();
    assertThat(guild.authority()).containsExactly("42");
    assertThat(m.bindingFor("discord", "999", "222", false)).isEmpty();
    assertThat(m.bindingFor("discord", null, "dm", true).orElseThrow().agentId()).isEqualTo("helpdesk");
    assertThat(m.bindingFor("telegram", null, "-100", false).orElseThrow().responseMode()).isEqualTo("mention_only");
  }

  @Test
  void mistakesNameTheKey() throws IOException {
    assertThatThrownBy(() -> load("bindings:\n  - {platform: irc, agent_id: main}\n"))
        .hasMessageContaining("bindings[0].platform").hasMessageContaining("telegram");
    assertThatThrownBy(() -> load("bindings:\n  - {platform: discord, agent_id: nobody}\n"))
        .hasMessageContaining("bindings[0].agent_id").hasMessageContaining("nobody");
    assertThatThrownBy(() -> load("bindings:\n  - {platform: discord, agent_id: main, response_mode: loud}\n"))
        .hasMessageContaining("bindings[0].response_mode").hasMessageContaining("mention_only");
    assertThatThrownBy(() -> load("bindings:\n  - {platform: discord, agent_id: main, guild: 1}\n"))
        .hasMessageContaining("bindings[0].guild").hasMessageContaining("guild_id");
    assertThatThrownBy(() -> load("messaging:\n  telegram:\n    enabled: true\n"))
        .hasMessageContaining("messaging.telegram.token").hasMessageContaining("TELEGRAM_BOT_TOKEN");
    assertThatThrownBy(() -> load("messaging:\n  telegram:\n    mode: webhook\n", "TELEGRAM_BOT_TOKEN", "1:a"))
        .hasMessageContaining("messaging.telegram.webhook_url");
    assertThatThrownBy(() -> load("messaging:\n  discord:\n    gateway_url: http://x\n"))
        .hasMessageContaining("messaging.discord.gateway_url");
    assertThatThrownBy(() -> load("messaging:\n  slack:\n    colour: red\n")).hasMessageContaining("messaging.slack.colour");
  }
}
