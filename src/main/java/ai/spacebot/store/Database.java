package ai.spacebot.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The embedded SQLite database: one writer connection (SQLite has one writer anyway, and a single
 * connection never meets SQLITE_BUSY) and a small read pool, both WAL with {@code synchronous=NORMAL}.
 *
 * <p>Transactions go through {@link #tx}: {@code BEGIN IMMEDIATE} by hand. vertx-jdbc-client 5.0.x's
 * {@code withTransaction} leaves pooled connections out of auto-commit, after which plain writes are
 * silently lost (upstream vert-x3/vertx-jdbc-client#356), so it is never used here.
 */
public final class Database {
  private final Pool writer;
  private final Pool reader;

  private Database(Pool writer, Pool reader) {
    this.writer = writer;
    this.reader = reader;
  }

  /** Opens (creating if needed) {@code file} and applies pending migrations. */
  public static Future<Database> open(Vertx vertx, Path file) {
    String url = "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true";
    Pool writer = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(1).setName("sqlite-writer"));
    Pool reader = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(4).setName("sqlite-reader"));
    Database db = new Database(writer, reader);
    return writer.query("PRAGMA journal_mode=WAL").execute()
        .compose(v -> new Migrations(db).apply())
        .map(db)
        .recover(err -> db.close().transform(x -> Future.failedFuture(err)));
  }

  /** Runs {@code work} in one write transaction on the writer connection; rolls back on failure. */
  public <T> Future<T> tx(Function<SqlConnection, Future<T>> work) {
    return writer.withConnection(c -> c.query("BEGIN IMMEDIATE").execute()
        .compose(v -> work.apply(c))
        .compose(
            result -> c.query("COMMIT").execute().map(result),
            err -> c.query("ROLLBACK").execute().transform(x -> Future.<T>failedFuture(err))));
  }

  /** Single auto-committed statements that need no transaction still go to the one writer. */
  public Pool writer() {
    return writer;
  }

  public Pool reader() {
    return reader;
  }

  public Future<Void> close() {
    return Future.join(writer.close(), reader.close()).mapEmpty();
  }
}
