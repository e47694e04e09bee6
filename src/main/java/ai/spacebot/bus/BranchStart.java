package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Starts a branch. {@code history} is the channel's history at fork time as LangChain4j's JSON form of
 * chat messages (already cut to fit the window); {@code replyTo} is the channel inbox for the result.
 */
public record BranchStart(String branchId, String agentId, String channelId, String description, String model,
    JsonArray history, String replyTo) {
  public JsonObject toJson() {
    return new JsonObject().put("branch_id", branchId).put("agent_id", agentId).put("channel_id", channelId)
        .put("description", description).put("model", model).put("history", history).put("reply_to", replyTo);
  }

  public static BranchStart fromJson(JsonObject j) {
    return new BranchStart(j.getString("branch_id"), j.getString("agent_id"), j.getString("channel_id"),
        j.getString("description"), j.getString("model"), j.getJsonArray("history", new JsonArray()), j.getString("reply_to"));
  }
}
