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

  record BranchStarted(String agentId, String channelId, String branchId, String description) implements AgentEvent {
    public String type() {
      return "branch_started";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", branchId).put("branch_id", branchId).put("description", description);
    }
  }

  record BranchCompleted(String agentId, String channelId, String branchId, Outcome outcome, String conclusion)
      implements AgentEvent {
    public String type() {
      return "branch_completed";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", branchId).put("branch_id", branchId).put("outcome", outcome.wire())
          .put("conclusion", conclusion);
    }
  }

  record WorkerStarted(String agentId, String channelId, String workerId, String task, boolean interactive)
      implements AgentEvent {
    public String type() {
      return "worker_started";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", workerId).put("worker_id", workerId).put("task", task)
          .put("interactive", interactive);
    }
  }

  record WorkerStatus(String agentId, String channelId, String workerId, String status) implements AgentEvent {
    public String type() {
      return "worker_status";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", workerId).put("worker_id", workerId).put("status", status);
    }
  }

  /** {@code waitingForInput}: an interactive worker answered and waits for {@code route}; it is still running. */
  record WorkerCompleted(String agentId, String channelId, String workerId, Outcome outcome, String result,
      boolean waitingForInput) implements AgentEvent {
    public String type() {
      return "worker_completed";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", workerId).put("worker_id", workerId).put("outcome", outcome.wire())
          .put("result", result).put("waiting_for_input", waitingForInput);
    }
  }

  /** {@code level}: background, aggressive or emergency (see CompactionSettings). */
  record CompactionStarted(String agentId, String channelId, String level, double usage, int messages)
      implements AgentEvent {
    public String type() {
      return "compaction_started";
    }

    public JsonObject fields() {
      return new JsonObject().put("level", level).put("usage", usage).put("messages", messages);
    }
  }

  record CompactionCompleted(String agentId, String channelId, String level, int messagesRemoved, long tokensBefore,
      long tokensAfter, boolean summarized) implements AgentEvent {
    public String type() {
      return "compaction_completed";
    }

    public JsonObject fields() {
      return new JsonObject().put("level", level).put("messages_removed", messagesRemoved)
          .put("tokens_before", tokensBefore).put("tokens_after", tokensAfter).put("summarized", summarized);
    }
  }

  /** The cortex found a process without progress (or past its time) and cancels it. */
  record ProcessStuck(String agentId, String channelId, String processId, String kind, String reason)
      implements AgentEvent {
    public String type() {
      return "process_stuck";
    }

    public JsonObject fields() {
      return new JsonObject().put("process_id", processId).put("kind", kind).put("reason", reason);
    }
  }

  /** Memory maintenance ran (or failed, or paused) for an agent; {@code channel_id} is null. */
  record MaintenanceRan(String agentId, String channelId, String passes, boolean ok, String detail)
      implements AgentEvent {
    public String type() {
      return "memory_maintenance";
    }

    public JsonObject fields() {
      return new JsonObject().put("passes", passes).put("ok", ok).put("detail", detail);
    }
  }

  /** A model is skipped for a while: rate-limited past its retries, or out of quota/credit (operator-visible). */
  record ModelCooldown(String agentId, String channelId, String model, String reason, long untilMillis, boolean quota)
      implements AgentEvent {
    public String type() {
      return "model_cooldown";
    }

    public JsonObject fields() {
      return new JsonObject().put("model", model).put("reason", reason).put("until", untilMillis).put("quota", quota);
    }
  }

  /** A scope's spending reached {@code warn_at} of its daily budget; {@code channel_id} set for a conversation cap. */
  record BudgetWarning(String agentId, String channelId, double spentUsd, double budgetUsd) implements AgentEvent {
    public String type() {
      return "budget_warning";
    }

    public JsonObject fields() {
      return new JsonObject().put("spent_usd", spentUsd).put("budget_usd", budgetUsd);
    }
  }

  /** A scope reached its daily budget: no more model calls for it until {@code until}. */
  record BudgetExceeded(String agentId, String channelId, double spentUsd, double budgetUsd, long untilMillis)
      implements AgentEvent {
    public String type() {
      return "budget_exceeded";
    }

    public JsonObject fields() {
      return new JsonObject().put("spent_usd", spentUsd).put("budget_usd", budgetUsd).put("until", untilMillis);
    }
  }

  /**
   * A message to a person was withheld because it held a credential format ({@code pattern}, e.g.
   * {@code openai_api_key}); the person got a short notice instead. Never carries the value.
   *
   * @param where {@code reply} (the channel withheld it before storing it) or {@code delivery} (the outbox did)
   */
  record SecretLeakBlocked(String agentId, String channelId, String pattern, String where, String messageId)
      implements AgentEvent {
    public String type() {
      return "secret_leak_blocked";
    }

    public JsonObject fields() {
      return new JsonObject().put("pattern", pattern).put("where", where).put("message_id", messageId);
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
