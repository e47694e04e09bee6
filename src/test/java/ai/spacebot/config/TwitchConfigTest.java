package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** messaging.twitch: the token with a bot name and channels enables it; every mistake names its key. */
class TwitchConfigTest {
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
  void offWithoutATokenOnWithTheEnvironmentAlone() throws IOException {
    assertThat(load(null).messaging().twitch().enabled()).isFalse();

    TwitchConfig t = load(null, "TWITCH_OAUTH_TOKEN", "oauth:abc123", "TWITCH_BOT_NAME", "MyBot",
        "TWITCH_CHANNELS", " #Streamer, friend_2 ,streamer").messaging().twitch();
    assertThat(t.enabled()).isTrue();
    assertThat(t.token()).isEqualTo("abc123");
    assertThat(t.botName()).isEqualTo("mybot");
    assertThat(t.channels()).containsExactly("streamer", "friend_2");
    assertThat(t.ircUrl()).isEqualTo(TwitchConfig.TWITCH_CHAT_URL);
    assertThat(t.twitchHost()).isTrue();
    assertThat(t.triggerPrefix()).isNull();
    assertThat(t.sendLimit()).isEqualTo(20);
    assertThat(t.sendWindowMillis()).isEqualTo(30_000);
  }

  @Test
  void yamlKeysModeratorLimitAndALocalServer() throws IOException {
    TwitchConfig t = load("""
        messaging:
          twitch:
            oauth_token: tok
            bot_name: agentbot
            channels: [one, "#Two"]
            irc_url: ws://127.0.0.1:8098
            trigger_prefix: "!ask "
            ignore_users: [NightBot, streamelements]
            moderator: true
            authority: [TheStreamer]
        """).messaging().twitch();
    assertThat(t.channels()).isEqualTo(List.of("one", "two"));
    assertThat(t.twitchHost()).isFalse();
    assertThat(t.triggerPrefix()).isEqualTo("!ask");
    assertThat(t.ignoreUsers()).containsExactly("nightbot", "streamelements");
    assertThat(t.authority()).containsExactly("thestreamer");
    assertThat(t.sendLimit()).isEqualTo(100);
  }

  @Test
  void mistakesNameTheirKey() {
    assertThatThrownBy(() -> load(null, "TWITCH_OAUTH_TOKEN", "tok", "TWITCH_CHANNELS", "one"))
        .hasMessageContaining("messaging.twitch.bot_name").hasMessageContaining("TWITCH_BOT_NAME");
    assertThatThrownBy(() -> load(null, "TWITCH_OAUTH_TOKEN", "tok", "TWITCH_BOT_NAME", "bot"))
        .hasMessageContaining("messaging.twitch.channels").hasMessageContaining("TWITCH_CHANNELS");
    assertThatThrownBy(() -> load(null, "TWITCH_OAUTH_TOKEN", "tok", "TWITCH_BOT_NAME", "bot",
        "TWITCH_CHANNELS", "not a channel")).hasMessageContaining("messaging.twitch.channels")
        .hasMessageContaining("not a channel");
    assertThatThrownBy(() -> load("messaging:\n  twitch:\n    enabled: true\n"))
        .hasMessageContaining("messaging.twitch.oauth_token").hasMessageContaining("TWITCH_OAUTH_TOKEN");
    assertThatThrownBy(() -> load("messaging:\n  twitch:\n    irc_url: irc.chat.twitch.tv:6667\n"))
        .hasMessageContaining("messaging.twitch.irc_url").hasMessageContaining("ws://");
    assertThatThrownBy(() -> load("messaging:\n  twitch:\n    token: tok\n"))
        .hasMessageContaining("messaging.twitch.token");
    assertThatThrownBy(() -> load("messaging:\n  twitch:\n    send_limit: 0\n"))
        .hasMessageContaining("messaging.twitch.send_limit");
  }

  @Test
  void aTokenInTheSecretStoreWaitsThenIsFilledIn() throws IOException {
    SpacebotConfig waiting = load("""
        messaging:
          twitch:
            oauth_token: secret:TWITCH_TOKEN
            bot_name: agentbot
            channels: [one]
        """);
    assertThat(waiting.messaging().twitch().enabled()).isTrue();
    assertThat(waiting.messaging().twitch().token()).isNull();
    assertThat(waiting.secrets().waitingUnder("messaging.twitch.")).contains("TWITCH_TOKEN");

    SpacebotConfig unlocked = waiting.resolveSecrets(name -> name.equals("TWITCH_TOKEN")
        ? SecretLookup.Result.found("oauth:from-the-store") : SecretLookup.Result.MISSING);
    assertThat(unlocked.messaging().twitch().token()).isEqualTo("from-the-store");
    assertThat(unlocked.secrets().waitingUnder("messaging.twitch.")).isEmpty();
  }

  @Test
  void bindingsMayNameTwitchChannels() throws IOException {
    SpacebotConfig c = load("bindings:\n  - {platform: twitch, channel_id: streamer, agent_id: main, "
        + "require_mention: true}\n");
    assertThat(c.messaging().bindingFor("twitch", null, "streamer", false)).isPresent();
    assertThat(c.messaging().bindingFor("twitch", null, "other", false)).isEmpty();
  }
}
