package ai.spacebot.bus;

/** The background processes a channel starts. */
public enum ProcessKind {
  BRANCH, WORKER;

  public String wire() {
    return name().toLowerCase();
  }

  public static ProcessKind fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
