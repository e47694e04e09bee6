package ai.spacebot.messaging.slack;

import java.util.Map;

/**
 * Slack reacts by emoji name ({@code thumbsup}), the model by the emoji itself (👍): the common ones mapped, a name
 * (with or without colons) taken as it is. An emoji with no known name cannot be a Slack reaction.
 */
final class EmojiNames {
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("👍", "thumbsup"), Map.entry("👎", "thumbsdown"), Map.entry("❤️", "heart"), Map.entry("❤", "heart"),
      Map.entry("😂", "joy"), Map.entry("😄", "smile"), Map.entry("😊", "blush"), Map.entry("🙂", "slightly_smiling_face"),
      Map.entry("😉", "wink"), Map.entry("😮", "open_mouth"), Map.entry("😢", "cry"), Map.entry("😡", "rage"),
      Map.entry("🎉", "tada"), Map.entry("🔥", "fire"), Map.entry("👀", "eyes"), Map.entry("✅", "white_check_mark"),
      Map.entry("❌", "x"), Map.entry("👏", "clap"), Map.entry("🙏", "pray"), Map.entry("🚀", "rocket"),
      Map.entry("💯", "100"), Map.entry("🤔", "thinking_face"), Map.entry("👋", "wave"), Map.entry("⭐", "star"),
      Map.entry("✨", "sparkles"), Map.entry("💡", "bulb"), Map.entry("⚠️", "warning"), Map.entry("👌", "ok_hand"),
      Map.entry("🤖", "robot_face"), Map.entry("😎", "sunglasses"), Map.entry("🙌", "raised_hands"),
      Map.entry("💪", "muscle"), Map.entry("😅", "sweat_smile"), Map.entry("🥳", "partying_face"));

  private EmojiNames() {}

  /** Slack's name for an emoji, or null when it has none we know. */
  static String name(String emoji) {
    String e = emoji == null ? "" : emoji.strip();
    String known = NAMES.get(e);
    if (known != null) {
      return known;
    }
    String bare = e.startsWith(":") && e.endsWith(":") && e.length() > 2 ? e.substring(1, e.length() - 1) : e;
    return bare.matches("[a-z0-9_+'-]{1,64}") ? bare : null;
  }
}
