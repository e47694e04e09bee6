package ai.spacebot.config;

import java.util.Set;

/**
 * Routes a platform's conversations to an agent (config {@code bindings:}, first match wins).
 *
 * @param guildId a Discord guild id or a webhook's id (key {@code webhook_id}), or null / {@code *} for any
 *     (Telegram has none)
 * @param chatId a Telegram chat id, a Discord channel id or a webhook's conversation id, or null / {@code *} for any
 * @param dmAllowed whether this binding also takes the platform's direct messages (their guild and chat are not
 *     compared)
 * @param responseMode {@code active}, {@code observe} (keep only) or {@code mention_only}
 * @param requireMention in active mode, group messages must @mention the bot (or reply to it) to be answered
 * @param authority platform user ids that may change the conversation's mode and model (/active, /model, ...) and
 *     cause the tools of the agent's {@code permissions.authority}
 * @param authorityRoles platform role ids (Discord roles) whose members count as authority users
 * @param allowedUsers user ids that get the agent's {@code permissions.allowed} tools
 * @param allowedRoles role ids whose members get them
 */
public record Binding(String platform, String guildId, String chatId, boolean dmAllowed, String agentId,
    boolean requireMention, String responseMode, Set<String> authority, Set<String> authorityRoles,
    Set<String> allowedUsers, Set<String> allowedRoles) {
  public static final String ANY = "*";

  public Binding {
    authority = authority == null ? Set.of() : Set.copyOf(authority);
    authorityRoles = authorityRoles == null ? Set.of() : Set.copyOf(authorityRoles);
    allowedUsers = allowedUsers == null ? Set.of() : Set.copyOf(allowedUsers);
    allowedRoles = allowedRoles == null ? Set.of() : Set.copyOf(allowedRoles);
  }

  public Binding(String platform, String guildId, String chatId, boolean dmAllowed, String agentId,
      boolean requireMention, String responseMode, Set<String> authority) {
    this(platform, guildId, chatId, dmAllowed, agentId, requireMention, responseMode, authority, null, null, null);
  }

  public boolean matches(String platform, String guild, String chat, boolean direct) {
    if (!this.platform.equals(platform)) {
      return false;
    }
    if (direct) {
      return dmAllowed;
    }
    return any(guildId, guild) && any(chatId, chat);
  }

  private static boolean any(String wanted, String actual) {
    return wanted == null || ANY.equals(wanted) || wanted.equals(actual);
  }
}
