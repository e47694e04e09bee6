package ai.spacebot.messaging;

import ai.spacebot.bus.Addressing;
import ai.spacebot.config.Binding;
import ai.spacebot.config.SpacebotConfig;
import java.util.Set;

/**
 * Decides which agent a platform conversation belongs to and how it is addressed: the first matching binding,
 * else the first agent, with groups in the default group mode. Every adapter asks this the same way.
 */
public final class Bindings {
  private final SpacebotConfig config;

  public Bindings(SpacebotConfig config) {
    this.config = config;
  }

  /** Where a message goes, and whether its sender has authority there. */
  public record Route(String agentId, Addressing addressing) {}

  /**
   * @param guildId the Discord guild (null elsewhere and for DMs)
   * @param chatId the Telegram chat or Discord channel
   * @param mentionsBot an @mention of the bot, or a reply to one of its messages
   * @param adapterAuthority the adapter's own authority list, used where no binding matches
   */
  public Route route(String platform, String guildId, String chatId, boolean direct, String senderId,
      boolean mentionsBot, Set<String> adapterAuthority) {
    return route(platform, guildId, chatId, direct, senderId, Set.of(), mentionsBot, adapterAuthority);
  }

  /**
   * @param senderRoles the sender's platform roles where the adapter knows them (Discord), else empty: a binding's
   *     {@code authority_roles} and {@code allowed_roles} are matched against them
   */
  public Route route(String platform, String guildId, String chatId, boolean direct, String senderId,
      Set<String> senderRoles, boolean mentionsBot, Set<String> adapterAuthority) {
    Binding binding = config.messaging().bindingFor(platform, guildId, chatId, direct).orElse(null);
    if (binding == null) {
      String agent = config.agents().get(0).id();
      return new Route(agent, new Addressing(direct, mentionsBot, config.messaging().defaultGroupMode(), false,
          adapterAuthority.contains(senderId), false));
    }
    boolean authority = binding.authority().contains(senderId) || adapterAuthority.contains(senderId)
        || senderRoles.stream().anyMatch(binding.authorityRoles()::contains);
    boolean allowed = binding.allowedUsers().contains(senderId)
        || senderRoles.stream().anyMatch(binding.allowedRoles()::contains);
    return new Route(binding.agentId(), new Addressing(direct, mentionsBot, binding.responseMode(),
        binding.requireMention(), authority, allowed));
  }
}
