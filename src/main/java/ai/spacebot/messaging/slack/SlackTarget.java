package ai.spacebot.messaging.slack;

import ai.spacebot.messaging.DeliveryException;
import java.util.regex.Pattern;

/**
 * Where a conversation's messages go, read back from its id: {@code slack:{team}:{channel}} or
 * {@code slack:{team}:{channel}:{thread_ts}}. Any such id can be written to, whether or not a message came from it.
 */
record SlackTarget(String teamId, String channelId, String threadTs) {
  private static final Pattern ID = Pattern.compile("[A-Z0-9]{2,32}");
  private static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,8}");

  static SlackTarget parse(String conversationId) {
    String[] p = conversationId == null ? new String[0] : conversationId.split(":");
    if ((p.length == 3 || p.length == 4) && p[0].equals(SlackNormaliser.PLATFORM) && ID.matcher(p[1]).matches()
        && ID.matcher(p[2]).matches() && (p.length == 3 || TS.matcher(p[3]).matches())) {
      return new SlackTarget(p[1], p[2], p.length == 4 ? p[3] : null);
    }
    throw DeliveryException.permanent("\"" + conversationId + "\" is not a Slack conversation id "
        + "(slack:{team}:{channel}[:{thread_ts}])");
  }

  /** A direct message with the bot: Slack's IM channel ids start with D. */
  boolean direct() {
    return channelId.startsWith("D");
  }

  static boolean isTs(String ts) {
    return ts != null && TS.matcher(ts).matches();
  }

  /** Our platform message id of a Slack message: its channel and {@code ts}, which Slack keeps unique per channel. */
  static String messageId(String channelId, String ts) {
    return channelId + ":" + ts;
  }

  /** The {@code ts} out of one of our message ids ({@code channel:ts}), or null. */
  static String tsOf(String platformMessageId) {
    if (platformMessageId == null) {
      return null;
    }
    String ts = platformMessageId.substring(platformMessageId.indexOf(':') + 1);
    return isTs(ts) ? ts : null;
  }
}
