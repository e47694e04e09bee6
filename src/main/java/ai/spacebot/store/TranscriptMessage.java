package ai.spacebot.store;

import io.vertx.core.json.JsonObject;

/** One stored message of a conversation, as history shows it. */
public record TranscriptMessage(
    String id,
    String conversationId,
    String direction,
    String senderId,
    String senderName,
    String text,
    String status,
    String inReplyTo,
    long createdAt) {

  public static final String INBOUND = "inbound";
  public static final String OUTBOUND = "outbound";
  public static final String SYSTEM = "system";

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("conversation_id", conversationId)
        .put("direction", direction)
        .put("sender_id", senderId)
        .put("sender_name", senderName)
        .put("text", text)
        .put("status", status)
        .put("in_reply_to", inReplyTo)
        .put("created_at", createdAt);
  }

  public static TranscriptMessage fromJson(JsonObject j) {
    return new TranscriptMessage(j.getString("id"), j.getString("conversation_id"), j.getString("direction"),
        j.getString("sender_id"), j.getString("sender_name"), j.getString("text"), j.getString("status"),
        j.getString("in_reply_to"), j.getLong("created_at", 0L));
  }
}
