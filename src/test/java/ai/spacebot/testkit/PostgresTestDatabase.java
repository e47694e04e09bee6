package ai.spacebot.testkit;

import ai.spacebot.store.postgres.PgDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A database of its own for one test class on the real Postgres ({@code SPACEBOT_TEST_PG_URL}, default
 * the role and database {@code scripts/install-postgres.sh} sets up): created empty from template1
 * (which has pgvector), dropped on close. An unreachable server fails the test, never skips it.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  public static final String DEFAULT_URL = "postgresql://spacebot:spacebot@127.0.0.1:5432/spacebot";

  private final Vertx vertx;
  private final PgConnectOptions admin;
  public final String name;

  private PostgresTestDatabase(Vertx vertx, PgConnectOptions admin, String name) {
    this.vertx = vertx;
    this.admin = admin;
    this.name = name;
  }

  public static String adminUrl() {
    String env = System.getenv("SPACEBOT_TEST_PG_URL");
    return env == null || env.isBlank() ? DEFAULT_URL : env;
  }

  public static PostgresTestDatabase create(Vertx vertx) {
    return create(vertx, "template1");
  }

  /** From {@code template0}: a database without pgvector, as on a server nobody prepared. */
  public static PostgresTestDatabase createWithoutPgvector(Vertx vertx) {
    return create(vertx, "template0");
  }

  private static PostgresTestDatabase create(Vertx vertx, String template) {
    PgConnectOptions admin = PgDatabase.options(adminUrl());
    String name = "spacebot_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    PostgresTestDatabase db = new PostgresTestDatabase(vertx, admin, name);
    try {
      db.admin("CREATE DATABASE " + name + " TEMPLATE " + template);
    } catch (RuntimeException e) {
      throw new AssertionError("Postgres is not usable at " + admin.getHost() + ":" + admin.getPort() + "/" + admin.getDatabase()
          + " (" + e.getMessage() + "). Run scripts/install-postgres.sh as root, or point SPACEBOT_TEST_PG_URL at a server "
          + "with pgvector whose role may create databases.", e);
    }
    return db;
  }

  private void admin(String sql) {
    Pool pool = PgDatabase.pool(vertx, new PgConnectOptions(admin));
    try {
      pool.query(sql).execute().await();
    } finally {
      pool.close().await();
    }
  }

  public PgConnectOptions options() {
    return new PgConnectOptions(admin).setDatabase(name);
  }

  /** A pool on this database, with the application's per-connection settings. */
  public Pool pool() {
    return PgDatabase.pool(vertx, options());
  }

  /** The URL an operator would give the application for this database. */
  public String url() {
    return "postgresql://" + enc(admin.getUser()) + ":" + enc(admin.getPassword()) + "@" + admin.getHost() + ":" + admin.getPort()
        + "/" + name;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Drops the database. A plain DROP first: Postgres itself stops an autovacuum worker in it (common
   * right after a bulk import), while FORCE would try to signal that worker, which a non-superuser may
   * not. FORCE only if our own sessions are still there.
   */
  @Override
  public void close() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        admin("DROP DATABASE IF EXISTS " + name + (attempt < 5 ? "" : " WITH (FORCE)"));
        return;
      } catch (RuntimeException e) {
        last = e;
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }
}
