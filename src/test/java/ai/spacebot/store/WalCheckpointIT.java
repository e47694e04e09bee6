package ai.spacebot.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WAL is checkpointed by its own connection, never inside a write. */
class WalCheckpointIT {
  @Test
  void writesNeverCheckpointAndTheCheckpointerKeepsTheWalFromGrowing() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("spacebot-wal");
    Database db = Database.open(vertx, dir.resolve("spacebot.db")).await();
    try {
      int autocheckpoint = db.write(sql -> {
        try (var rs = sql.prepare("PRAGMA wal_autocheckpoint").executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }).await();
      assertThat(autocheckpoint).isZero();

      db.write(sql -> {
        sql.execute("CREATE TABLE filler (x TEXT)");
        return null;
      }).await();
      String page = "x".repeat(4000); // about one page per row
      for (int round = 0; round < 3; round++) {
        List<Future<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
          writes.add(db.write(sql -> sql.update("INSERT INTO filler VALUES (?)", page)));
        }
        Future.all(writes).await();
        long deadline = System.currentTimeMillis() + 10_000;
        Thread.sleep(300); // let a round see this batch's frames
        while (!db.walCaughtUp() && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        assertThat(db.walCaughtUp()).as("checkpoint caught up after round %d", round).isTrue();
      }
      // Three rounds of ~6 MB each; a WAL that is checkpointed and reused stays near one round's size.
      assertThat(Files.size(dir.resolve("spacebot.db-wal"))).isLessThan(14L * 1024 * 1024);
    } finally {
      db.close().await();
      vertx.close().await();
    }
  }
}
