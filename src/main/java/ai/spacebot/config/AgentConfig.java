package ai.spacebot.config;

/** One agent: its id (used in conversation ids and the data dir), display name and resolved models. */
public record AgentConfig(String id, String name, Routing routing) {}
