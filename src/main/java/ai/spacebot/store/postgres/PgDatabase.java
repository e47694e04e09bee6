package ai.spacebot.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * A Postgres connection pool (vertx-pg-client: non-blocking, no worker threads) with the schema
 * migrated. Every pooled connection is tuned for filtered HNSW scans when it is opened.
 */
public final class PgDatabase {
  private static final int POOL_SIZE = 8;
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  /**
   * Per session: the HNSW search keeps at least 64 candidates (the embedded index does the same), and
   * when the agent/type filter discards most of them the scan goes on instead of returning too few
   * rows. NOTICEs (an extension that already exists, a query of stop words only) are noise here.
   */
  static final String SESSION_SETTINGS =
      "SET hnsw.ef_search = 64; SET hnsw.iterative_scan = relaxed_order; SET client_min_messages = warning";

  private final Pool pool;
  private final String where;

  private PgDatabase(Pool pool, String where) {
    this.pool = pool;
    this.where = where;
  }

  /**
   * Connects to {@code url} ({@code postgresql://user:password@host:port/database}) and applies pending
   * migrations. Fails with one line that names host and database but never the password.
   */
  public static Future<PgDatabase> open(Vertx vertx, String url) {
    PgConnectOptions options;
    try {
      options = options(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StoreUnavailableException(
          "store.postgres.url is not a valid Postgres URL; expected postgresql://user:password@host:port/database"));
    }
    String where = options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    Pool pool = pool(vertx, options);
    PgDatabase db = new PgDatabase(pool, where);
    return pool.query("SELECT 1").execute()
        .recover(err -> Future.failedFuture(new StoreUnavailableException("cannot connect to Postgres at " + where + ": "
            + reason(err) + "; check store.postgres.url (SPACEBOT_PG_URL) and that the server is running")))
        .compose(v -> PgMigrations.bundled(pool).apply()
            .recover(err -> Future.failedFuture(new StoreUnavailableException("Postgres at " + where + ": " + reason(err)))))
        .map(db)
        .recover(err -> pool.close().transform(x -> Future.failedFuture(err)));
  }

  /** Also accepts {@code postgres://} and a JDBC-style {@code jdbc:postgresql://}. */
  public static PgConnectOptions options(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("no url");
    }
    String u = url.strip();
    if (u.startsWith("jdbc:")) {
      u = u.substring("jdbc:".length());
    }
    return PgConnectOptions.fromUri(u);
  }

  /** A pool whose connections carry {@link #SESSION_SETTINGS}. */
  public static Pool pool(Vertx vertx, PgConnectOptions options) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(POOL_SIZE).setName("spacebot-pg"))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(options)
        .withConnectHandler(conn -> conn.query(SESSION_SETTINGS).execute().onComplete(ar -> conn.close()))
        .using(vertx)
        .build();
  }

  private static String reason(Throwable err) {
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  public Pool pool() {
    return pool;
  }

  /** host:port/database, for messages. */
  public String where() {
    return where;
  }

  public Future<Void> close() {
    return pool.close();
  }

  /** The store cannot be used; the message is meant for the operator as it is. */
  public static final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
