package ai.spacebot.messaging.telegram;

/** Who the bot is on Telegram ({@code getMe}): how it recognises mentions of itself and its own messages. */
record BotIdentity(long id, String username) {
  boolean isNamed(String name) {
    return username != null && name != null && username.equalsIgnoreCase(name.startsWith("@") ? name.substring(1) : name);
  }
}
