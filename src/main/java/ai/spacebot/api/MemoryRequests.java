package ai.spacebot.api;

import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.RelationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Validation of memory request bodies. Each failure names the field, with its position when it sits
 * in an import batch ({@code memories[3].content}), so a client can fix exactly that entry.
 */
final class MemoryRequests {
  static final int MAX_IMPORT_BATCH = 1000;
  static final Set<String> PASSES = Set.of("decay", "prune", "merge", "associate");

  private MemoryRequests() {}

  /** One memory to save, checked and reduced to the fields the memory service reads. */
  static JsonObject memory(JsonObject body, String prefix, int maxContentChars) {
    JsonObject out = new JsonObject().put("content", string(body, prefix, "content", maxContentChars, true));
    String type = string(body, prefix, "memory_type", 32, false);
    if (type != null) {
      try {
        MemoryType.parse(type);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(prefix + "memory_type", e.getMessage());
      }
      out.put("memory_type", type);
    }
    for (String field : new String[] {"source", "channel_id", "human_id"}) {
      String value = string(body, prefix, field, 1000, false);
      if (value != null) {
        out.put(field, value);
      }
    }
    if (MemoryType.HUMAN.wireName().equals(type) && !out.containsKey("human_id")) {
      throw ApiError.badRequest(prefix + "human_id", prefix + "human_id is required for a human memory");
    }
    Object importance = body.getValue("importance");
    if (importance != null) {
      if (!(importance instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
        throw ApiError.badRequest(prefix + "importance", prefix + "importance must be a number between 0 and 1");
      }
      out.put("importance", n.doubleValue());
    }
    Object sources = body.getValue("source_message_ids");
    if (sources != null) {
      if (!(sources instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
        throw ApiError.badRequest(prefix + "source_message_ids", prefix + "source_message_ids must be a list of strings");
      }
      out.put("source_message_ids", sources);
    }
    Object associations = body.getValue("associations");
    if (associations != null) {
      if (!(associations instanceof JsonArray a)) {
        throw ApiError.badRequest(prefix + "associations", prefix + "associations must be a list of {target_id, relation_type, weight?}");
      }
      for (int i = 0; i < a.size(); i++) {
        association(a.getValue(i), prefix + "associations[" + i + "]");
      }
      out.put("associations", associations);
    }
    return out;
  }

  private static void association(Object value, String at) {
    if (!(value instanceof JsonObject a)) {
      throw ApiError.badRequest(at, at + " must be an object {target_id, relation_type, weight?}");
    }
    string(a, at + ".", "target_id", 64, true);
    String relation = string(a, at + ".", "relation_type", 32, false);
    if (relation != null) {
      try {
        RelationType.parse(relation);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(at + ".relation_type", e.getMessage());
      }
    }
    Object weight = a.getValue("weight");
    if (weight != null && (!(weight instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1)) {
      throw ApiError.badRequest(at + ".weight", at + ".weight must be a number between 0 and 1");
    }
  }

  /** The memories of an import batch: a non-empty list of at most {@link #MAX_IMPORT_BATCH}. */
  static JsonArray batch(JsonObject body, int maxContentChars) {
    Object value = body.getValue("memories");
    if (!(value instanceof JsonArray list) || list.isEmpty()) {
      throw ApiError.badRequest("memories", "memories must be a non-empty list of memories");
    }
    if (list.size() > MAX_IMPORT_BATCH) {
      throw ApiError.badRequest("memories", "at most " + MAX_IMPORT_BATCH + " memories per request; send several requests");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String at = "memories[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject m)) {
        throw ApiError.badRequest(at, at + " must be an object");
      }
      out.add(memory(m, at + ".", maxContentChars));
    }
    return out;
  }

  /** The maintenance passes asked for; all four when none are named. */
  static JsonArray passes(JsonObject body) {
    Object value = body.getValue("passes");
    if (value == null) {
      return new JsonArray().add("decay").add("prune").add("merge").add("associate");
    }
    if (!(value instanceof JsonArray list) || list.isEmpty() || list.stream().anyMatch(p -> !PASSES.contains(p))) {
      throw ApiError.badRequest("passes", "passes must be a non-empty list of: decay, prune, merge, associate");
    }
    return list;
  }

  private static String string(JsonObject body, String prefix, String field, int maxChars, boolean required) {
    Object value = body.getValue(field);
    String name = prefix + field;
    if (value == null) {
      if (required) {
        throw ApiError.badRequest(name, name + " is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw ApiError.badRequest(name, name + " must be a non-empty string");
    }
    if (s.length() > maxChars) {
      throw ApiError.badRequest(name, name + " must be at most " + maxChars + " characters");
    }
    return s;
  }
}
