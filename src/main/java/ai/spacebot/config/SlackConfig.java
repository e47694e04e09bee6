package ai.spacebot.config;

import java.util.Set;

/**
 * The Slack adapter ({@code messaging.slack}); {@code SLACK_BOT_TOKEN} and {@code SLACK_APP_TOKEN} alone enable it
 * in Socket Mode.
 *
 * @param mode {@code socket} (Socket Mode: Slack pushes events over a WebSocket we open; default) or {@code events}
 *     (the Events API: Slack POSTs to {@code /slack/events} on our API port, checked with {@code signingSecret})
 * @param apiUrl the Web API base the methods are called at, ending in {@code /api/} (a proxy, or a local peer)
 * @param socketUrl a Socket Mode WebSocket URL to connect to instead of the one {@code apps.connections.open} gives
 * @param replyInThread a top-level message in a channel is answered in a thread under it (DMs never are)
 * @param typingReaction the reaction shown on a person's message while a turn for it runs (empty: none)
 * @param allowedTeams, allowedChannels where the bot answers (empty: everywhere it was added)
 * @param maxMessageChars characters per message before a reply is split
 * @param postsPerSecond chat.postMessage calls per second and channel (Slack allows about one, with short bursts)
 * @param postBurst how many posts a channel may get at once before the pacing sets in
 */
public record SlackConfig(boolean enabled, String botToken, String appToken, String signingSecret, String mode,
    String apiUrl, String socketUrl, boolean replyInThread, String typingReaction, Set<String> allowedTeams,
    Set<String> allowedChannels, boolean dmAllowed, Set<String> allowedDmUsers, boolean ignoreBots,
    Set<String> authority, long typingIntervalMillis, int maxMessageChars, double postsPerSecond, int postBurst,
    long maxAttachmentBytes) {
  public static final String SOCKET = "socket";
  public static final String EVENTS = "events";

  public boolean events() {
    return EVENTS.equals(mode);
  }
}
