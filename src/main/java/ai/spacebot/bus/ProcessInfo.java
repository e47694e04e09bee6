package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * One row of the cortex's process table, built from the lifecycle events: what runs, for which channel,
 * since when, what it last said ({@code status}) and when it last made progress.
 */
public record ProcessInfo(String processId, ProcessKind kind, String agentId, String channelId, String task,
    String status, long startedAt, long lastProgressAt, boolean waitingForInput) {
  public JsonObject toJson() {
    return new JsonObject().put("process_id", processId).put("kind", kind.wire()).put("agent_id", agentId)
        .put("channel_id", channelId).put("task", task).put("status", status).put("started_at", startedAt)
        .put("last_progress_at", lastProgressAt).put("waiting_for_input", waitingForInput);
  }

  public static ProcessInfo fromJson(JsonObject j) {
    return new ProcessInfo(j.getString("process_id"), ProcessKind.fromWire(j.getString("kind")), j.getString("agent_id"),
        j.getString("channel_id"), j.getString("task"), j.getString("status"), j.getLong("started_at", 0L),
        j.getLong("last_progress_at", 0L), j.getBoolean("waiting_for_input", false));
  }
}
