package ai.spacebot.config;

import java.util.List;
import java.util.Set;

/**
 * The Twitch chat adapter ({@code messaging.twitch}); {@code TWITCH_OAUTH_TOKEN} with a bot name and channels
 * enables it.
 *
 * @param token the bot account's user access token (scopes {@code chat:read chat:edit}), without {@code oauth:}
 * @param botName the bot account's login name (what people @mention)
 * @param channels the channels it joins, lower case, without {@code #}
 * @param ircUrl Twitch's chat WebSocket URL, or another chat server's (a local peer in tests)
 * @param triggerPrefix a message starting with this (e.g. {@code !ask}) is addressed to the bot; null: none
 * @param ignoreUsers login names whose messages are not even kept (other bots: Nightbot, StreamElements...)
 * @param moderator the bot is a moderator (or broadcaster) in its channels: Twitch allows it 100 messages per 30 s
 *     instead of 20
 * @param sendLimit messages per {@code sendWindowMillis} the adapter sends at most (20, or 100 as a moderator)
 * @param authority login names that may use the authority commands where no binding names any
 */
public record TwitchConfig(boolean enabled, String token, String botName, List<String> channels, String ircUrl,
    String triggerPrefix, Set<String> ignoreUsers, boolean moderator, int sendLimit, long sendWindowMillis,
    Set<String> authority) {
  public static final String TWITCH_CHAT_URL = "wss://irc-ws.chat.twitch.tv:443";
  /** Twitch's limits for a bot account that is not verified: per 30 seconds, across all channels. */
  public static final int USER_LIMIT = 20;
  public static final int MODERATOR_LIMIT = 100;
  public static final long LIMIT_WINDOW_MS = 30_000;

  /** Whether the chat server is Twitch's own (the token is sent only there unless configured otherwise). */
  public boolean twitchHost() {
    return ircUrl.toLowerCase(java.util.Locale.ROOT).startsWith("wss://irc-ws.chat.twitch.tv");
  }
}
