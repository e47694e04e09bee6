package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Starts a worker. {@code history} is the forked channel history (LangChain4j's JSON form of chat
 * messages), or empty for a clean worker that sees only its task.
 */
public record WorkerStart(String workerId, String agentId, String channelId, String task, boolean interactive,
    String model, JsonArray history, String replyTo) {
  public JsonObject toJson() {
    return new JsonObject().put("worker_id", workerId).put("agent_id", agentId).put("channel_id", channelId)
        .put("task", task).put("interactive", interactive).put("model", model).put("history", history)
        .put("reply_to", replyTo);
  }

  public static WorkerStart fromJson(JsonObject j) {
    return new WorkerStart(j.getString("worker_id"), j.getString("agent_id"), j.getString("channel_id"),
        j.getString("task"), j.getBoolean("interactive", false), j.getString("model"),
        j.getJsonArray("history", new JsonArray()), j.getString("reply_to"));
  }
}
