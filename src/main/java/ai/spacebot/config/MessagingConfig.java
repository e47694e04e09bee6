package ai.spacebot.config;

import java.util.List;
import java.util.Optional;

/**
 * The chat platforms: each adapter's settings and the bindings that route their conversations to agents.
 *
 * @param defaultGroupMode how a group conversation that no binding names is answered ({@code mention_only} by
 *     default: a bot added to a busy server speaks when spoken to)
 */
public record MessagingConfig(TelegramConfig telegram, DiscordConfig discord, SlackConfig slack, List<Binding> bindings,
    String defaultGroupMode) {

  /** The first binding that matches, in the order the operator wrote them. */
  public Optional<Binding> bindingFor(String platform, String guildId, String chatId, boolean direct) {
    return bindings.stream().filter(b -> b.matches(platform, guildId, chatId, direct)).findFirst();
  }
}
