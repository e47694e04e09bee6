package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * A person edited or deleted a message they sent ({@link Addresses#INBOUND_EDIT}): the transcript is updated
 * and marked, and no second reply is made.
 *
 * @param text the new text, or null when the message was deleted
 */
public record MessageEdit(String platform, String conversationId, String platformMessageId, String text,
    boolean deleted, long timestamp) {
  public JsonObject toJson() {
    return new JsonObject().put("platform", platform).put("conversation_id", conversationId)
        .put("platform_message_id", platformMessageId).put("text", text).put("deleted", deleted)
        .put("timestamp", timestamp);
  }

  public static MessageEdit fromJson(JsonObject json) {
    return new MessageEdit(json.getString("platform"), json.getString("conversation_id"),
        json.getString("platform_message_id"), json.getString("text"), json.getBoolean("deleted", false),
        json.getLong("timestamp", System.currentTimeMillis()));
  }
}
