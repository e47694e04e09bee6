package ai.spacebot.config;

/** One agent: its id (used in conversation ids and the data dir), display name, resolved models and budget. */
public record AgentConfig(String id, String name, Routing routing, BudgetSettings budget) {
  public AgentConfig(String id, String name, Routing routing) {
    this(id, name, routing, BudgetSettings.NONE);
  }
}
