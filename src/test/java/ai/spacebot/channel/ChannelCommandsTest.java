package ai.spacebot.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a channel answers itself; the ones that change a conversation need authority. */
class ChannelCommandsTest {
  @TempDir Path dir;

  private ChannelCommands.Outcome run(String text, boolean authority) {
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString(), "OPENAI_API_KEY", "k")).load(null);
    InboundMessage in = new InboundMessage("id", "main", "telegram", "telegram:5", "77", "Ada", text, 0, "9",
        new JsonObject(), new Addressing(false, false, Addressing.ACTIVE, false, authority), null, List.of());
    return new ChannelCommands(config).run(in, new ChannelCommands.Facts("main", "telegram:5", "telegram",
        "openai/gpt-4.1-mini", "active", "No branches or workers running."));
  }

  @Test
  void recognisesOnlyItsOwnCommands() {
    assertThat(ChannelCommands.name("/help")).contains("help");
    assertThat(ChannelCommands.name("/Mention_Only")).contains("mention-only");
    assertThat(ChannelCommands.name("/model openai/x")).contains("model");
    assertThat(ChannelCommands.name("/start")).isEmpty();
    assertThat(ChannelCommands.name("hello /help")).isEmpty();
    assertThat(ChannelCommands.name("/helpme")).isEmpty();
  }

  @Test
  void answersEveryone() {
    assertThat(run("/help", false).reply()).contains("/whoami", "/mention-only");
    assertThat(run("/whoami", false).reply()).contains("Ada", "telegram id 77", "telegram:5", "cannot");
    assertThat(run("/status", false).reply()).contains("openai/gpt-4.1-mini", "No branches");
    assertThat(run("/model", false).reply()).contains("openai/gpt-4.1-mini");
    assertThat(run("/model", false).effect()).isInstanceOf(ChannelCommands.Effect.None.class);
  }

  @Test
  void changesNeedAuthority() {
    assertThat(run("/observe", false).effect()).isInstanceOf(ChannelCommands.Effect.None.class);
    assertThat(run("/observe", false).reply()).contains("operators");
    assertThat(run("/model openai/gpt-4.1", false).effect()).isInstanceOf(ChannelCommands.Effect.None.class);
    assertThat(run("/observe", true).effect()).isEqualTo(new ChannelCommands.Effect.SetMode("observe"));
    assertThat(run("/mention-only", true).effect()).isEqualTo(new ChannelCommands.Effect.SetMode("mention_only"));
    assertThat(run("/model openai/gpt-4.1", true).effect()).isEqualTo(new ChannelCommands.Effect.PinModel("openai/gpt-4.1"));
    assertThat(run("/model default", true).effect()).isEqualTo(new ChannelCommands.Effect.PinModel(null));
    assertThat(run("/model nowhere/x", true).reply()).contains("not configured");
    assertThat(run("/model justaname", true).reply()).contains("provider/model");
  }
}
