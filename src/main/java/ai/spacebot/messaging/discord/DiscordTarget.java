package ai.spacebot.messaging.discord;

import ai.spacebot.messaging.DeliveryException;

/**
 * Where a conversation's messages go, read back from its id: {@code discord:dm:{user}},
 * {@code discord:{guild}:{channel}} or {@code discord:{guild}:{channel}:{thread}}.
 */
record DiscordTarget(String guildId, String channelId, String threadId, String dmUserId) {
  static DiscordTarget parse(String conversationId) {
    String[] p = conversationId == null ? new String[0] : conversationId.split(":");
    if (p.length == 3 && p[0].equals(DiscordNormaliser.PLATFORM) && p[1].equals("dm") && snowflake(p[2])) {
      return new DiscordTarget(null, null, null, p[2]);
    }
    if ((p.length == 3 || p.length == 4) && p[0].equals(DiscordNormaliser.PLATFORM) && snowflake(p[1])
        && snowflake(p[2]) && (p.length == 3 || snowflake(p[3]))) {
      return new DiscordTarget(p[1], p[2], p.length == 4 ? p[3] : null, null);
    }
    throw DeliveryException.permanent("\"" + conversationId + "\" is not a Discord conversation id");
  }

  boolean direct() {
    return dmUserId != null;
  }

  /** The channel (or thread) messages are posted in; null for a DM, whose channel is opened per user. */
  String postChannel() {
    return threadId != null ? threadId : channelId;
  }

  static boolean snowflake(String s) {
    return s != null && s.matches("\\d{1,20}");
  }
}
