package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/** A channel's context size after a turn, sent to the Compactor ({@link Addresses#COMPACTOR_CHECK}). */
public record CompactionCheck(String agentId, String channelId, long estimatedTokens, int messages) {
  public JsonObject toJson() {
    return new JsonObject().put("agent_id", agentId).put("channel_id", channelId)
        .put("estimated_tokens", estimatedTokens).put("messages", messages);
  }

  public static CompactionCheck fromJson(JsonObject j) {
    return new CompactionCheck(j.getString("agent_id"), j.getString("channel_id"), j.getLong("estimated_tokens", 0L),
        j.getInteger("messages", 0));
  }
}
