package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * Something an agent sends to a conversation through a platform adapter.
 *
 * @param kind {@code message} or {@code reaction} (then {@code text} is the emoji)
 * @param idempotencyKey stable across retries and restarts, so an adapter can refuse a second delivery
 */
public record OutboundMessage(
    String id,
    String kind,
    String agentId,
    String platform,
    String conversationId,
    String text,
    String inReplyTo,
    String idempotencyKey) {

  public static final String MESSAGE = "message";
  public static final String REACTION = "reaction";

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("kind", kind)
        .put("agent_id", agentId)
        .put("platform", platform)
        .put("conversation_id", conversationId)
        .put("text", text)
        .put("in_reply_to", inReplyTo)
        .put("idempotency_key", idempotencyKey);
  }

  public static OutboundMessage fromJson(JsonObject json) {
    return new OutboundMessage(
        json.getString("id"),
        json.getString("kind", MESSAGE),
        json.getString("agent_id"),
        json.getString("platform"),
        json.getString("conversation_id"),
        json.getString("text"),
        json.getString("in_reply_to"),
        json.getString("idempotency_key"));
  }
}
