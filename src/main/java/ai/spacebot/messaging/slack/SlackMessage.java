package ai.spacebot.messaging.slack;

/**
 * A person's message (or a click, or a command) as the adapter reads it from any of Slack's events, whichever way
 * it came (Socket Mode or the Events API).
 *
 * @param channelType {@code im}, {@code mpim}, {@code channel} or {@code group} (a private channel)
 * @param threadTs the thread the message is in, or null for a top-level message
 * @param botId set when a bot (or an app) wrote it
 * @param subtype Slack's message subtype (edits, joins, bot messages...), null for a plain message
 */
record SlackMessage(String teamId, String channelId, String channelType, String userId, String text, String ts,
    String threadTs, String botId, String subtype) {

  boolean direct() {
    return "im".equals(channelType) || (channelType == null && channelId != null && channelId.startsWith("D"));
  }
}
