package ai.spacebot.messaging.telegram;

/**
 * Where a Telegram conversation lives: a chat, and in a forum supergroup one of its topics. The conversation id
 * carries both ({@code telegram:{chat}} or {@code telegram:{chat}:{topic}}), so a reply needs nothing else to find
 * its way back.
 *
 * @param threadId the forum topic ({@code message_thread_id}), or null
 */
record TelegramChat(long chatId, Integer threadId) {
  static final String PREFIX = "telegram:";

  String conversationId() {
    return PREFIX + chatId + (threadId == null ? "" : ":" + threadId);
  }

  String chatIdText() {
    return Long.toString(chatId);
  }

  /** Telegram gives people positive ids and their private chats the same id; groups and channels are negative. */
  boolean isPrivate() {
    return chatId > 0;
  }

  /** @throws IllegalArgumentException if {@code conversationId} is not a Telegram one */
  static TelegramChat parse(String conversationId) {
    if (conversationId == null || !conversationId.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a Telegram conversation: " + conversationId);
    }
    String[] parts = conversationId.substring(PREFIX.length()).split(":", -1);
    try {
      if (parts.length == 1) {
        return new TelegramChat(Long.parseLong(parts[0]), null);
      }
      if (parts.length == 2) {
        return new TelegramChat(Long.parseLong(parts[0]), Integer.valueOf(parts[1]));
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("not a Telegram conversation: " + conversationId);
  }
}
