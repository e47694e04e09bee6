package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A message from a person (or the system) to an agent, as every adapter delivers it.
 *
 * @param senderId the sender's platform identity (Telegram user id, Discord user snowflake, ...); kept on every
 *     message so that roles and permissions can be decided from it
 * @param platformMessageId the platform's own id (for the portal: the client's message id); with the
 *     conversation it is the deduplication key, so a redelivered message is processed once
 * @param metadata platform details an adapter needs back when it answers (chat ids, thread ids); opaque to the rest
 * @param addressing how the message was addressed, which decides whether it gets a turn (see {@link Addressing})
 * @param replyTo the platform message id this message replies to, or null
 * @param conversationName the conversation's name as people see it on the platform (a Telegram chat's title,
 *     {@code #channel (Guild)} on Discord, the person's name in a direct chat), or null when the adapter does not
 *     know it; kept with the conversation for {@code GET /api/channels} and for naming a channel to send to
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
    JsonObject metadata,
    Addressing addressing,
    String replyTo,
    List<Attachment> attachments,
    String conversationName) {

  public InboundMessage {
    metadata = metadata == null ? new JsonObject() : metadata;
    addressing = addressing == null ? Addressing.DEFAULT : addressing;
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A message whose adapter does not name its conversation. */
  public InboundMessage(String id, String agentId, String platform, String conversationId, String senderId,
      String senderName, String text, long timestamp, String platformMessageId, JsonObject metadata,
      Addressing addressing, String replyTo, List<Attachment> attachments) {
    this(id, agentId, platform, conversationId, senderId, senderName, text, timestamp, platformMessageId, metadata,
        addressing, replyTo, attachments, null);
  }

  /** A message with default addressing, no reply and no attachments (the portal, system messages). */
  public InboundMessage(String id, String agentId, String platform, String conversationId, String senderId,
      String senderName, String text, long timestamp, String platformMessageId, JsonObject metadata) {
    this(id, agentId, platform, conversationId, senderId, senderName, text, timestamp, platformMessageId, metadata,
        Addressing.DEFAULT, null, List.of(), null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("agent_id", agentId)
        .put("platform", platform)
        .put("conversation_id", conversationId)
        .put("sender_id", senderId)
        .put("sender_name", senderName)
        .put("text", text)
        .put("timestamp", timestamp)
        .put("platform_message_id", platformMessageId)
        .put("metadata", metadata)
        .put("addressing", addressing.toJson());
    if (replyTo != null) {
      json.put("reply_to", replyTo);
    }
    if (!attachments.isEmpty()) {
      json.put("attachments", new JsonArray(attachments.stream().map(Attachment::toJson).toList()));
    }
    if (conversationName != null) {
      json.put("conversation_name", conversationName);
    }
    return json;
  }

  public static InboundMessage fromJson(JsonObject json) {
    JsonArray attachments = json.getJsonArray("attachments");
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
        json.getJsonObject("metadata"),
        Addressing.fromJson(json.getJsonObject("addressing")),
        json.getString("reply_to"),
        attachments == null ? List.of()
            : attachments.stream().map(o -> Attachment.fromJson((JsonObject) o)).toList(),
        json.getString("conversation_name"));
  }

  /** The same message with other text (an adapter that strips the bot's own @mention, a command's arguments). */
  public InboundMessage withText(String newText) {
    return new InboundMessage(id, agentId, platform, conversationId, senderId, senderName, newText, timestamp,
        platformMessageId, metadata, addressing, replyTo, attachments, conversationName);
  }

  /** The same message with its conversation's name (cut to 100 characters; blank is none). */
  public InboundMessage withConversationName(String name) {
    String n = name == null || name.isBlank() ? null : name.strip().replaceAll("\\p{Cntrl}", " ");
    n = n != null && n.length() > 100 ? n.substring(0, 100) : n;
    return new InboundMessage(id, agentId, platform, conversationId, senderId, senderName, text, timestamp,
        platformMessageId, metadata, addressing, replyTo, attachments, n);
  }
}
