package ai.spacebot.memory;

import java.util.Locale;

/** The kinds of memory, each with the importance it gets when none is given. */
public enum MemoryType {
  IDENTITY(1.0),
  GOAL(0.9),
  HUMAN(0.85),
  DECISION(0.8),
  TODO(0.8),
  PREFERENCE(0.7),
  FACT(0.6),
  EVENT(0.4),
  OBSERVATION(0.3);

  private final double defaultImportance;

  MemoryType(double defaultImportance) {
    this.defaultImportance = defaultImportance;
  }

  public double defaultImportance() {
    return defaultImportance;
  }

  /** The wire name: {@code fact}, {@code decision}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; throws {@link IllegalArgumentException} naming the allowed values. */
  public static MemoryType parse(String name) {
    for (MemoryType t : values()) {
      if (t.wireName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown memory_type \"" + name + "\"; use one of identity, goal, human, decision, "
        + "todo, preference, fact, event, observation");
  }
}
