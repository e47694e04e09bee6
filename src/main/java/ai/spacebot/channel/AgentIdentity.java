package ai.spacebot.channel;

/** The three identity files of an agent, injected verbatim into its channel prompt. */
public record AgentIdentity(String soul, String identity, String role) {
  public static final String[] FILES = {"SOUL.md", "IDENTITY.md", "ROLE.md"};
  static final AgentIdentity EMPTY = new AgentIdentity("", "", "");
}
