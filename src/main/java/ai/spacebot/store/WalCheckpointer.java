package ai.spacebot.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the SQLite WAL from its own connection and thread. SQLite's automatic checkpoint runs
 * inside whichever commit crosses 1000 WAL pages, so that one write (and every write group-committed
 * with it, and the recall waiting on it) pays for copying pages and two fsyncs: tens of milliseconds
 * on this machine, once every few hundred commits — exactly a p99. The writer turns that off; here a
 * PASSIVE checkpoint, which never waits for the writer or readers, runs every 250 ms.
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
  private static final long EVERY_MS = 250;

  private final Connection connection;
  private final ScheduledExecutorService timer;
  /** Past this many WAL frames (~80 MB) a checkpoint that waits for the writer is worth it. */
  private static final long RUNAWAY_FRAMES = 20_000;

  private volatile long lastFrames = -1;
  private volatile long lastCheckpointed;

  WalCheckpointer(String jdbcUrl) throws SQLException {
    connection = DriverManager.getConnection(jdbcUrl);
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spacebot-sqlite-checkpoint");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::maybeCheckpoint, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** Whether the last round found every WAL frame copied, so the next write starts the WAL over. */
  boolean caughtUp() {
    return lastFrames >= 0 && lastCheckpointed == lastFrames;
  }

  private void maybeCheckpoint() {
    try (Statement s = connection.createStatement()) {
      // With nothing new in the WAL a PASSIVE checkpoint only reads the WAL index, so it can run often.
      try (ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        if (r.next()) {
          lastFrames = r.getLong(2);
          lastCheckpointed = r.getLong(3);
        }
      }
      if (lastFrames > RUNAWAY_FRAMES && lastCheckpointed < lastFrames) {
        // Readers kept the passive rounds from finishing while writes went on: wait for them once,
        // and truncate the file, rather than let the WAL grow without bound.
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("WAL checkpoint skipped: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.debug("Closing the checkpoint connection: {}", e.getMessage());
    }
  }
}
