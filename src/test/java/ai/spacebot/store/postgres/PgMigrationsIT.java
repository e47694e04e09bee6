package ai.spacebot.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.testkit.PostgresTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Postgres schema migrations and opening the database, on a fresh database per test. */
class PgMigrationsIT {
  private Vertx vertx;
  private PostgresTestDatabase database;
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void create() {
    vertx = Vertx.vertx();
    database = PostgresTestDatabase.create(vertx);
  }

  @AfterEach
  void drop() {
    pools.forEach(p -> p.close().await());
    database.close();
    vertx.close().await();
  }

  private Pool pool() {
    Pool p = database.pool();
    pools.add(p);
    return p;
  }

  private static int count(Pool pool, String sql) {
    return pool.query(sql).execute().await().iterator().next().getInteger(0);
  }

  @Test
  void migrationsAreIdempotent() {
    Pool pool = pool();
    assertThat(PgMigrations.bundled(pool).apply().await()).isEqualTo(2);
    assertThat(PgMigrations.bundled(pool).apply().await()).isZero();
    assertThat(count(pool, "SELECT count(*)::int FROM schema_migrations")).isEqualTo(2);
    assertThat(count(pool, "SELECT count(*)::int FROM pg_indexes WHERE indexname IN ('memories_embedding_hnsw', "
        + "'memories_fulltext', 'memories_human_anchor')")).isEqualTo(3);
  }

  @Test
  void aMigrationEditedAfterItLandedStopsTheRun() {
    Pool pool = pool();
    PgMigrations.bundled(pool).apply().await();
    PgMigrations bundled = PgMigrations.bundled(pool);
    String original = readBundled("V001__memories.sql");
    PgMigrations edited = new PgMigrations(pool, name -> name.equals("V001__memories.sql") ? original + "\n-- one more comment\n"
        : readBundled(name));
    assertThatThrownBy(() -> edited.apply().await())
        .hasMessageContaining("V001__memories.sql").hasMessageContaining("changed after it was applied");
    assertThat(bundled.apply().await()).isZero();
  }

  private static String readBundled(String name) {
    try (var in = PgMigrationsIT.class.getClassLoader().getResourceAsStream("db/postgres/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void nodesStartingTogetherMigrateOnceWithoutConflict() {
    // Separate pools are separate sessions, as on separate nodes. Without the advisory lock, the
    // concurrent CREATE TABLEs collide ("duplicate key value violates unique constraint").
    List<Future<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(PgMigrations.bundled(pool()).apply());
    }
    Future.all(runs).await();
    assertThat(runs.stream().mapToInt(Future::result).sum()).isEqualTo(2);
    assertThat(count(pools.get(0), "SELECT count(*)::int FROM schema_migrations")).isEqualTo(2);
  }

  @Test
  void anUnreachableServerFailsWithOneLineThatKeepsThePasswordOut() {
    assertThatThrownBy(() -> PgDatabase.open(vertx, "postgresql://spacebot:s3cret-pw@127.0.0.1:1/spacebot").await())
        .isInstanceOf(PgDatabase.StoreUnavailableException.class)
        .hasMessageContaining("cannot connect to Postgres at 127.0.0.1:1/spacebot")
        .hasMessageContaining("SPACEBOT_PG_URL")
        .hasMessageNotContaining("s3cret-pw")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> PgDatabase.open(vertx, "postgresql://spacebot:s3cret-pw@127.0.0.1:notaport/x").await())
        .hasMessageContaining("not a valid Postgres URL").hasMessageNotContaining("s3cret-pw");
  }

  @Test
  void openingMigratesAndTheStoreTablesAreThere() {
    PgDatabase db = PgDatabase.open(vertx, database.url()).await();
    try {
      assertThat(count(db.pool(), "SELECT count(*)::int FROM memories")).isZero();
      assertThat(db.where()).endsWith("/" + database.name);
    } finally {
      db.close().await();
    }
  }

  @Test
  void aDatabaseWithoutPgvectorSaysHowToFixIt() {
    try (PostgresTestDatabase bare = PostgresTestDatabase.createWithoutPgvector(vertx)) {
      assertThatThrownBy(() -> PgDatabase.open(vertx, bare.url()).await())
          .isInstanceOf(PgDatabase.StoreUnavailableException.class)
          .hasMessageContaining("V001__memories.sql").hasMessageContaining("CREATE EXTENSION vector").hasMessageNotContaining("\n");
    }
  }
}
