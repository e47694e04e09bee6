package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Starts a branch. {@code history} is the channel's history at fork time as LangChain4j's JSON form of
 * chat messages (already cut to fit the window); {@code replyTo} is the channel inbox for the result.
 * {@code tools} names the tools the turn that started the branch may cause (its sender's role): the branch offers
 * only those; null (a start from before roles) means every tool, and the channel still checks a branch's
 * {@code spawn_worker} against the role it recorded.
 */
public record BranchStart(String branchId, String agentId, String channelId, String description, String model,
    JsonArray history, String replyTo, JsonArray tools) {
  public BranchStart(String branchId, String agentId, String channelId, String description, String model,
      JsonArray history, String replyTo) {
    this(branchId, agentId, channelId, description, model, history, replyTo, null);
  }

  /** Whether the branch may offer {@code tool}. */
  public boolean allows(String tool) {
    return tools == null || tools.contains(tool);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("branch_id", branchId).put("agent_id", agentId).put("channel_id", channelId)
        .put("description", description).put("model", model).put("history", history).put("reply_to", replyTo);
    if (tools != null) {
      json.put("tools", tools);
    }
    return json;
  }

  public static BranchStart fromJson(JsonObject j) {
    return new BranchStart(j.getString("branch_id"), j.getString("agent_id"), j.getString("channel_id"),
        j.getString("description"), j.getString("model"), j.getJsonArray("history", new JsonArray()), j.getString("reply_to"),
        j.getJsonArray("tools"));
  }
}
