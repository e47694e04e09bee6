package ai.spacebot.memory;

import ai.spacebot.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory service on the bus: the HTTP API (and later branch tools) reach the store only through
 * these addresses, so memory can live on another node. Bad requests fail with code 400 and a message
 * naming the field; a missing memory with 404. The store is shared by all instances and closed by the application, not here.
 */
public final class MemoryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MemoryVerticle.class);
  /** Per-pass bounds from the design: merge at most 500 memories, create at most 100 edges. */
  public static final int MERGE_PER_PASS = 500;
  public static final int LINKS_PER_PASS = 100;

  private final MemoryStore store;

  public MemoryVerticle(MemoryStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(Addresses.MEMORY_SAVE, m -> handle(m, this::save)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_GET, m -> handle(m, this::get)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_LIST, m -> handle(m, this::list)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_SEARCH, m -> handle(m, this::search)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_FORGET, m -> handle(m, this::forget)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_GRAPH, m -> handle(m, this::graph)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_CONSOLIDATE, m -> handle(m, this::consolidate)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_IMPORT, m -> handle(m, this::importBatch)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_REINDEX, m -> handle(m, this::reindex)).completion(),
        bus.<JsonObject>consumer(Addresses.MEMORY_MAINTAIN, m -> handle(m, this::maintain)).completion()));
  }

  private void handle(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> op) {
    Future<JsonObject> result;
    try {
      result = op.apply(msg.body());
    } catch (IllegalArgumentException | ClassCastException e) {
      result = Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      if (err instanceof NotFound) {
        msg.fail(404, err.getMessage());
      } else if (err instanceof IllegalArgumentException) {
        msg.fail(400, err.getMessage());
      } else {
        log.error("Memory operation on {} failed", msg.address(), err);
        msg.fail(500, "memory operation failed");
      }
    });
  }

  private Future<JsonObject> save(JsonObject b) {
    return store.save(newMemory(b, b.getString("agent_id"))).map(r -> new JsonObject().put("memory", r.memory().toJson())
        .put("merged", r.merged()).put("consolidation_candidates", new JsonArray(r.consolidationCandidates())));
  }

  private static NewMemory newMemory(JsonObject b, String agentId) {
    List<NewMemory.Association> associations = new ArrayList<>();
    JsonArray raw = b.getJsonArray("associations", new JsonArray());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject a = raw.getJsonObject(i);
      String target = a.getString("target_id");
      if (target == null || target.isBlank()) {
        throw new IllegalArgumentException("associations[" + i + "].target_id is required");
      }
      associations.add(new NewMemory.Association(target, RelationType.parse(a.getString("relation_type", "related_to")),
          a.getDouble("weight", 0.5)));
    }
    List<String> sources = b.getJsonArray("source_message_ids", new JsonArray()).stream().map(String::valueOf).toList();
    return new NewMemory(agentId, b.getString("content"), MemoryType.parse(b.getString("memory_type", "fact")),
        b.getDouble("importance"), b.getString("source"), b.getString("channel_id"), sources, b.getString("human_id"), associations);
  }

  private Future<JsonObject> importBatch(JsonObject b) {
    String agentId = b.getString("agent_id");
    JsonArray raw = b.getJsonArray("memories");
    List<NewMemory> batch = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      try {
        batch.add(newMemory(raw.getJsonObject(i), agentId));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("memories[" + i + "]: " + e.getMessage());
      }
    }
    return store.saveAll(batch).map(results -> new JsonObject().put("imported", results.size())
        .put("merged", results.stream().filter(MemoryStore.SaveResult::merged).count())
        .put("ids", new JsonArray(results.stream().map(r -> r.memory().id()).toList())));
  }

  private Future<JsonObject> reindex(JsonObject b) {
    String progressAddress = b.getString("progress_address");
    MemoryStore.Progress progress = progressAddress == null ? MemoryStore.Progress.NONE
        : (done, total) -> vertx.eventBus().send(progressAddress, new JsonObject().put("done", done).put("total", total));
    return store.reindex(b.getString("agent_id"), progress).map(n -> new JsonObject().put("reindexed", n));
  }

  /** The passes in their sensible order: decay before prune, merge before linking what is left. */
  private Future<JsonObject> maintain(JsonObject b) {
    String agentId = b.getString("agent_id");
    List<Object> passes = b.getJsonArray("passes", new JsonArray()).getList();
    JsonObject out = new JsonObject();
    long now = System.currentTimeMillis();
    Future<Void> chain = Future.succeededFuture();
    if (passes.contains("decay")) {
      chain = chain.compose(v -> store.decay(agentId, now).map(n -> { out.put("decayed", n); return null; }));
    }
    if (passes.contains("prune")) {
      chain = chain.compose(v -> store.prune(agentId, now).map(n -> { out.put("pruned", n); return null; }));
    }
    if (passes.contains("merge")) {
      chain = chain.compose(v -> store.mergeNearDuplicates(agentId, MERGE_PER_PASS).map(n -> { out.put("merged", n); return null; }));
    }
    if (passes.contains("associate")) {
      chain = chain.compose(v -> store.associate(agentId, LINKS_PER_PASS).map(n -> { out.put("associated", n); return null; }));
    }
    return chain.map(out);
  }

  private Future<JsonObject> get(JsonObject b) {
    return store.get(b.getString("id")).compose(m -> m.isPresent() && !m.get().forgotten()
        ? Future.succeededFuture(new JsonObject().put("memory", m.get().toJson()))
        : Future.failedFuture(new NotFound("memory " + b.getString("id") + " does not exist")));
  }

  /** A well-formed request for a memory that is not there (HTTP 404). */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private Future<JsonObject> list(JsonObject b) {
    String type = b.getString("memory_type");
    return store.list(b.getString("agent_id"), type == null ? null : MemoryType.parse(type), b.getInteger("limit", 50),
            b.getInteger("offset", 0))
        .map(ms -> new JsonObject().put("memories", new JsonArray(ms.stream().map(Memory::toJson).toList())));
  }

  private Future<JsonObject> search(JsonObject b) {
    String type = b.getString("memory_type");
    RecallQuery q = new RecallQuery(b.getString("agent_id"), b.getString("query"), b.getInteger("limit", RecallQuery.DEFAULT_MAX),
        RecallQuery.Mode.parse(b.getString("mode")), type == null ? null : MemoryType.parse(type));
    return store.recall(q).map(rs -> new JsonObject().put("results", new JsonArray(rs.stream().map(ScoredMemory::toJson).toList())));
  }

  private Future<JsonObject> consolidate(JsonObject b) {
    String survivor = b.getString("survivor_id");
    JsonArray absorbed = b.getJsonArray("absorbed_ids");
    if (survivor == null || survivor.isBlank() || absorbed == null || absorbed.isEmpty()) {
      throw new IllegalArgumentException("survivor_id and a non-empty absorbed_ids are required");
    }
    return store.consolidate(b.getString("agent_id"), survivor, absorbed.stream().map(String::valueOf).toList())
        .map(m -> new JsonObject().put("memory", m.toJson()));
  }

  private Future<JsonObject> forget(JsonObject b) {
    return store.forget(b.getString("id")).compose(done -> done ? Future.succeededFuture(new JsonObject().put("forgotten", true))
        : Future.failedFuture(new NotFound("memory " + b.getString("id") + " does not exist")));
  }

  private Future<JsonObject> graph(JsonObject b) {
    return store.graph(b.getString("agent_id"), b.getString("id"), b.getInteger("depth", 1)).map(g -> new JsonObject()
        .put("nodes", new JsonArray(g.nodes().stream().map(Memory::toJson).toList()))
        .put("edges", new JsonArray(g.edges().stream().map(e -> new JsonObject().put("source_id", e.sourceId())
            .put("target_id", e.targetId()).put("relation_type", e.relation().wireName()).put("weight", e.weight())).toList())));
  }
}
