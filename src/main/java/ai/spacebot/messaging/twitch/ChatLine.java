package ai.spacebot.messaging.twitch;

/**
 * One chat message as the adapter reads it from Twitch4J's event, independent of the SDK's types.
 *
 * @param channel the channel's login name, lower case, without {@code #}
 * @param login the sender's login name, lower case (the sender id we keep: the same on Twitch and on any IRC server)
 * @param userId Twitch's numeric user id ({@code user-id} tag), or null where the server sends no Twitch tags
 * @param messageId Twitch's {@code id} tag, else the IRCv3 {@code msgid} tag, else null (see {@link #dedupId})
 * @param replyParentLogin, replyParentId the message this one replies to ({@code reply-parent-*} tags, Twitch only)
 * @param timestamp {@code tmi-sent-ts} (Twitch), else when the adapter read it
 */
record ChatLine(String channel, String login, String displayName, String userId, String text, String messageId,
    String replyParentLogin, String replyParentId, long timestamp) {

  /** What people see: the display name where Twitch sends one, else the login. */
  String senderName() {
    return displayName != null && !displayName.isBlank() ? displayName : login;
  }

  /**
   * The platform message id we deduplicate on. Twitch gives every message an {@code id} tag and an IRCv3 server a
   * {@code msgid}; a server with neither gives us nothing to recognise a copy by, so the line gets a fresh id and
   * a copy would count as a new message. IRC never sends a line twice by itself, so that only matters for a
   * server that replays history, and such servers tag their messages.
   */
  String dedupId(java.util.function.Supplier<String> fresh) {
    return messageId != null && !messageId.isBlank() ? messageId : fresh.get();
  }
}
