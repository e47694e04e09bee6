package ai.spacebot.bench;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.embedded.EmbeddedMemoryStore;
import ai.spacebot.memory.postgres.PgMemoryStore;
import ai.spacebot.store.Database;
import ai.spacebot.store.postgres.PgDatabase;
import ai.spacebot.testkit.PostgresTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Opens a fresh, empty memory store of the named backend for a benchmark run. */
public final class BenchStores {
  private BenchStores() {}

  /** The store and how to close it with whatever it was opened on. */
  public record Opened(MemoryStore store, Supplier<Future<Void>> closer) {
    public Future<Void> close() {
      return closer.get();
    }
  }

  public static Opened open(String kind, Vertx vertx, Embeddings embeddings) throws Exception {
    switch (kind) {
      case "embedded" -> {
        Path dir = Files.createTempDirectory("spacebot-memory-bench");
        Database db = Database.open(vertx, dir.resolve("spacebot.db")).await();
        EmbeddedMemoryStore store = new EmbeddedMemoryStore(vertx, db, embeddings, dir.resolve("lucene"));
        return new Opened(store, () -> store.close().compose(v -> db.close()));
      }
      case "postgres" -> {
        // A database of its own, dropped afterwards; the server from scripts/install-postgres.sh or SPACEBOT_TEST_PG_URL.
        PostgresTestDatabase scratch = PostgresTestDatabase.create(vertx);
        PgDatabase db = PgDatabase.open(vertx, scratch.url()).await();
        PgMemoryStore store = new PgMemoryStore(db.pool(), embeddings);
        return new Opened(store, () -> store.close().compose(v -> db.close()).compose(v -> drop(scratch)));
      }
      default -> throw new IllegalArgumentException("unknown store \"" + kind + "\"; use embedded or postgres");
    }
  }

  /**
   * Drops the scratch database on a plain thread: its close() awaits, which Vert.x refuses on its own
   * worker and event-loop threads (the drop then failed, the database was left behind and the
   * benchmark's JVM never exited).
   */
  private static Future<Void> drop(PostgresTestDatabase scratch) {
    return Future.fromCompletionStage(CompletableFuture.runAsync(scratch::close));
  }
}
