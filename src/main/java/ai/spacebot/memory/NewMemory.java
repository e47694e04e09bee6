package ai.spacebot.memory;

import java.util.List;

/**
 * What a caller asks to remember.
 *
 * @param importance null for the type's default
 */
public record NewMemory(
    String agentId,
    String content,
    MemoryType type,
    Double importance,
    String source,
    String channelId,
    List<String> sourceMessageIds,
    String humanId,
    List<Association> associations) {

  /** An edge from the new memory to an existing one. */
  public record Association(String targetId, RelationType relation, double weight) {}

  public NewMemory {
    sourceMessageIds = sourceMessageIds == null ? List.of() : List.copyOf(sourceMessageIds);
    associations = associations == null ? List.of() : List.copyOf(associations);
    if (content == null || content.isBlank()) {
      throw new IllegalArgumentException("content must not be empty");
    }
    if (importance != null && (importance < 0 || importance > 1)) {
      throw new IllegalArgumentException("importance must be between 0 and 1");
    }
    if (type == MemoryType.HUMAN && (humanId == null || humanId.isBlank())) {
      throw new IllegalArgumentException("a human memory needs human_id");
    }
  }

  public double effectiveImportance() {
    return importance != null ? importance : type.defaultImportance();
  }
}
