package ai.spacebot.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;

/**
 * The embedded SQLite database in WAL mode: all writes through the {@link SqliteWriter} (one
 * connection, group commit), reads through a small vertx-jdbc-client pool that WAL lets run beside
 * the writer. Reads never use {@code withTransaction}: in vertx-jdbc-client 5.0.x it leaves pooled
 * connections out of auto-commit (upstream vert-x3/vertx-jdbc-client#356).
 */
public final class Database {
  private final Vertx vertx;
  private final SqliteWriter writer;
  private final Pool reader;
  private final WalCheckpointer checkpointer;

  private Database(Vertx vertx, SqliteWriter writer, Pool reader, WalCheckpointer checkpointer) {
    this.vertx = vertx;
    this.writer = writer;
    this.reader = reader;
    this.checkpointer = checkpointer;
  }

  /** Opens (creating if needed) {@code file} and applies pending migrations. */
  public static Future<Database> open(Vertx vertx, Path file) {
    String url = "jdbc:sqlite:" + file;
    return SqliteWriter.open(vertx, url).compose(writer -> vertx.executeBlocking(() -> new WalCheckpointer(url)).compose(checkpointer -> {
      Pool reader = JDBCPool.pool(vertx,
          new JDBCConnectOptions().setJdbcUrl(url + "?busy_timeout=10000"),
          new PoolOptions().setMaxSize(4).setName("sqlite-reader"));
      Database db = new Database(vertx, writer, reader, checkpointer);
      return new Migrations(db).apply().map(db).recover(err -> db.close().transform(x -> Future.failedFuture(err)));
    }));
  }

  /** Runs write work in the next group-committed transaction. */
  public <T> Future<T> write(SqliteWriter.Work<T> work) {
    return writer.submit(work);
  }

  /** Whether the WAL checkpoint has caught up with every write (tests). */
  boolean walCaughtUp() {
    return checkpointer.caughtUp();
  }

  public Pool reader() {
    return reader;
  }

  public Future<Void> close() {
    return reader.close().compose(v -> vertx.executeBlocking(() -> {
      checkpointer.close();
      writer.close();
      return null;
    }));
  }
}
