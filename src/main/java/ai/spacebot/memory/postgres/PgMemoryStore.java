package ai.spacebot.memory.postgres;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.memory.RecallQuery;
import ai.spacebot.memory.RelationType;
import ai.spacebot.memory.Rrf;
import ai.spacebot.memory.ScoredMemory;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Postgres memory backend: rows, edges and embeddings in one database shared by every node, with
 * pgvector's HNSW index for vector search and a generated tsvector for full text. Everything is
 * asynchronous on vertx-pg-client; embeddings run on worker threads. Behaves as the embedded store.
 */
public final class PgMemoryStore implements MemoryStore {
  private static final long DAY = 86_400_000L;

  private final Pool pool;
  private final Embeddings embeddings;
  private final PgSaves saves;
  private final PgRecall lists;
  private final PgPasses passes;

  /** The pool is the caller's: {@link #close()} leaves it open. */
  public PgMemoryStore(Pool pool, Embeddings embeddings) {
    this.pool = pool;
    this.embeddings = embeddings;
    this.saves = new PgSaves(pool, embeddings);
    this.lists = new PgRecall(pool);
    this.passes = new PgPasses(pool, embeddings);
  }

  @Override
  public Future<SaveResult> save(NewMemory memory) {
    return saves.write(List.of(memory)).compose(all -> {
      PgSaves.Saved s = all.get(0);
      Memory m = s.result().memory();
      return s.result().merged() ? Future.succeededFuture(s.result())
          : saves.advice(m.agentId(), m.type(), m.id(), s.vector()).map(advice -> new SaveResult(m, false, advice));
    });
  }

  @Override
  public Future<List<SaveResult>> saveAll(List<NewMemory> memories) {
    if (memories.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return saves.write(memories).map(all -> all.stream().map(PgSaves.Saved::result).toList());
  }

  @Override
  public Future<Optional<Memory>> get(String id) {
    return pool.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(PgRows.memory(rows.iterator().next())));
  }

  @Override
  public Future<Boolean> forget(String id) {
    return pool.preparedQuery("UPDATE memories SET forgotten = true, updated_at = $2 WHERE id = $1 AND NOT forgotten")
        .execute(Tuple.of(id, System.currentTimeMillis())).map(rs -> rs.rowCount() > 0);
  }

  @Override
  public Future<List<ScoredMemory>> recall(RecallQuery q) {
    return switch (q.mode()) {
      case RECENT -> listed(q, "created_at DESC, seq DESC");
      case IMPORTANT, TYPED -> listed(q, "importance DESC, created_at DESC, seq DESC");
      case HYBRID -> {
        int n = q.maxResults() * 2;
        // The full-text list and the graph walk it seeds run while the query is being embedded.
        Future<List<String>> text = lists.fulltext(q.agentId(), q.query(), n, q.type());
        Future<List<String>> near = embeddings.embed(q.query()).compose(vector -> lists.vector(q.agentId(), vector, n, q.type()));
        Future<List<String>> graph = text.compose(hits -> lists.graph(hits, q.type(), n));
        yield Future.all(text, near, graph).compose(x -> fused(q, List.of(text.result(), near.result(), graph.result())));
      }
      case FULLTEXT -> lists.fulltext(q.agentId(), q.query(), q.maxResults(), q.type()).compose(ids -> fused(q, List.of(ids)));
      case VECTOR -> embeddings.embed(q.query()).compose(vector -> lists.vector(q.agentId(), vector, q.maxResults(), q.type()))
          .compose(ids -> fused(q, List.of(ids)));
    };
  }

  /** RRF over the lists, the best {@code max} loaded (forgotten meanwhile: left out) and touched. */
  private Future<List<ScoredMemory>> fused(RecallQuery q, List<List<String>> ranked) {
    List<Rrf.Fused> all = Rrf.fuse(ranked);
    List<Rrf.Fused> top = all.subList(0, Math.min(q.maxResults(), all.size()));
    return PgRows.load(pool, top.stream().map(Rrf.Fused::id).toList()).map(byId -> {
      List<ScoredMemory> out = new ArrayList<>();
      for (Rrf.Fused f : top) {
        Memory m = byId.get(f.id());
        if (m != null && !m.forgotten()) {
          out.add(new ScoredMemory(m, f.score()));
        }
      }
      return out;
    }).compose(this::touch);
  }

  private Future<List<ScoredMemory>> listed(RecallQuery q, String order) {
    String typeFilter = q.type() == null ? "" : " AND memory_type = $3";
    Tuple args = Tuple.of(q.agentId(), q.maxResults());
    if (q.type() != null) {
      args.addString(q.type().wireName());
    }
    return pool.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE agent_id = $1 AND NOT forgotten" + typeFilter
            + " ORDER BY " + order + " LIMIT $2").execute(args)
        .map(rows -> {
          List<ScoredMemory> out = new ArrayList<>();
          int rank = 0;
          for (Row r : rows) {
            out.add(new ScoredMemory(PgRows.memory(r), 1.0 / (Rrf.K + ++rank)));
          }
          return out;
        })
        .compose(this::touch);
  }

  /** Recall counts as access: one statement for the whole result. */
  private Future<List<ScoredMemory>> touch(List<ScoredMemory> results) {
    if (results.isEmpty()) {
      return Future.succeededFuture(results);
    }
    Object ids = PgRows.array(results.stream().map(r -> r.memory().id()).toList());
    return pool.preparedQuery("UPDATE memories SET access_count = access_count + 1, last_accessed_at = $1 WHERE id = ANY($2)")
        .execute(Tuple.of(System.currentTimeMillis(), ids)).map(results);
  }

  @Override
  public Future<Memory> consolidate(String agentId, String survivorId, List<String> absorbedIds) {
    List<String> absorbed = absorbedIds.stream().filter(id -> !id.equals(survivorId)).distinct().toList();
    if (absorbed.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("absorbed_ids must name at least one memory other than the survivor"));
    }
    List<String> all = new ArrayList<>(absorbed);
    all.add(survivorId);
    long now = System.currentTimeMillis();
    // Locked rows: a concurrent forget or consolidation waits, so the check below stays true until commit.
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE id = ANY($1) FOR UPDATE")
        .execute(Tuple.of(PgRows.array(all)))
        .compose(rows -> {
          Map<String, Memory> found = new LinkedHashMap<>();
          PgRows.memories(rows).forEach(m -> found.put(m.id(), m));
          for (String id : all) {
            Memory m = found.get(id);
            if (m == null || m.forgotten() || !m.agentId().equals(agentId)) {
              return Future.failedFuture(new IllegalArgumentException("memory " + id + " does not exist"));
            }
          }
          List<Tuple> edges = absorbed.stream().map(id -> Tuple.of(id, survivorId, now)).toList();
          return conn.preparedQuery("UPDATE memories SET forgotten = true, updated_at = $2 WHERE id = ANY($1)")
              .execute(Tuple.of(PgRows.array(absorbed), now))
              .compose(v -> conn.preparedQuery("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) "
                  + "VALUES ($1, $2, 'updates', 0.5, $3) ON CONFLICT DO NOTHING").executeBatch(edges))
              .map(v -> found.get(survivorId));
        }));
  }

  @Override
  public Future<List<Memory>> top(String agentId, MemoryType type, int limit) {
    return pool.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE agent_id = $1 AND NOT forgotten AND memory_type = $2 "
            + "ORDER BY importance DESC, created_at DESC, seq DESC LIMIT $3").execute(Tuple.of(agentId, type.wireName(), limit))
        .map(PgRows::memories);
  }

  @Override
  public Future<Integer> decay(String agentId, long now) {
    // One statement: the factor is computed from the same row, so no reader sees half a pass.
    return pool.preparedQuery("""
            UPDATE memories SET importance = LEAST(1.0, importance
                  * (1.0 - LEAST(($1 - updated_at) / 86400000.0::float8 * 0.05, 0.5))
                  * CASE WHEN $1 - last_accessed_at <= $2 THEN 1.1 WHEN $1 - last_accessed_at > $3 THEN 0.9 ELSE 1.0 END)
            WHERE agent_id = $4 AND NOT forgotten AND memory_type <> 'identity'""")
        .execute(Tuple.of(now, 7 * DAY, 30 * DAY, agentId)).map(rs -> rs.rowCount());
  }

  /** One statement; the memories' edges go with them (ON DELETE CASCADE). */
  @Override
  public Future<Integer> prune(String agentId, long now) {
    return pool.preparedQuery("DELETE FROM memories WHERE agent_id = $1 AND memory_type <> 'identity' AND importance < 0.1 "
            + "AND created_at < $2").execute(Tuple.of(agentId, now - 30 * DAY)).map(rs -> rs.rowCount());
  }

  @Override
  public Future<Integer> reindex(String agentId, Progress progress) {
    return passes.reindex(agentId, progress);
  }

  @Override
  public Future<Integer> mergeNearDuplicates(String agentId, int limit) {
    return limit <= 0 ? Future.succeededFuture(0) : passes.merge(agentId, limit);
  }

  @Override
  public Future<Integer> associate(String agentId, int limit) {
    return limit <= 0 ? Future.succeededFuture(0) : passes.associate(agentId, limit);
  }

  @Override
  public Future<Map<MemoryType, Integer>> counts(String agentId) {
    return pool.preparedQuery("SELECT memory_type, count(*) AS n FROM memories WHERE agent_id = $1 AND NOT forgotten GROUP BY memory_type")
        .execute(Tuple.of(agentId)).map(rows -> {
          Map<MemoryType, Integer> out = new EnumMap<>(MemoryType.class);
          rows.forEach(r -> out.put(MemoryType.parse(r.getString("memory_type")), (int) (long) r.getLong("n")));
          return out;
        });
  }

  @Override
  public Future<List<Memory>> list(String agentId, MemoryType type, int limit, int offset) {
    String typeFilter = type == null ? "" : " AND memory_type = $4";
    Tuple args = Tuple.of(agentId, limit, offset);
    if (type != null) {
      args.addString(type.wireName());
    }
    return pool.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE agent_id = $1 AND NOT forgotten" + typeFilter
        + " ORDER BY created_at DESC, seq DESC LIMIT $2 OFFSET $3").execute(args).map(PgRows::memories);
  }

  @Override
  public Future<Graph> graph(String agentId, String id, int depth) {
    Map<String, Memory> nodes = new LinkedHashMap<>();
    Map<String, Edge> edges = new LinkedHashMap<>();
    return PgRows.load(pool, List.of(id)).compose(start -> {
      Memory root = start.get(id);
      if (root == null || root.forgotten() || !root.agentId().equals(agentId)) {
        return Future.failedFuture(new IllegalArgumentException("memory " + id + " does not exist"));
      }
      nodes.put(id, root);
      return expand(nodes, edges, List.of(id), depth);
    }).map(v -> new Graph(new ArrayList<>(nodes.values()), new ArrayList<>(edges.values())));
  }

  private Future<Void> expand(Map<String, Memory> nodes, Map<String, Edge> edges, List<String> frontier, int depth) {
    if (depth == 0 || frontier.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("SELECT source_id, target_id, relation_type, weight FROM memory_edges "
            + "WHERE source_id = ANY($1) OR target_id = ANY($1)").execute(Tuple.of(PgRows.array(frontier)))
        .compose(rows -> {
          List<Edge> found = new ArrayList<>();
          rows.forEach(r -> found.add(new Edge(r.getString("source_id"), r.getString("target_id"),
              RelationType.parse(r.getString("relation_type")), r.getDouble("weight"))));
          List<String> others = found.stream().flatMap(e -> Stream.of(e.sourceId(), e.targetId()))
              .filter(x -> !nodes.containsKey(x)).distinct().toList();
          return PgRows.load(pool, others).compose(loaded -> {
            loaded.values().stream().filter(m -> !m.forgotten()).forEach(m -> nodes.put(m.id(), m));
            for (Edge e : found) {
              if (nodes.containsKey(e.sourceId()) && nodes.containsKey(e.targetId())) {
                edges.put(e.sourceId() + "|" + e.targetId() + "|" + e.relation(), e);
              }
            }
            return expand(nodes, edges, others.stream().filter(nodes::containsKey).toList(), depth - 1);
          });
        });
  }

  /** Nothing of its own to close: the pool belongs to whoever opened the database. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
