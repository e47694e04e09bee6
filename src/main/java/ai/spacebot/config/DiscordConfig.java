package ai.spacebot.config;

import java.util.Set;

/**
 * The Discord adapter ({@code messaging.discord}); {@code DISCORD_BOT_TOKEN} alone enables it.
 *
 * @param restUrl Discord's REST API base (a REST proxy, or a local peer in tests), ending in {@code /api/v10/}
 * @param gatewayUrl the gateway WebSocket URL, or null to ask Discord ({@code GET /gateway/bot})
 * @param shards gateway shards; more than 1 runs JDA's ShardManager
 * @param allowedGuilds, allowedChannels where the bot answers (empty: everywhere it was invited)
 * @param registerCommands register the slash commands (/help, /status, ...) for the bot at start
 */
public record DiscordConfig(boolean enabled, String token, String restUrl, String gatewayUrl, int shards,
    Set<String> allowedGuilds, Set<String> allowedChannels, boolean dmAllowed, Set<String> allowedDmUsers,
    boolean ignoreBots, Set<String> authority, long typingIntervalMillis, boolean registerCommands,
    long maxAttachmentBytes) {}
