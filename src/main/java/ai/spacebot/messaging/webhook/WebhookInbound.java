package ai.spacebot.messaging.webhook;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.Binding;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.WebhookConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Reads a posted message ({@code {conversation_id, sender_id, sender_name?, text, message_id}}) into an
 * {@link InboundMessage}, or refuses it with a {@link Rejection} naming the field.
 *
 * <p>A webhook conversation has no @mentions and no group semantics: every message posted is addressed to the bot,
 * as in a direct message (a binding with {@code response_mode: observe} keeps them unanswered). The agent is the one of the first binding with {@code platform: webhook} whose
 * {@code webhook_id} and {@code chat_id} match (either may be {@code *} or left out), else the first agent.
 */
final class WebhookInbound {
  private final SpacebotConfig config;

  WebhookInbound(SpacebotConfig config) {
    this.config = config;
  }

  InboundMessage read(WebhookConfig webhook, String rawBody) {
    JsonObject body;
    try {
      body = rawBody == null || rawBody.isBlank() ? null : new JsonObject(rawBody);
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      throw Rejection.badRequest(null, "the body must be a JSON object {conversation_id, sender_id, sender_name, "
          + "text, message_id}");
    }
    String conversation = required(body, "conversation_id", 200);
    if (!WebhookTarget.CONVERSATION.matcher(conversation).matches()) {
      throw Rejection.badRequest("conversation_id", "conversation_id must be 1-200 of A-Z a-z 0-9 . _ : @ + -");
    }
    String senderId = required(body, "sender_id", 128);
    String senderName = optional(body, "sender_name", 100);
    String messageId = required(body, "message_id", 128);
    String text = required(body, "text", Integer.MAX_VALUE);
    long max = config.api().maxMessageBytes();
    if (text.getBytes(StandardCharsets.UTF_8).length > max) {
      throw new Rejection(413, "text", "text is larger than " + max + " bytes");
    }
    WebhookTarget target = new WebhookTarget(webhook.id(), conversation);
    Binding binding = config.messaging().bindingFor(WebhookTarget.PLATFORM, webhook.id(), conversation, false)
        .orElse(null);
    String agent = binding == null ? config.agents().get(0).id() : binding.agentId();
    boolean authority = webhook.authority().contains(senderId)
        || (binding != null && binding.authority().contains(senderId));
    boolean allowed = binding != null && binding.allowedUsers().contains(senderId);
    // Answered like a direct message, unless the binding only observes.
    String mode = binding == null ? Addressing.ACTIVE : binding.responseMode();
    Addressing addressing = new Addressing(!Addressing.OBSERVE.equals(mode), true, mode, false, authority, allowed);
    return new InboundMessage(UUID.randomUUID().toString(), agent, WebhookTarget.PLATFORM, target.conversationId(),
        senderId, senderName == null ? senderId : senderName, text, System.currentTimeMillis(), messageId,
        new JsonObject().put("webhook_id", webhook.id()).put("conversation", conversation), addressing, null,
        List.of()).withConversationName(webhook.id() + " " + conversation);
  }

  private static String required(JsonObject body, String field, int maxChars) {
    String value = optional(body, field, maxChars);
    if (value == null || value.isBlank()) {
      throw Rejection.badRequest(field, field + " is required (a non-empty string)");
    }
    return value;
  }

  private static String optional(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && !field.equals("text")) {
      value = n.toString(); // ids are often numbers in the other system
    }
    if (!(value instanceof String s)) {
      throw Rejection.badRequest(field, field + " must be a string");
    }
    if (s.length() > maxChars) {
      throw Rejection.badRequest(field, field + " must be at most " + maxChars + " characters");
    }
    if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r') && !field.equals("text")) {
      throw Rejection.badRequest(field, field + " must not hold control characters");
    }
    return s;
  }
}
