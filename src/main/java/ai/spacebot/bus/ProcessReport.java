package ai.spacebot.bus;

import io.vertx.core.json.JsonObject;

/**
 * What a branch or worker tells its channel (sent to the channel's inbox, {@link Addresses#channelInbox}).
 * Wire form: {@code {"type": "result"|"status"|"spawn_worker", "process_id", "kind", "agent_id", "channel_id", ...}}.
 */
public sealed interface ProcessReport {
  String processId();

  ProcessKind kind();

  String agentId();

  String channelId();

  JsonObject toJson();

  static ProcessReport fromJson(JsonObject j) {
    String processId = j.getString("process_id");
    ProcessKind kind = ProcessKind.fromWire(j.getString("kind"));
    String agent = j.getString("agent_id");
    String channel = j.getString("channel_id");
    return switch (j.getString("type")) {
      case "result" -> new Result(processId, kind, agent, channel, Outcome.fromWire(j.getString("outcome")),
          j.getString("text", ""), j.getBoolean("waiting_for_input", false));
      case "status" -> new Status(processId, kind, agent, channel, j.getString("status", ""));
      case "spawn_worker" -> new SpawnWorker(processId, kind, agent, channel, j.getString("task"),
          j.getBoolean("interactive", false));
      default -> throw new IllegalArgumentException("unknown process report type " + j.getString("type"));
    };
  }

  private static JsonObject base(String type, ProcessReport r) {
    return new JsonObject().put("type", type).put("process_id", r.processId()).put("kind", r.kind().wire())
        .put("agent_id", r.agentId()).put("channel_id", r.channelId());
  }

  /**
   * The process's conclusion. An interactive worker sends one each time it answers and then waits for
   * input ({@code waitingForInput}); every other result ends the process.
   */
  record Result(String processId, ProcessKind kind, String agentId, String channelId, Outcome outcome, String text,
      boolean waitingForInput) implements ProcessReport {
    public JsonObject toJson() {
      return base("result", this).put("outcome", outcome.wire()).put("text", text)
          .put("waiting_for_input", waitingForInput);
    }
  }

  /** A worker's {@code set_status} line, shown in the channel's status block. */
  record Status(String processId, ProcessKind kind, String agentId, String channelId, String status)
      implements ProcessReport {
    public JsonObject toJson() {
      return base("status", this).put("status", status);
    }
  }

  /**
   * A branch asks its channel to start a worker (the channel owns the per-channel caps). Request/reply:
   * the reply is {@code {worker_id}} or a failure with the reason the model should read.
   */
  record SpawnWorker(String processId, ProcessKind kind, String agentId, String channelId, String task,
      boolean interactive) implements ProcessReport {
    public JsonObject toJson() {
      return base("spawn_worker", this).put("task", task).put("interactive", interactive);
    }
  }
}
