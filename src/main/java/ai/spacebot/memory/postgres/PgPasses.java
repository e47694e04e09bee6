package ai.spacebot.memory.postgres;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryStore.Progress;
import ai.spacebot.memory.RelationType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maintenance over the stored embeddings: the merge pass, the association pass and reindexing.
 * The passes visit memories whose {@code merge_checked_at} / {@code linked_at} is unset, in batches;
 * each batch finds every candidate's nearest neighbours through the HNSW index in one query (a
 * lateral join) and writes in one transaction, under an advisory lock per agent so two passes never
 * decide on the same memories at once.
 */
final class PgPasses {
  private static final double NEAR_DUPLICATE = 0.95;
  private static final double RELATED = 0.85;
  private static final int CANDIDATES = 100;
  /** As the embedded store: a pass over a fresh import of 100k would run for minutes; the next pass goes on. */
  static final int SCAN_PER_PASS = 5000;
  private static final int NEIGHBOURS = 10;
  static final int REINDEX_BATCH = 256;

  private final Pool pool;
  private final Embeddings embeddings;

  PgPasses(Pool pool, Embeddings embeddings) {
    this.pool = pool;
    this.embeddings = embeddings;
  }

  /** A memory as the passes see it: ties are broken by age, then by insertion order. */
  private record Node(String id, double importance, long createdAt, long seq) {
    boolean olderThan(Node o) {
      return createdAt < o.createdAt || createdAt == o.createdAt && seq < o.seq;
    }
  }

  private record Pair(Node candidate, Node other, double cosine) {}

  /** What a batch did; {@code last} when the pass should stop (nothing pending, or its limit reached). */
  private record Batch(int done, int scanned, boolean last) {}

  private static Future<Void> lockAgent(SqlConnection conn, String agentId) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('spacebot.memory.passes'), hashtext($1))")
        .execute(Tuple.of(agentId)).mapEmpty();
  }

  private static Future<List<Node>> unvisited(SqlConnection conn, String agentId, String mark) {
    return conn.preparedQuery("SELECT id, importance, created_at, seq FROM memories WHERE agent_id = $1 AND NOT forgotten AND "
            + mark + " IS NULL ORDER BY seq LIMIT " + CANDIDATES)
        .execute(Tuple.of(agentId))
        .map(rows -> {
          List<Node> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Node(r.getString("id"), r.getDouble("importance"), r.getLong("created_at"), r.getLong("seq"))));
          return out;
        });
  }

  /**
   * Each candidate's neighbours at or above {@code threshold}, best first, candidates in insertion
   * order. The cosine is exact, from the stored vectors; the index only chooses whom to compare.
   */
  private static Future<Map<String, List<Pair>>> neighbours(SqlConnection conn, List<Node> candidates, double threshold,
      String otherFilter) {
    Map<String, Node> byId = new LinkedHashMap<>();
    candidates.forEach(c -> byId.put(c.id(), c));
    return conn.preparedQuery("""
            SELECT c.id, n.id AS other, n.importance, n.created_at, n.seq, n.cosine
            FROM memories c CROSS JOIN LATERAL (
              SELECT o.id, o.importance, o.created_at, o.seq, 1 - (o.embedding <=> c.embedding) AS cosine
              FROM memories o
              WHERE o.agent_id = c.agent_id AND NOT o.forgotten AND o.id <> c.id %s
              ORDER BY o.embedding <=> c.embedding LIMIT %d) n
            WHERE c.id = ANY($1) AND n.cosine >= $2
            ORDER BY c.seq, n.cosine DESC""".formatted(otherFilter, NEIGHBOURS))
        .execute(Tuple.of(PgRows.array(new ArrayList<>(byId.keySet())), threshold))
        .map(rows -> {
          Map<String, List<Pair>> out = new LinkedHashMap<>();
          byId.keySet().forEach(id -> out.put(id, new ArrayList<>()));
          for (Row r : rows) {
            Node other = new Node(r.getString("other"), r.getDouble("importance"), r.getLong("created_at"), r.getLong("seq"));
            out.get(r.getString("id")).add(new Pair(byId.get(r.getString("id")), other, r.getDouble("cosine")));
          }
          return out;
        });
  }

  private static Future<Void> mark(SqlConnection conn, String column, List<String> ids, long now) {
    return ids.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery("UPDATE memories SET " + column + " = $1 WHERE id = ANY($2)").execute(Tuple.of(now, PgRows.array(ids)))
            .mapEmpty();
  }

  // ---------------------------------------------------------------- merge pass

  Future<Integer> merge(String agentId, int limit) {
    return pass(agentId, limit, 0, 0, this::mergeBatch);
  }

  @FunctionalInterface
  private interface BatchStep {
    Future<Batch> apply(SqlConnection conn, String agentId, int budget);
  }

  /** Batch after batch, each its own transaction, until nothing is pending, the limit or the scan cap. */
  private Future<Integer> pass(String agentId, int limit, int done, int scanned, BatchStep step) {
    if (done >= limit || scanned >= SCAN_PER_PASS) {
      return Future.succeededFuture(done);
    }
    return pool.withTransaction(conn -> lockAgent(conn, agentId).compose(v -> step.apply(conn, agentId, limit - done)))
        .compose(b -> b.last() ? Future.succeededFuture(done + b.done())
            : pass(agentId, limit, done + b.done(), scanned + b.scanned(), step));
  }

  private Future<Batch> mergeBatch(SqlConnection conn, String agentId, int budget) {
    long now = System.currentTimeMillis();
    return unvisited(conn, agentId, "merge_checked_at").compose(candidates -> {
      if (candidates.isEmpty()) {
        return Future.succeededFuture(new Batch(0, 0, true));
      }
      // Identity memories are never absorbed, and neighbours share the candidate's type: skip them whole.
      return neighbours(conn, candidates, NEAR_DUPLICATE, "AND o.memory_type = c.memory_type AND c.memory_type <> 'identity'")
          .compose(pairs -> {
            Set<String> gone = new HashSet<>();
            List<String[]> absorptions = new ArrayList<>(); // {absorbed, survivor}
            List<String> checked = new ArrayList<>();
            for (Node c : candidates) {
              if (gone.contains(c.id())) {
                continue;
              }
              List<Node> group = new ArrayList<>();
              group.add(c);
              pairs.get(c.id()).stream().map(Pair::other).filter(o -> !gone.contains(o.id())).forEach(group::add);
              // As the embedded store: the whole group folds into its most important member, then the oldest;
              // the candidate goes first, so the limit never leaves it half done when it is absorbed.
              Node survivor = group.stream().min(Comparator.comparingDouble(Node::importance).reversed()
                  .thenComparingLong(Node::createdAt).thenComparingLong(Node::seq)).orElseThrow();
              List<Node> absorbed = group.stream().filter(n -> n != survivor).limit(budget - absorptions.size()).toList();
              for (Node n : absorbed) {
                absorptions.add(new String[] {n.id(), survivor.id()});
                gone.add(n.id());
              }
              if (absorbed.size() == group.size() - 1 && !gone.contains(c.id())) {
                checked.add(c.id());
              }
              if (absorptions.size() >= budget) {
                break;
              }
            }
            Future<Void> chain = mark(conn, "merge_checked_at", checked, now);
            if (!absorptions.isEmpty()) {
              // Exactly what consolidate does: forgotten, with an updates edge to the survivor.
              List<Tuple> forget = new ArrayList<>();
              List<Tuple> edges = new ArrayList<>();
              for (String[] a : absorptions) {
                forget.add(Tuple.of(a[0], now));
                edges.add(Tuple.of(a[0], a[1], now));
              }
              chain = chain
                  .compose(v -> conn.preparedQuery("UPDATE memories SET forgotten = true, updated_at = $2 WHERE id = $1").executeBatch(forget))
                  .compose(v -> conn.preparedQuery("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) "
                      + "VALUES ($1, $2, 'updates', 0.5, $3) ON CONFLICT DO NOTHING").executeBatch(edges))
                  .mapEmpty();
            }
            return chain.map(new Batch(absorptions.size(), candidates.size(), false));
          });
    });
  }

  // ---------------------------------------------------------------- association pass

  Future<Integer> associate(String agentId, int limit) {
    return pass(agentId, limit, 0, 0, this::associateBatch);
  }

  private Future<Batch> associateBatch(SqlConnection conn, String agentId, int budget) {
    long now = System.currentTimeMillis();
    return unvisited(conn, agentId, "linked_at").compose(candidates -> {
      if (candidates.isEmpty()) {
        return Future.succeededFuture(new Batch(0, 0, true));
      }
      String unlinked = "AND NOT EXISTS (SELECT 1 FROM memory_edges e WHERE e.source_id = c.id AND e.target_id = o.id "
          + "OR e.source_id = o.id AND e.target_id = c.id)";
      return neighbours(conn, candidates, RELATED, unlinked).compose(pairs -> {
        Set<String> linkedNow = new HashSet<>(); // pairs linked earlier in this batch, either way round
        List<Tuple> edges = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, List<Pair>> e : pairs.entrySet()) {
          boolean complete = true;
          for (Pair p : e.getValue()) {
            Node c = p.candidate();
            Node o = p.other();
            if (linkedNow.contains(o.id() + "|" + c.id())) {
              continue;
            }
            if (edges.size() >= budget) {
              complete = false;
              break;
            }
            linkedNow.add(c.id() + "|" + o.id());
            if (p.cosine() >= NEAR_DUPLICATE) {
              Node newer = c.olderThan(o) ? o : c;
              Node older = newer == c ? o : c;
              edges.add(Tuple.of(newer.id(), older.id(), RelationType.UPDATES.wireName(), p.cosine(), now));
            } else {
              edges.add(Tuple.of(c.id(), o.id(), RelationType.RELATED_TO.wireName(), p.cosine(), now));
            }
          }
          if (complete) {
            checked.add(e.getKey());
          }
        }
        Future<Integer> inserted = edges.isEmpty() ? Future.succeededFuture(0)
            : conn.preparedQuery("INSERT INTO memory_edges(source_id, target_id, relation_type, weight, created_at) "
                    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING").executeBatch(edges)
                .map(PgPasses::rowCounts);
        return inserted.compose(n -> mark(conn, "linked_at", checked, now).map(new Batch(n, candidates.size(), false)));
      });
    });
  }

  /** executeBatch answers one row set per tuple, chained through next(). */
  private static int rowCounts(RowSet<Row> rs) {
    int n = 0;
    for (RowSet<Row> r = rs; r != null; r = r.next()) {
      n += r.rowCount();
    }
    return n;
  }

  // ---------------------------------------------------------------- reindex

  Future<Integer> reindex(String agentId, Progress progress) {
    return pool.preparedQuery("SELECT count(*) AS n FROM memories WHERE agent_id = $1 AND NOT forgotten").execute(Tuple.of(agentId))
        .compose(rows -> reindexFrom(agentId, 0L, 0, (int) (long) rows.iterator().next().getLong("n"), progress));
  }

  /** Pages by insertion order, so memories saved meanwhile are picked up and none is visited twice. */
  private Future<Integer> reindexFrom(String agentId, long afterSeq, int done, int total, Progress progress) {
    return pool.preparedQuery("SELECT id, content, seq FROM memories WHERE agent_id = $1 AND NOT forgotten AND seq > $2 "
            + "ORDER BY seq LIMIT " + REINDEX_BATCH).execute(Tuple.of(agentId, afterSeq))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(done);
          }
          List<String> ids = new ArrayList<>();
          List<String> texts = new ArrayList<>();
          long last = afterSeq;
          for (Row r : rows) {
            ids.add(r.getString("id"));
            texts.add(r.getString("content"));
            last = r.getLong("seq");
          }
          long next = last;
          return embeddings.embedAll(texts).compose(vectors -> {
            List<String> literals = vectors.stream().map(PgRows::vector).toList();
            // Only rows whose text is still the one embedded; a changed embedding means the passes look again.
            return pool.preparedQuery("""
                    UPDATE memories AS m SET embedding = u.e::vector,
                      merge_checked_at = CASE WHEN m.embedding = u.e::vector THEN m.merge_checked_at END,
                      linked_at = CASE WHEN m.embedding = u.e::vector THEN m.linked_at END
                    FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, content, e)
                    WHERE m.id = u.id AND m.content = u.content""")
                .execute(Tuple.of(PgRows.array(ids), PgRows.array(texts), PgRows.array(literals)));
          }).compose(v -> {
            int now = done + ids.size();
            progress.update(now, Math.max(total, now));
            return reindexFrom(agentId, next, now, total, progress);
          });
        });
  }
}
