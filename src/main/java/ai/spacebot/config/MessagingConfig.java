package ai.spacebot.config;

import java.util.List;
import java.util.Optional;

/**
 * The chat platforms: each adapter's settings and the bindings that route their conversations to agents.
 *
 * @param defaultGroupMode how a group conversation that no binding names is answered ({@code mention_only} by
 *     default: a bot added to a busy server speaks when spoken to)
 * @param webhooks the generic webhooks ({@code messaging.webhooks}), in the order configured
 */
public record MessagingConfig(TelegramConfig telegram, DiscordConfig discord, SlackConfig slack,
    TwitchConfig twitch, List<Binding> bindings, String defaultGroupMode, List<WebhookConfig> webhooks) {

  public MessagingConfig {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
  }

  /** The webhook of this id, if configured. */
  public Optional<WebhookConfig> webhook(String id) {
    return webhooks.stream().filter(w -> w.id().equals(id)).findFirst();
  }

  /** The first binding that matches, in the order the operator wrote them. */
  public Optional<Binding> bindingFor(String platform, String guildId, String chatId, boolean direct) {
    return bindings.stream().filter(b -> b.matches(platform, guildId, chatId, direct)).findFirst();
  }
}
