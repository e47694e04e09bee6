package ai.spacebot.bus;

/** The background processes a channel starts. */
public enum ProcessKind {
  BRANCH, WORKER;

  public String wire() {
    return name().toLowerCase();
  }

  /** "Branch" or "Worker", as results are headed in a conversation. */
  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase();
  }

  public static ProcessKind fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
