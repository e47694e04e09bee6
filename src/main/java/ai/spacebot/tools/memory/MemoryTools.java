package ai.spacebot.tools.memory;

import static ai.spacebot.tools.ToolArguments.optionalString;
import static ai.spacebot.tools.ToolArguments.requiredString;

import ai.spacebot.bus.Addresses;
import ai.spacebot.tools.BusCall;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import ai.spacebot.tools.ToolSpecs;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * {@code memory_save}, {@code memory_recall}, {@code memory_delete}, {@code memory_consolidate}: the
 * memory service over the bus, for one agent; saves carry the channel they came from as provenance.
 */
public final class MemoryTools {
  private static final String TYPES = "identity, goal, human, decision, todo, preference, fact, event or observation";

  private MemoryTools() {}

  public static List<Tool> forAgent(EventBus bus, String agentId, String channelId) {
    return List.of(new Save(bus, agentId, channelId), new Recall(bus, agentId), new Delete(bus, agentId),
        new Consolidate(bus, agentId));
  }

  private record Save(EventBus bus, String agentId, String channelId) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecs.of("memory_save",
        "Save something worth remembering beyond this conversation: a fact, a decision, a preference, a person, a goal, a todo.",
        p -> p.addStringProperty("content", "The memory, self-contained: who/what, in one or a few sentences.")
            .addStringProperty("memory_type", "One of " + TYPES + ".")
            .addNumberProperty("importance", "0..1; leave out for the type's default.")
            .addStringProperty("source", "Where this came from, e.g. who said it.")
            .addProperty("associations", JsonArraySchema.builder().description("Links to existing memories.")
                .items(JsonObjectSchema.builder()
                    .addStringProperty("target_id", "Id of an existing memory.")
                    .addStringProperty("relation_type", "related_to, updates, contradicts, caused_by, result_of or part_of.")
                    .addNumberProperty("weight", "0..1")
                    .required("target_id", "relation_type").build()).build())
            .required("content", "memory_type"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      JsonObject body = new JsonObject().put("agent_id", agentId).put("channel_id", channelId)
          .put("content", requiredString(args, "content"))
          .put("memory_type", requiredString(args, "memory_type").toLowerCase(Locale.ROOT))
          .put("source", optionalString(args, "source"));
      Object importance = args.getValue("importance");
      if (importance != null && !(importance instanceof Number)) {
        return Future.succeededFuture(ToolOutput.error("Error: \"importance\" must be a number between 0 and 1"));
      }
      body.put("importance", importance);
      if (args.getValue("associations") instanceof JsonArray a) {
        body.put("associations", a);
      }
      return BusCall.request(bus, Addresses.MEMORY_SAVE, body, reply -> {
        JsonObject m = reply.getJsonObject("memory");
        StringBuilder out = new StringBuilder(reply.getBoolean("merged", false) ? "Merged into memory " : "Saved memory ")
            .append(m.getString("id")).append(" (").append(m.getString("memory_type")).append(", importance ")
            .append(m.getDouble("importance")).append(").");
        JsonArray similar = reply.getJsonArray("consolidation_candidates", new JsonArray());
        if (!similar.isEmpty()) {
          out.append(" Near-duplicates exist: ").append(similar.encode())
              .append(". Consider memory_consolidate to fold them into one.");
        }
        return ToolOutput.ok(out.toString());
      });
    }
  }

  private record Recall(EventBus bus, String agentId) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecs.of("memory_recall",
        "Search long-term memory. Hybrid search (words + meaning + links) unless a mode is given.",
        p -> p.addStringProperty("query", "What to look for.")
            .addIntegerProperty("max_results", "At most this many (default 10).")
            .addStringProperty("memory_type", "Only this type: " + TYPES + ".")
            .addProperty("mode", JsonStringSchema.builder()
                .description("hybrid (default), recent, important, typed, fulltext or vector").build())
            .required("query"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      Object max = args.getValue("max_results");
      if (max != null && !(max instanceof Number)) {
        return Future.succeededFuture(ToolOutput.error("Error: \"max_results\" must be a whole number"));
      }
      JsonObject body = new JsonObject().put("agent_id", agentId).put("query", requiredString(args, "query"))
          .put("limit", max == null ? 10 : Math.max(1, Math.min(50, ((Number) max).intValue())))
          .put("mode", optionalString(args, "mode")).put("memory_type", optionalString(args, "memory_type"));
      return BusCall.request(bus, Addresses.MEMORY_SEARCH, body, reply -> {
        JsonArray results = reply.getJsonArray("results", new JsonArray());
        if (results.isEmpty()) {
          return ToolOutput.ok("No memories found.");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
          JsonObject m = results.getJsonObject(i);
          out.append("- [").append(m.getString("id")).append("] (").append(m.getString("memory_type")).append(", ")
              .append(String.format(Locale.ROOT, "%.2f", m.getDouble("importance"))).append(") ")
              .append(m.getString("content")).append('\n');
        }
        return ToolOutput.ok(out.toString().strip());
      });
    }
  }

  private record Delete(EventBus bus, String agentId) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecs.of("memory_delete",
        "Forget a memory that is wrong or no longer wanted.",
        p -> p.addStringProperty("memory_id", "The memory's id.").required("memory_id"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      String id = requiredString(args, "memory_id");
      return BusCall.request(bus, Addresses.MEMORY_FORGET, new JsonObject().put("agent_id", agentId).put("id", id),
          reply -> ToolOutput.ok("Forgot memory " + id + "."));
    }
  }

  private record Consolidate(EventBus bus, String agentId) implements Tool {
    private static final ToolSpecification SPEC = ToolSpecs.of("memory_consolidate",
        "Fold near-duplicate memories into one: the absorbed ones are forgotten and linked to the survivor.",
        p -> p.addStringProperty("survivor_id", "The memory to keep.")
            .addProperty("absorbed_ids", JsonArraySchema.builder().items(JsonStringSchema.builder().build())
                .description("Memories folded into the survivor.").build())
            .required("survivor_id", "absorbed_ids"));

    public ToolSpecification specification() {
      return SPEC;
    }

    public Future<ToolOutput> execute(JsonObject args) {
      if (!(args.getValue("absorbed_ids") instanceof JsonArray absorbed) || absorbed.isEmpty()) {
        return Future.succeededFuture(ToolOutput.error("Error: \"absorbed_ids\" must be a non-empty list of memory ids"));
      }
      JsonObject body = new JsonObject().put("agent_id", agentId).put("survivor_id", requiredString(args, "survivor_id"))
          .put("absorbed_ids", absorbed);
      return BusCall.request(bus, Addresses.MEMORY_CONSOLIDATE, body,
          reply -> ToolOutput.ok("Consolidated " + absorbed.size() + " memories into " + body.getString("survivor_id") + "."));
    }
  }
}
