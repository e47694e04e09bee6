package ai.spacebot.memory.postgres;

import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.RelationType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three ranked lists hybrid recall fuses, each ids best first: Postgres full-text, pgvector HNSW
 * and a walk over the memory graph. Same rules as the embedded store's lists.
 */
final class PgRecall {
  private static final double GRAPH_SEED_IMPORTANCE = 0.8;

  /**
   * Terms are OR-ed, as in the embedded store's BM25 query: plainto_tsquery ANDs them, so one word
   * missing from a memory would hide it. A query of stop words only has no nodes and matches nothing.
   */
  static final String FULLTEXT = """
      WITH q AS (SELECT CASE WHEN numnode(p) = 0 THEN NULL ELSE replace(p::text, ' & ', ' | ')::tsquery END AS tsq
                 FROM plainto_tsquery('english', $1) AS p)
      SELECT m.id FROM memories m, q
      WHERE m.agent_id = $2 AND NOT m.forgotten AND ($3::text IS NULL OR m.memory_type = $3) AND m.content_tsv @@ q.tsq
      ORDER BY ts_rank_cd(m.content_tsv, q.tsq) DESC, m.seq
      LIMIT $4""";

  /**
   * Nearest by cosine through the HNSW index. Iterative scans in relaxed order (see PgDatabase) may
   * return rows slightly out of order, so the materialized candidates are sorted again. The limit is
   * inlined: with a parameter the planner guesses at a tenth of the table and may skip the index.
   */
  static String vectorQuery(int limit) {
    return """
        WITH near AS MATERIALIZED (
          SELECT id, embedding <=> $1::vector AS distance FROM memories
          WHERE agent_id = $2 AND NOT forgotten AND ($3::text IS NULL OR memory_type = $3)
          ORDER BY embedding <=> $1::vector LIMIT %d)
        SELECT id, 1 - distance AS similarity FROM near ORDER BY distance""".formatted(limit);
  }

  private final Pool pool;

  PgRecall(Pool pool) {
    this.pool = pool;
  }

  Future<List<String>> fulltext(String agentId, String query, int n, MemoryType type) {
    return pool.preparedQuery(FULLTEXT).execute(Tuple.of(query, agentId, type == null ? null : type.wireName(), n)).map(PgRows::ids);
  }

  Future<List<String>> vector(String agentId, float[] vector, int n, MemoryType type) {
    return pool.preparedQuery(vectorQuery(n)).execute(Tuple.of(PgRows.vector(vector), agentId, type == null ? null : type.wireName()))
        .map(PgRows::ids);
  }

  /**
   * Seeds: the full-text hits (they contain a query word) with importance ≥ 0.8. Walk edges both ways
   * to depth 2; a reached memory scores importance × edge weight × relation multiplier (times its
   * parent's score).
   */
  Future<List<String>> graph(List<String> textHits, MemoryType type, int n) {
    if (textHits.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT id, importance FROM memories WHERE NOT forgotten AND importance >= $1 AND id = ANY($2)")
        .execute(Tuple.of(GRAPH_SEED_IMPORTANCE, PgRows.array(textHits)))
        .compose(rows -> {
          Map<String, Double> scores = new HashMap<>();
          rows.forEach(r -> scores.put(r.getString("id"), r.getDouble("importance")));
          return walk(scores, new ArrayList<>(scores.keySet()), 2, type).map(all -> all.entrySet().stream()
              .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n).map(Map.Entry::getKey).toList());
        });
  }

  private Future<Map<String, Double>> walk(Map<String, Double> scores, List<String> frontier, int depth, MemoryType type) {
    if (depth == 0 || frontier.isEmpty()) {
      return Future.succeededFuture(scores);
    }
    return pool.preparedQuery("""
            SELECT e.source_id, e.target_id, e.relation_type, e.weight, m.id AS other, m.importance, m.memory_type
            FROM memory_edges e
            JOIN memories m ON m.id = CASE WHEN e.source_id = ANY($1) THEN e.target_id ELSE e.source_id END
            WHERE (e.source_id = ANY($1) OR e.target_id = ANY($1)) AND NOT m.forgotten""")
        .execute(Tuple.of(PgRows.array(frontier)))
        .compose(rows -> {
          List<String> next = new ArrayList<>();
          for (Row r : rows) {
            String from = frontier.contains(r.getString("source_id")) ? r.getString("source_id") : r.getString("target_id");
            String other = r.getString("other");
            if (type != null && !type.wireName().equals(r.getString("memory_type"))) {
              continue;
            }
            double score = scores.getOrDefault(from, 1.0) * r.getDouble("importance") * r.getDouble("weight")
                * RelationType.parse(r.getString("relation_type")).multiplier();
            if (score > scores.getOrDefault(other, 0.0)) {
              if (!scores.containsKey(other)) {
                next.add(other);
              }
              scores.put(other, score);
            }
          }
          return walk(scores, next, depth - 1, type);
        });
  }
}
