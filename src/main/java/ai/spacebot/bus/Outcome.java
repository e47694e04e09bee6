package ai.spacebot.bus;

/** How a branch or worker ended. */
public enum Outcome {
  /** Finished its task. */
  SUCCESS,
  /** Ran out of segments (or turns) before finishing; the result says how far it got. */
  PARTIAL,
  /** Stopped by {@code cancel}, the API, or the cortex. */
  CANCELLED,
  /** Ran past its wall clock. */
  TIMEOUT,
  /** The model or a tool failed in a way it could not recover from. */
  FAILED;

  public String wire() {
    return name().toLowerCase();
  }

  /** How a result is headed in the channel's history, e.g. "Success". */
  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase();
  }

  public static Outcome fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
