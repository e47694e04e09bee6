package ai.spacebot.memory;

import java.util.Locale;

/** Edge kinds between memories, with the weight multiplier the graph walk applies to each. */
public enum RelationType {
  RELATED_TO(1.0),
  UPDATES(1.5),
  CONTRADICTS(0.5),
  CAUSED_BY(1.3),
  RESULT_OF(1.3),
  PART_OF(0.8);

  private final double multiplier;

  RelationType(double multiplier) {
    this.multiplier = multiplier;
  }

  public double multiplier() {
    return multiplier;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RelationType parse(String name) {
    for (RelationType t : values()) {
      if (t.wireName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown relation_type \"" + name + "\"; use one of related_to, updates, "
        + "contradicts, caused_by, result_of, part_of");
  }
}
