package ai.spacebot.llm;

/**
 * Who is calling a model, so every call can be routed, budgeted and recorded: the agent, the process
 * (kind {@code channel|branch|worker|compactor|cortex} and id), the conversation, and the tier the
 * complexity scorer chose for a channel turn (null otherwise).
 */
public record CallContext(String agentId, String processKind, String processId, String conversationId, String tier) {
  public CallContext withTier(String tier) {
    return new CallContext(agentId, processKind, processId, conversationId, tier);
  }
}
