package ai.spacebot.messaging.twitch;

import ai.spacebot.messaging.DeliveryException;
import java.util.List;

/** Where a conversation's messages go, read back from its id {@code twitch:{channel}}. */
record TwitchTarget(String channel) {
  static TwitchTarget parse(String conversationId, List<String> joined) {
    String[] p = conversationId == null ? new String[0] : conversationId.split(":", -1);
    if (p.length != 2 || !p[0].equals(TwitchNormaliser.PLATFORM) || !p[1].matches("[a-z0-9_]{1,25}")) {
      throw DeliveryException.permanent("\"" + conversationId + "\" is not a Twitch conversation id (twitch:{channel}, "
          + "the channel's login name in lower case)");
    }
    if (!joined.contains(p[1])) {
      // The bot may only speak where it joined; joining channels on the fly would let a tool put it anywhere.
      throw DeliveryException.permanent("the bot has not joined #" + p[1] + ": add it to TWITCH_CHANNELS "
          + "(messaging.twitch.channels) and restart");
    }
    return new TwitchTarget(p[1]);
  }
}
