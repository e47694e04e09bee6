package ai.spacebot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Telegram's servers add to a user's message: the entities they detect in plain text. */
final class TelegramUsers {
  private static final Pattern ENTITY = Pattern.compile(
      "(?<![\\w@/])(?:(?<command>/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)|(?<mention>@[A-Za-z0-9_]{5,32})"
          + "|(?<url>https?://[^\\s]+)|(?<hashtag>#[\\w]+))");

  private TelegramUsers() {}

  /** bot_command, mention, url and hashtag entities with UTF-16 offsets, as Telegram computes them. */
  static JsonArray entities(String text) {
    JsonArray out = new JsonArray();
    if (text == null) {
      return out;
    }
    Matcher m = ENTITY.matcher(text);
    while (m.find()) {
      String type = m.group("command") != null ? "bot_command" : m.group("mention") != null ? "mention"
          : m.group("url") != null ? "url" : "hashtag";
      out.add(new JsonObject().put("type", type).put("offset", m.start()).put("length", m.end() - m.start()));
    }
    return out;
  }

  /** Whether a bot in privacy mode gets this group message: a command, an @mention of it, or a reply to it. */
  static boolean addressesBot(JsonObject message, String botUsername, long botId) {
    String text = message.getString("text", message.getString("caption", ""));
    JsonArray entities = message.getJsonArray("entities", message.getJsonArray("caption_entities", new JsonArray()));
    for (Object o : entities) {
      JsonObject e = (JsonObject) o;
      String part = text.substring(e.getInteger("offset"), e.getInteger("offset") + e.getInteger("length"));
      if ("bot_command".equals(e.getString("type")) || ("mention".equals(e.getString("type"))
          && part.equalsIgnoreCase("@" + botUsername))) {
        return true;
      }
    }
    JsonObject reply = message.getJsonObject("reply_to_message");
    return reply != null && !reply.containsKey("forum_topic_created") && reply.getJsonObject("from") != null
        && reply.getJsonObject("from").getLong("id") == botId;
  }
}
