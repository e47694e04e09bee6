package ai.spacebot.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One remembered thing, with its provenance.
 *
 * @param sourceMessageIds the transcript messages it came from
 * @param humanId for {@link MemoryType#HUMAN}: the person this is the anchor memory of
 */
public record Memory(
    String id,
    String agentId,
    String content,
    MemoryType type,
    double importance,
    long createdAt,
    long updatedAt,
    long lastAccessedAt,
    int accessCount,
    boolean forgotten,
    String source,
    String channelId,
    List<String> sourceMessageIds,
    String humanId) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("agent_id", agentId)
        .put("content", content)
        .put("memory_type", type.wireName())
        .put("importance", importance)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt)
        .put("last_accessed_at", lastAccessedAt)
        .put("access_count", accessCount)
        .put("forgotten", forgotten)
        .put("source", source)
        .put("channel_id", channelId)
        .put("source_message_ids", new JsonArray(sourceMessageIds))
        .put("human_id", humanId);
  }
}
