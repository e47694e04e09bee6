package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Something an agent sends to a conversation through a platform adapter.
 *
 * @param kind {@code message} or {@code reaction} (then {@code text} is the emoji)
 * @param inReplyTo our id of the inbound message this answers (or reacts to), or null
 * @param idempotencyKey stable across retries and restarts, so an adapter can refuse a second delivery
 * @param replyToPlatformId the platform's id of that inbound message: the adapter replies to (or reacts on) it
 * @param threadName open a thread of this name for the reply (platforms with threads), or null
 * @param rich structured parts the adapter renders natively where it can ({@link RichReply}), or null
 * @param files workspace-relative paths of files to send with the message
 * @param deliveredParts platform ids of the steps (parts) earlier attempts delivered already, in order: a retry skips them, so
 *     each part of a split message is delivered once
 */
public record OutboundMessage(
    String id,
    String kind,
    String agentId,
    String platform,
    String conversationId,
    String text,
    String inReplyTo,
    String idempotencyKey,
    String replyToPlatformId,
    String threadName,
    JsonObject rich,
    List<String> files,
    List<String> deliveredParts) {

  public static final String MESSAGE = "message";
  public static final String REACTION = "reaction";

  public OutboundMessage {
    files = files == null ? List.of() : List.copyOf(files);
    deliveredParts = deliveredParts == null ? List.of() : List.copyOf(deliveredParts);
  }

  public OutboundMessage(String id, String kind, String agentId, String platform, String conversationId, String text,
      String inReplyTo, String idempotencyKey) {
    this(id, kind, agentId, platform, conversationId, text, inReplyTo, idempotencyKey, null, null, null, List.of(),
        List.of());
  }

  /** This message with the steps an attempt delivered (all of them so far, in order). */
  public OutboundMessage withDeliveredParts(List<String> parts) {
    if (parts.size() <= deliveredParts.size()) {
      return this;
    }
    return new OutboundMessage(id, kind, agentId, platform, conversationId, text, inReplyTo, idempotencyKey,
        replyToPlatformId, threadName, rich, files, parts);
  }

  public OutboundMessage withReplyTarget(String platformId) {
    return new OutboundMessage(id, kind, agentId, platform, conversationId, text, inReplyTo, idempotencyKey,
        platformId, threadName, rich, files, deliveredParts);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("kind", kind)
        .put("agent_id", agentId)
        .put("platform", platform)
        .put("conversation_id", conversationId)
        .put("text", text)
        .put("in_reply_to", inReplyTo)
        .put("idempotency_key", idempotencyKey);
    if (replyToPlatformId != null) {
      json.put("reply_to_platform_id", replyToPlatformId);
    }
    if (threadName != null) {
      json.put("thread_name", threadName);
    }
    if (rich != null) {
      json.put("rich", rich);
    }
    if (!files.isEmpty()) {
      json.put("files", new JsonArray(files));
    }
    if (!deliveredParts.isEmpty()) {
      json.put("delivered_parts", new JsonArray(deliveredParts));
    }
    return json;
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
        json.getString("idempotency_key"),
        json.getString("reply_to_platform_id"),
        json.getString("thread_name"),
        json.getJsonObject("rich"),
        strings(json.getJsonArray("files")),
        strings(json.getJsonArray("delivered_parts")));
  }

  private static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }
}
