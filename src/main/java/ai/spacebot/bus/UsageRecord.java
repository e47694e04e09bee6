package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * One model call, as the usage ledger stores it (sent to {@link Addresses#USAGE_RECORD}).
 *
 * @param processKind channel, branch, worker, compactor or cortex
 * @param model the {@code provider/model} that answered (or failed)
 * @param tier the complexity scorer's tier for a channel turn, else null
 * @param fallbackPosition 0 for the routed model, 1.. for its fallbacks in order
 * @param outcome {@code ok} or {@code failed}
 */
public record UsageRecord(String id, long timestamp, String agentId, String processKind, String processId,
    String conversationId, String model, long inputTokens, long outputTokens, long cachedTokens, long latencyMs,
    double costUsd, String tier, int fallbackPosition, String outcome, String error) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("timestamp", timestamp).put("agent_id", agentId)
        .put("process_kind", processKind).put("process_id", processId).put("conversation_id", conversationId)
        .put("model", model).put("input_tokens", inputTokens).put("output_tokens", outputTokens)
        .put("cached_tokens", cachedTokens).put("latency_ms", latencyMs).put("cost_usd", costUsd).put("tier", tier)
        .put("fallback_position", fallbackPosition).put("outcome", outcome).put("error", error);
  }

  public static UsageRecord fromJson(JsonObject j) {
    return new UsageRecord(j.getString("id"), j.getLong("timestamp", 0L), j.getString("agent_id"),
        j.getString("process_kind"), j.getString("process_id"), j.getString("conversation_id"), j.getString("model"),
        j.getLong("input_tokens", 0L), j.getLong("output_tokens", 0L), j.getLong("cached_tokens", 0L),
        j.getLong("latency_ms", 0L), j.getDouble("cost_usd", 0.0), j.getString("tier"),
        j.getInteger("fallback_position", 0), j.getString("outcome", "ok"), j.getString("error"));
  }
}
