package ai.spacebot.memory.postgres;

import ai.spacebot.memory.GraphWalk;
import ai.spacebot.memory.MemoryType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three ranked lists hybrid recall fuses, each ids best first: Postgres full-text, pgvector HNSW
 * and a walk over the memory graph. Same rules as the embedded store's lists.
 */
final class PgRecall {
  static final int RANKED_AT_MOST = 1000;

  /**
   * Terms are OR-ed, as in the embedded store's BM25 query (plainto_tsquery would AND them, and one
   * word missing from a memory would hide it), except that from three distinct terms on a hit must
   * contain two of them: an OR of every pair. One shared word out of several is mostly chance, and as
   * a fused list it outvoted better vector hits (bench/retrieval-quality.sh). Lexemes come from
   * to_tsvector, so they are normalised once and quoted back into tsquery syntax. A query of stop
   * words only has no lexemes and matches nothing.
   *
   * <p>Postgres ranks every match (no top-k pruning like Lucene's): with query words in a third of
   * 100k memories one query took 500 ms. So at most {@link #RANKED_AT_MOST} matches are ranked; a
   * query that vague gets its precision from the vector list anyway. They are ranked by ts_rank
   * against the plain OR of the terms: ts_rank_cd against the OR of pairs cost 7× as much (107 ms
   * against 15 ms for one query over 48k memories).
   */
  static final String FULLTEXT = """
      WITH lex AS (SELECT DISTINCT l FROM unnest(tsvector_to_array(to_tsvector('english', $1))) AS l LIMIT 12),
      q AS (SELECT CASE
              WHEN (SELECT count(*) FROM lex) = 0 THEN NULL
              WHEN (SELECT count(*) FROM lex) < 3 THEN (SELECT string_agg(quote_literal(l), ' | ') FROM lex)::tsquery
              ELSE (SELECT string_agg((quote_literal(a.l)::tsquery && quote_literal(b.l)::tsquery)::text, ' | ')
                    FROM lex a, lex b WHERE a.l < b.l)::tsquery
            END AS tsq,
            (SELECT string_agg(quote_literal(l), ' | ') FROM lex)::tsquery AS anyq),
      hits AS MATERIALIZED (
        SELECT m.id, m.seq, m.content_tsv FROM memories m, q
        WHERE m.agent_id = $2 AND NOT m.forgotten AND ($3::text IS NULL OR m.memory_type = $3) AND m.content_tsv @@ q.tsq
        LIMIT %d)
      SELECT hits.id FROM hits, q ORDER BY ts_rank(hits.content_tsv, q.anyq) DESC, hits.seq LIMIT $4""".formatted(RANKED_AT_MOST);

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
   * parent's score). The list holds the memories the walk reached, not the seeds.
   */
  Future<List<String>> graph(List<String> textHits, MemoryType type, int n) {
    if (textHits.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT id, importance FROM memories WHERE NOT forgotten AND importance >= $1 AND id = ANY($2)")
        .execute(Tuple.of(GraphWalk.SEED_IMPORTANCE, PgRows.array(textHits)))
        .compose(rows -> {
          Map<String, Double> importance = new HashMap<>();
          rows.forEach(r -> importance.put(r.getString("id"), r.getDouble("importance")));
          GraphWalk walk = new GraphWalk(textHits, importance);
          return walk(walk, walk.seeds(), GraphWalk.DEPTH, type).map(v -> walk.ranked(n));
        });
  }

  private Future<Void> walk(GraphWalk walk, List<String> frontier, int depth, MemoryType type) {
    if (depth == 0 || frontier.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("""
            SELECT e.source_id, e.target_id, e.relation_type, e.weight, m.id AS other, m.importance, m.memory_type
            FROM memory_edges e
            JOIN memories m ON m.id = CASE WHEN e.source_id = ANY($1) THEN e.target_id ELSE e.source_id END
            WHERE (e.source_id = ANY($1) OR e.target_id = ANY($1)) AND NOT m.forgotten""")
        .execute(Tuple.of(PgRows.array(frontier)))
        .compose(rows -> walk(walk, walk.step(frontier, rows, type), depth - 1, type));
  }
}
