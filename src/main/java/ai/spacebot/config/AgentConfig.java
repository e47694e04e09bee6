package ai.spacebot.config;

/**
 * One agent: its id (used in conversation ids and the data dir), display name, resolved models, budget, and which
 * tools each group of senders may cause ({@link Permissions}).
 */
public record AgentConfig(String id, String name, Routing routing, BudgetSettings budget, Permissions permissions) {
  public AgentConfig {
    permissions = permissions == null ? Permissions.DEFAULTS : permissions;
  }

  public AgentConfig(String id, String name, Routing routing, BudgetSettings budget) {
    this(id, name, routing, budget, null);
  }

  public AgentConfig(String id, String name, Routing routing) {
    this(id, name, routing, BudgetSettings.NONE);
  }
}
