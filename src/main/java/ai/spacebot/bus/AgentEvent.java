package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * What the processes report, published on {@link Addresses#EVENTS} and streamed by {@code /api/events}.
 * The wire form is {@code {"type": ..., "agent_id": ..., "channel_id": ..., ...fields}}.
 */
public sealed interface AgentEvent {
  String agentId();

  String channelId();

  String type();

  /** The event's own fields, without type, agent_id and channel_id. */
  JsonObject fields();

  default JsonObject toJson() {
    return new JsonObject()
        .put("type", type())
        .put("agent_id", agentId())
        .put("channel_id", channelId())
        .mergeIn(fields());
  }

  record InboundMessageEvent(
      String agentId, String channelId, String messageId, String senderId, String senderName, String text)
      implements AgentEvent {
    public String type() {
      return "inbound_message";
    }

    public JsonObject fields() {
      return new JsonObject()
          .put("message_id", messageId)
          .put("sender_id", senderId)
          .put("sender_name", senderName)
          .put("text", text);
    }
  }

  record TypingState(String agentId, String channelId, boolean isTyping) implements AgentEvent {
    public String type() {
      return "typing_state";
    }

    public JsonObject fields() {
      return new JsonObject().put("is_typing", isTyping);
    }
  }

  record OutboundDelta(String agentId, String channelId, String textDelta, String aggregatedText)
      implements AgentEvent {
    public String type() {
      return "outbound_message_delta";
    }

    public JsonObject fields() {
      return new JsonObject().put("text_delta", textDelta).put("aggregated_text", aggregatedText);
    }
  }

  record OutboundMessageEvent(String agentId, String channelId, String messageId, String text, String inReplyTo)
      implements AgentEvent {
    public String type() {
      return "outbound_message";
    }

    public JsonObject fields() {
      return new JsonObject().put("message_id", messageId).put("text", text).put("in_reply_to", inReplyTo);
    }
  }

  record Reaction(String agentId, String channelId, String emoji, String messageId) implements AgentEvent {
    public String type() {
      return "reaction";
    }

    public JsonObject fields() {
      return new JsonObject().put("emoji", emoji).put("message_id", messageId);
    }
  }

  record ToolStarted(String agentId, String channelId, String processId, String toolName, String callId, String args)
      implements AgentEvent {
    public String type() {
      return "tool_started";
    }

    public JsonObject fields() {
      return new JsonObject()
          .put("process_id", processId)
          .put("tool_name", toolName)
          .put("call_id", callId)
          .put("args", args);
    }
  }

  record ToolCompleted(
      String agentId, String channelId, String processId, String toolName, String callId, String result, boolean isError)
      implements AgentEvent {
    public String type() {
      return "tool_completed";
    }

    public JsonObject fields() {
      return new JsonObject()
          .put("process_id", processId)
          .put("tool_name", toolName)
          .put("call_id", callId)
          .put("result", result)
          .put("is_error", isError);
    }
  }

  record Error(String agentId, String channelId, String message) implements AgentEvent {
    public String type() {
      return "error";
    }

    public JsonObject fields() {
      return new JsonObject().put("message", message);
    }
  }
}
