package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * A message from a person (or the system) to an agent, as every adapter delivers it.
 *
 * @param platformMessageId the platform's own id (for the portal: the client's message id); with the
 *     conversation it is the deduplication key, so a redelivered message is processed once
 */
public record InboundMessage(
    String id,
    String agentId,
    String platform,
    String conversationId,
    String senderId,
    String senderName,
    String text,
    long timestamp,
    String platformMessageId,
    JsonObject metadata) {

  public InboundMessage {
    metadata = metadata == null ? new JsonObject() : metadata;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("agent_id", agentId)
        .put("platform", platform)
        .put("conversation_id", conversationId)
        .put("sender_id", senderId)
        .put("sender_name", senderName)
        .put("text", text)
        .put("timestamp", timestamp)
        .put("platform_message_id", platformMessageId)
        .put("metadata", metadata);
  }

  public static InboundMessage fromJson(JsonObject json) {
    return new InboundMessage(
        json.getString("id"),
        json.getString("agent_id"),
        json.getString("platform"),
        json.getString("conversation_id"),
        json.getString("sender_id"),
        json.getString("sender_name"),
        json.getString("text"),
        json.getLong("timestamp", 0L),
        json.getString("platform_message_id"),
        json.getJsonObject("metadata"));
  }
}
