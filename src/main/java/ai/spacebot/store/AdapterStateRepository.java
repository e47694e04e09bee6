package ai.spacebot.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

/** Small values an adapter keeps across restarts (Telegram's update offset), by adapter and key. */
public final class AdapterStateRepository {
  private final Database db;

  public AdapterStateRepository(Database db) {
    this.db = db;
  }

  public Future<String> get(String adapter, String key) {
    return db.reader().preparedQuery("SELECT value FROM adapter_state WHERE adapter = ? AND key = ?")
        .execute(Tuple.of(adapter, key))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("value"));
  }

  public Future<Void> put(String adapter, String key, String value) {
    long now = System.currentTimeMillis();
    return db.write(sql -> {
      sql.update("""
          INSERT INTO adapter_state(adapter, key, value, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT(adapter, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""",
          adapter, key, value, now);
      return null;
    });
  }
}
