package ai.spacebot.memory.postgres;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore.SaveResult;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writing new memories, one or a batch, through a single path: a human's memories merge into the
 * anchor of that human (existing, or created earlier in the same batch), the rest become rows. All
 * final texts are embedded in one call, then everything is written in one transaction.
 */
final class PgSaves {
  private static final double NEAR_DUPLICATE = 0.95;
  private static final int TYPE_CROWDED = 200;
  /** Each failed attempt means another save of that human landed, so n concurrent saves need at most n. */
  private static final int ATTEMPTS = 5;
  private static final String INSERT = "INSERT INTO memories(id, agent_id, content, memory_type, importance, created_at, updated_at, "
      + "last_accessed_at, source, channel_id, source_message_ids, human_id, embedding) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7, $8, $9, $10, $11::vector)";
  private static final String EDGE = "INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_id, target_id, relation_type) DO UPDATE SET weight = excluded.weight";

  private final Pool pool;
  private final Embeddings embeddings;

  PgSaves(Pool pool, Embeddings embeddings) {
    this.pool = pool;
    this.embeddings = embeddings;
  }

  /** A result and the embedding stored for its row. */
  record Saved(SaveResult result, float[] vector) {}

  Future<List<Saved>> write(List<NewMemory> batch) {
    return attempt(batch, 1);
  }

  /** A concurrent save won a race for a human anchor; planning again from the new state resolves it. */
  private static final class Conflict extends RuntimeException {
    Conflict() {
      super(null, null, false, false);
    }
  }

  private Future<List<Saved>> attempt(List<NewMemory> batch, int attempt) {
    return checkTargets(pool, batch, false)
        .compose(v -> anchors(batch))
        .compose(anchors -> {
          Plan plan = new Plan(batch, anchors, System.currentTimeMillis());
          return embeddings.embedAll(plan.texts()).compose(vectors -> pool.withTransaction(conn -> store(conn, plan, vectors))
              .map(v -> plan.saved(vectors)));
        })
        .recover(err -> {
          boolean raced = err instanceof Conflict
              || err instanceof PgException pg && "23505".equals(pg.getSqlState()) && "memories_human_anchor".equals(pg.getConstraint());
          if (!raced) {
            return Future.failedFuture(err);
          }
          return attempt < ATTEMPTS ? attempt(batch, attempt + 1)
              : Future.failedFuture(new IllegalStateException("a human's memory kept changing during the save; try again"));
        });
  }

  private Future<Void> store(SqlConnection conn, Plan plan, List<float[]> vectors) {
    Future<Void> chain = checkTargets(conn, plan.batch, true);
    List<Tuple> inserts = new ArrayList<>();
    for (int i = 0; i < plan.rows.size(); i++) {
      Plan.Row row = plan.rows.get(i);
      String vector = PgRows.vector(vectors.get(i));
      if (row.existing == null) {
        NewMemory m = row.first;
        inserts.add(Tuple.of(row.id, m.agentId(), row.content, m.type().wireName(), row.importance, plan.now).addValue(m.source())
            .addValue(m.channelId()).addValue(PgRows.array(row.sources)).addValue(m.humanId()).addValue(vector));
      } else {
        // Compare-and-set on the content read at planning time: a merge that lost a race is planned again.
        chain = chain.compose(v -> conn.preparedQuery("UPDATE memories SET content = $1, importance = $2, updated_at = $3, "
                + "source_message_ids = $4, embedding = $5::vector, merge_checked_at = NULL, linked_at = NULL "
                + "WHERE id = $6 AND content = $7 AND NOT forgotten")
            .execute(Tuple.of(row.content, row.importance, plan.now, PgRows.array(row.sources), vector, row.id)
                .addValue(row.existing.content()))
            .compose(rs -> rs.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(new Conflict())));
      }
    }
    if (!inserts.isEmpty()) {
      chain = chain.compose(v -> conn.preparedQuery(INSERT).executeBatch(inserts).mapEmpty());
    }
    if (!plan.edges.isEmpty()) {
      chain = chain.compose(v -> conn.preparedQuery(EDGE).executeBatch(plan.edges).mapEmpty());
    }
    return chain;
  }

  /** An association may only point at a live memory of the same agent. */
  static Future<Void> checkTargets(SqlClient sql, List<NewMemory> batch, boolean lock) {
    Set<String> targets = new HashSet<>();
    batch.forEach(m -> m.associations().forEach(a -> targets.add(a.targetId())));
    if (targets.isEmpty()) {
      return Future.succeededFuture();
    }
    // FOR SHARE holds off a concurrent forget until the edges are committed.
    return sql.preparedQuery("SELECT id, agent_id FROM memories WHERE id = ANY($1) AND NOT forgotten" + (lock ? " FOR SHARE" : ""))
        .execute(Tuple.of(PgRows.array(new ArrayList<>(targets))))
        .compose(rows -> {
          Map<String, String> agentOf = new HashMap<>();
          rows.forEach(r -> agentOf.put(r.getString("id"), r.getString("agent_id")));
          for (NewMemory m : batch) {
            for (NewMemory.Association a : m.associations()) {
              if (!m.agentId().equals(agentOf.get(a.targetId()))) {
                return Future.failedFuture(new IllegalArgumentException("association target " + a.targetId() + " does not exist"));
              }
            }
          }
          return Future.succeededFuture();
        });
  }

  private Future<Map<String, Memory>> anchors(List<NewMemory> batch) {
    Set<String> agents = new HashSet<>();
    Set<String> humans = new HashSet<>();
    batch.stream().filter(m -> m.type() == MemoryType.HUMAN).forEach(m -> {
      agents.add(m.agentId());
      humans.add(m.humanId());
    });
    if (humans.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT " + PgRows.COLUMNS + " FROM memories WHERE memory_type = 'human' AND NOT forgotten "
            + "AND agent_id = ANY($1) AND human_id = ANY($2)")
        .execute(Tuple.of(PgRows.array(new ArrayList<>(agents)), PgRows.array(new ArrayList<>(humans))))
        .map(rows -> {
          Map<String, Memory> out = new HashMap<>();
          PgRows.memories(rows).forEach(m -> out.put(Plan.key(m.agentId(), m.humanId()), m));
          return out;
        });
  }

  /** Near-duplicates (cosine ≥ 0.95) and, when the type is crowded, its least important members. */
  Future<List<String>> advice(String agentId, MemoryType type, String id, float[] vector) {
    Future<List<String>> near = pool.preparedQuery("""
            WITH near AS MATERIALIZED (
              SELECT id, embedding <=> $1::vector AS distance FROM memories
              WHERE agent_id = $2 AND NOT forgotten AND id <> $3
              ORDER BY embedding <=> $1::vector LIMIT 4)
            SELECT id FROM near WHERE 1 - distance >= $4 ORDER BY distance""")
        .execute(Tuple.of(PgRows.vector(vector), agentId, id, NEAR_DUPLICATE)).map(PgRows::ids);
    Future<List<String>> crowded = pool.preparedQuery("SELECT count(*) AS n FROM memories WHERE agent_id = $1 AND memory_type = $2 "
            + "AND NOT forgotten").execute(Tuple.of(agentId, type.wireName()))
        .compose(rows -> rows.iterator().next().getLong("n") <= TYPE_CROWDED ? Future.succeededFuture(List.<String>of())
            : pool.preparedQuery("SELECT id FROM memories WHERE agent_id = $1 AND memory_type = $2 AND NOT forgotten AND id <> $3 "
                + "ORDER BY importance ASC, last_accessed_at ASC LIMIT 10").execute(Tuple.of(agentId, type.wireName(), id))
                .map(PgRows::ids));
    return Future.all(near, crowded).map(all -> {
      List<String> out = new ArrayList<>(near.result());
      crowded.result().stream().filter(x -> !out.contains(x)).forEach(out::add);
      return out;
    });
  }

  /** What a batch turns into: the rows to write (each with its final text) and each input's result. */
  private static final class Plan {
    final List<NewMemory> batch;
    final long now;
    final List<Row> rows = new ArrayList<>();
    final List<Tuple> edges = new ArrayList<>();
    private final List<Row> rowOf = new ArrayList<>();
    private final List<Boolean> merged = new ArrayList<>();

    /** One stored row: new, or an existing human anchor that this batch extends. */
    static final class Row {
      final String id;
      final NewMemory first;
      final Memory existing;
      String content;
      double importance;
      final List<String> sources;
      int index;

      Row(String id, NewMemory first, Memory existing, String content, double importance, List<String> sources) {
        this.id = id;
        this.first = first;
        this.existing = existing;
        this.content = content;
        this.importance = importance;
        this.sources = new ArrayList<>(sources);
      }

      void absorb(NewMemory m) {
        content = content + "\n" + m.content();
        importance = Math.max(importance, m.effectiveImportance());
        m.sourceMessageIds().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
      }
    }

    static String key(String agentId, String humanId) {
      return agentId + '\u0000' + humanId;
    }

    Plan(List<NewMemory> batch, Map<String, Memory> anchors, long now) {
      this.batch = batch;
      this.now = now;
      Map<String, Row> humans = new LinkedHashMap<>();
      for (NewMemory m : batch) {
        Row row = null;
        if (m.type() == MemoryType.HUMAN) {
          String key = key(m.agentId(), m.humanId());
          row = humans.get(key);
          Memory anchor = anchors.get(key);
          if (row == null && anchor != null) {
            row = add(new Row(anchor.id(), null, anchor, anchor.content(), anchor.importance(), anchor.sourceMessageIds()));
            humans.put(key, row);
          }
        }
        boolean wasMerged = row != null;
        if (wasMerged) {
          row.absorb(m);
        } else {
          row = add(new Row(UUID.randomUUID().toString(), m, null, m.content(), m.effectiveImportance(), m.sourceMessageIds()));
          if (m.type() == MemoryType.HUMAN) {
            humans.put(key(m.agentId(), m.humanId()), row);
          }
        }
        // A merged memory's associations become the anchor's edges, as in the embedded store's batch save.
        for (NewMemory.Association a : m.associations()) {
          edges.add(Tuple.of(row.id, a.targetId(), a.relation().wireName(), a.weight(), now));
        }
        rowOf.add(row);
        merged.add(wasMerged);
      }
    }

    private Row add(Row row) {
      row.index = rows.size();
      rows.add(row);
      return row;
    }

    /** The row as written: every input that went into one row reports the same memory. */
    private Memory memory(Row row) {
      Memory e = row.existing;
      NewMemory f = row.first;
      return e != null
          ? new Memory(e.id(), e.agentId(), row.content, e.type(), row.importance, e.createdAt(), now, e.lastAccessedAt(),
              e.accessCount(), false, e.source(), e.channelId(), List.copyOf(row.sources), e.humanId())
          : new Memory(row.id, f.agentId(), row.content, f.type(), row.importance, now, now, now, 0, false, f.source(),
              f.channelId(), List.copyOf(row.sources), f.humanId());
    }

    List<String> texts() {
      return rows.stream().map(r -> r.content).toList();
    }

    List<Saved> saved(List<float[]> vectors) {
      List<Saved> out = new ArrayList<>();
      for (int i = 0; i < rowOf.size(); i++) {
        Row row = rowOf.get(i);
        out.add(new Saved(new SaveResult(memory(row), merged.get(i), List.of()), vectors.get(row.index)));
      }
      return out;
    }
  }
}
