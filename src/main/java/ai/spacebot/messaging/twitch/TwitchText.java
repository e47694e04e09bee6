package ai.spacebot.messaging.twitch;

import ai.spacebot.messaging.format.Dialect;
import ai.spacebot.messaging.format.MessageFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's Markdown as Twitch chat messages: plain text on one line (an IRC message cannot hold a line break,
 * and Twitch shows no markup), at most 500 characters each.
 */
final class TwitchText {
  /** Twitch drops a PRIVMSG longer than this (Twitch4J refuses to send it). */
  static final int MAX_LENGTH = 500;
  /** Put before a part that would start with {@code /} or {@code .}, which Twitch reads as a chat command. */
  static final String COMMAND_GUARD = "\u200B";

  private TwitchText() {}

  static List<String> parts(String markdown) {
    List<String> out = new ArrayList<>();
    for (String part : MessageFormatter.format(markdown, Dialect.PLAIN_LINE, MAX_LENGTH - COMMAND_GUARD.length())) {
      // "/ban someone" or ".timeout someone" from the model must be words, not a moderator's command.
      out.add(part.startsWith("/") || part.startsWith(".") ? COMMAND_GUARD + part : part);
    }
    return out;
  }
}
