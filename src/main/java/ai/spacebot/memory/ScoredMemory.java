package ai.spacebot.memory;

import io.vertx.core.json.JsonObject;

/** A recall result: the memory and its fused score. */
public record ScoredMemory(Memory memory, double score) {
  public JsonObject toJson() {
    return memory.toJson().put("score", score);
  }
}
