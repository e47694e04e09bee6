package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#typing(String)} when a channel's turn starts ({@code on}) and when it ends or
 * fails: the platform's adapter shows "typing…" and refreshes it until then.
 */
public record TypingSignal(String agentId, String conversationId, boolean on) {
  public JsonObject toJson() {
    return new JsonObject().put("agent_id", agentId).put("conversation_id", conversationId).put("on", on);
  }

  public static TypingSignal fromJson(JsonObject json) {
    return new TypingSignal(json.getString("agent_id"), json.getString("conversation_id"), json.getBoolean("on", false));
  }
}
