package ai.spacebot.memory.postgres;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.store.postgres.PgMigrations;
import ai.spacebot.testkit.PostgresTestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Recall@10 of the Postgres store's vector query (pgvector HNSW, the pool's ef_search and iterative
 * scan settings) against exact search in SQL (the same query with index scans off, so Postgres sorts
 * every row by distance), on the same MiniLM texts as the embedded store's HnswRecallBench. Runs in a
 * database of its own, dropped at the end. Postgres: {@code SPACEBOT_TEST_PG_URL} or the local default.
 *
 * <p>Usage: {@code bench/pg-hnsw-recall.sh [vectors=10000] [queries=200]}
 */
public final class PgHnswRecallBench {
  private static final String[] WORDS = ("billing staging cluster mobile release train data warehouse vpn design review support "
      + "budget rotation postgres kubernetes vendor region demos dashboards laptop roadmap tea audit rust week alice bob dana "
      + "deploy freeze friday outage disk backup nightly wiki printer coffee lunch parking office floor certificate expiry").split(" ");

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Vertx vertx = Vertx.vertx();
    Embeddings embeddings = new Embeddings(vertx);
    Random random = new Random(7); // the same texts as HnswRecallBench
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count + queries; i++) {
      StringBuilder s = new StringBuilder();
      for (int w = 0; w < 6 + random.nextInt(8); w++) {
        s.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      texts.add(s.toString().strip());
    }
    long t0 = System.nanoTime();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += 64) {
      vectors.addAll(embeddings.embedAll(texts.subList(i, Math.min(texts.size(), i + 64))).await());
    }
    System.out.printf("batch embedding: %d texts in %.1f s%n", texts.size(), (System.nanoTime() - t0) / 1e9);

    PostgresTestDatabase database = PostgresTestDatabase.create(vertx);
    Pool pool = database.pool();
    try {
      PgMigrations.bundled(pool).apply().await();
      long i0 = System.nanoTime();
      for (int from = 0; from < count; from += 500) {
        List<Tuple> rows = new ArrayList<>();
        for (int i = from; i < Math.min(count, from + 500); i++) {
          rows.add(Tuple.of("m" + i, texts.get(i), PgRows.vector(vectors.get(i))));
        }
        pool.preparedQuery("INSERT INTO memories(id, agent_id, content, memory_type, importance, created_at, updated_at, "
            + "last_accessed_at, embedding) VALUES ($1, 'main', $2, 'fact', 0.6, 0, 0, 0, $3::vector)").executeBatch(rows).await();
      }
      pool.query("ANALYZE memories").execute().await();
      System.out.printf("insert with the HNSW index maintained: %d rows in %.1f s%n", count, (System.nanoTime() - i0) / 1e9);

      String query = PgRecall.vectorQuery(10);
      SqlConnection exact = pool.getConnection().await();
      exact.query("SET enable_indexscan = off").execute().await();
      String first = PgRows.vector(vectors.get(count));
      System.out.println("approximate plan: " + scanOf(pool.preparedQuery("EXPLAIN " + query)
          .execute(Tuple.of(first, "main", null)).await()));
      System.out.println("exact plan:       " + scanOf(exact.preparedQuery("EXPLAIN " + query)
          .execute(Tuple.of(first, "main", null)).await()));

      PgRecall lists = new PgRecall(pool);
      int hits = 0;
      long approxNanos = 0;
      long exactNanos = 0;
      for (int q = 0; q < queries; q++) {
        float[] v = vectors.get(count + q);
        long s = System.nanoTime();
        Set<String> truth = new HashSet<>(PgRows.ids(exact.preparedQuery(query).execute(Tuple.of(PgRows.vector(v), "main", null)).await()));
        exactNanos += System.nanoTime() - s;
        s = System.nanoTime();
        List<String> approx = lists.vector("main", v, 10, null).await();
        approxNanos += System.nanoTime() - s;
        hits += (int) approx.stream().filter(truth::contains).count();
      }
      exact.close().await();
      System.out.printf("pgvector HNSW recall@10 over %d vectors: %.3f (%d queries); mean query %.2f ms (exact scan %.2f ms)%n",
          count, hits / (10.0 * queries), queries, approxNanos / 1e6 / queries, exactNanos / 1e6 / queries);
    } finally {
      pool.close().await();
      database.close();
      vertx.close().await();
    }
  }

  /** The scan line of a plan: which way the rows were found. */
  private static String scanOf(Iterable<Row> plan) {
    for (Row r : plan) {
      String line = r.getString(0).strip();
      if (line.contains("Scan on memories") || line.contains("Scan using")) {
        return line.replaceFirst("^->\\s*", "").replaceAll("\\s*\\(cost.*", "");
      }
    }
    return "?";
  }
}
