package ai.spacebot.memory.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryStoreContract;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.NewMemory;
import ai.spacebot.store.postgres.PgMigrations;
import ai.spacebot.testkit.PostgresTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory contract on the Postgres backend (pgvector HNSW + full text), plus what only it has. */
class PostgresMemoryStoreIT extends MemoryStoreContract {
  private static Vertx vertx;
  private static Embeddings embeddings;
  private static PostgresTestDatabase database;
  private static Pool pool;
  private PgMemoryStore store;

  @BeforeAll
  static void createDatabase() {
    vertx = Vertx.vertx();
    embeddings = new Embeddings(vertx); // one model load for the whole class
    database = PostgresTestDatabase.create(vertx);
    pool = database.pool();
    PgMigrations.bundled(pool).apply().await();
  }

  @AfterAll
  static void dropDatabase() {
    if (pool != null) {
      pool.close().await();
    }
    if (database != null) {
      database.close();
    }
    vertx.close().await();
  }

  @BeforeEach
  void cleanStore() {
    pool.query("TRUNCATE memory_edges, memories").execute().await();
    store = new PgMemoryStore(pool, embeddings);
  }

  @Override
  protected MemoryStore store() {
    return store;
  }

  @Override
  protected int storedDimensions(String memoryId) {
    return pool.preparedQuery("SELECT vector_dims(embedding) AS n FROM memories WHERE id = $1").execute(Tuple.of(memoryId))
        .await().iterator().next().getInteger("n");
  }

  /** n rows with random vectors for {@code agent}, generated in SQL (no model needed), then ANALYZE. */
  private static void randomRows(String agent, int n) {
    pool.preparedQuery("""
        INSERT INTO memories(id, agent_id, content, memory_type, importance, created_at, updated_at, last_accessed_at, embedding)
        SELECT $1 || '-' || g, $1, 'row ' || g, 'fact', 0.6, 0, 0, 0,
               (SELECT array_agg(random() - 0.5)::vector FROM generate_series(1, 384) WHERE g > 0)
        FROM generate_series(1, $2) AS g""").execute(Tuple.of(agent, n)).await();
    pool.query("ANALYZE memories").execute().await();
  }

  private static float[] randomVector(long seed) {
    Random random = new Random(seed);
    float[] v = new float[Embeddings.DIMENSIONS];
    for (int d = 0; d < v.length; d++) {
      v[d] = random.nextFloat() - 0.5f;
    }
    return v;
  }

  private static String plan(SqlClient sql, String query, Tuple args) {
    StringBuilder plan = new StringBuilder();
    for (Row r : sql.preparedQuery("EXPLAIN " + query).execute(args).await()) {
      plan.append(r.getString(0)).append('\n');
    }
    return plan.toString();
  }

  @Test
  void theVectorListIsServedByTheHnswIndex() {
    // Below a few thousand rows the planner rightly prefers an exact sort; at 5000 the index pays.
    randomRows("main", 5000);
    assertThat(plan(pool, PgRecall.vectorQuery(20), Tuple.of(PgRows.vector(randomVector(99)), "main", null)))
        .contains("Index Scan using memories_embedding_hnsw");
    List<String> found = new PgRecall(pool).vector("main", randomVector(99), 20, null).await();
    assertThat(found).hasSize(20);
  }

  @Test
  void aFilteredHnswScanStillFillsItsLimit() {
    // 3000 rows of another agent crowd the graph: the 64 candidates a plain HNSW scan visits hold
    // about one of main's 40, so the agent filter would leave one row. The pool's iterative scan goes on.
    randomRows("other", 3000);
    randomRows("main", 40);
    SqlConnection conn = pool.getConnection().await();
    try {
      conn.query("SET enable_sort = off").execute().await(); // make the planner take the index, as on a big table
      Tuple args = Tuple.of(PgRows.vector(randomVector(7)), "main", null);
      assertThat(plan(conn, PgRecall.vectorQuery(30), args)).contains("Index Scan using memories_embedding_hnsw");
      List<String> found = PgRows.ids(conn.preparedQuery(PgRecall.vectorQuery(30)).execute(args).await());
      assertThat(found).hasSize(30).allMatch(id -> id.startsWith("main-"));
    } finally {
      conn.query("RESET enable_sort").execute().await();
      conn.close().await();
    }
  }

  @Test
  void theSessionSettingsAreOnEveryPooledConnection() {
    List<SqlConnection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(pool.getConnection().await()); // held at once, so these are four distinct connections
      }
      for (SqlConnection conn : held) {
        Row r = conn.query("SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan")
            .execute().await().iterator().next();
        assertThat(Integer.parseInt(r.getString("ef"))).isGreaterThanOrEqualTo(64);
        assertThat(r.getString("scan")).isEqualTo("relaxed_order");
      }
    } finally {
      held.forEach(c -> c.close().await());
    }
  }

  @Test
  void concurrentSavesAboutOneNewHumanEndInOneAnchorHoldingThemAll() {
    // Every save first sees no anchor and tries to insert one; the unique anchor index lets one win and
    // the others plan again and merge (compare-and-set on the content).
    List<Future<MemoryStore.SaveResult>> saves = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      saves.add(store.save(new NewMemory("main", "Erin fact number " + i + ".", MemoryType.HUMAN, null, null, null,
          List.of("m" + i), "erin", List.of())));
    }
    Future.all(saves).await();
    List<Memory> anchors = store.list("main", MemoryType.HUMAN, 10, 0).await();
    assertThat(anchors).hasSize(1);
    for (int i = 0; i < 4; i++) {
      assertThat(anchors.get(0).content()).contains("Erin fact number " + i + ".");
    }
    assertThat(anchors.get(0).sourceMessageIds()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
    assertThat(saves.stream().filter(f -> !f.result().merged()).count()).isEqualTo(1);
  }
}
