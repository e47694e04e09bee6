package ai.spacebot.store;

import io.vertx.core.Future;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** {@link SecretRows} in the embedded SQLite database; each write is one piece of the writer's work (atomic). */
public final class SqliteSecretRows implements SecretRows {
  private final Database db;

  public SqliteSecretRows(Database db) {
    this.db = db;
  }

  @Override
  public Future<Protection> protection() {
    return db.reader().query("""
        SELECT mode, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, verifier, updated_at
        FROM secret_store WHERE id = 1""").execute()
        .map(rows -> rows.size() == 0 ? null : protection(rows.iterator().next()));
  }

  static Protection protection(io.vertx.sqlclient.Row r) {
    return new Protection(r.getString("mode"), r.getString("kdf_salt"), intOr0(r.getValue("kdf_memory_kib")),
        intOr0(r.getValue("kdf_iterations")), intOr0(r.getValue("kdf_parallelism")), r.getString("verifier"),
        ((Number) r.getValue("updated_at")).longValue());
  }

  private static int intOr0(Object v) {
    return v == null ? 0 : ((Number) v).intValue();
  }

  @Override
  public Future<List<SecretRows.Row>> all() {
    return db.reader().query("SELECT name, category, value, created_at, updated_at FROM secrets ORDER BY name").execute()
        .map(rows -> {
          List<SecretRows.Row> out = new ArrayList<>();
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  static SecretRows.Row row(io.vertx.sqlclient.Row r) {
    return new SecretRows.Row(r.getString("name"), r.getString("category"), r.getString("value"),
        ((Number) r.getValue("created_at")).longValue(), ((Number) r.getValue("updated_at")).longValue());
  }

  @Override
  public Future<SecretRows.Row> get(String name) {
    return db.reader().preparedQuery("SELECT name, category, value, created_at, updated_at FROM secrets WHERE name = ?")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  @Override
  public Future<Void> put(SecretRows.Row row) {
    return db.write(sql -> {
      sql.update("""
          INSERT INTO secrets(name, category, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(name) DO UPDATE SET category = excluded.category, value = excluded.value,
            updated_at = excluded.updated_at""",
          row.name(), row.category(), row.value(), row.createdAt(), row.updatedAt());
      return null;
    });
  }

  @Override
  public Future<Boolean> delete(String name) {
    return db.write(sql -> sql.update("DELETE FROM secrets WHERE name = ?", name) > 0);
  }

  @Override
  public Future<Void> rewrite(Protection p, List<SecretRows.Row> rows) {
    return db.write(sql -> {
      sql.update("""
          INSERT INTO secret_store(id, mode, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, verifier, updated_at)
          VALUES (1, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET mode = excluded.mode, kdf_salt = excluded.kdf_salt,
            kdf_memory_kib = excluded.kdf_memory_kib, kdf_iterations = excluded.kdf_iterations,
            kdf_parallelism = excluded.kdf_parallelism, verifier = excluded.verifier, updated_at = excluded.updated_at""",
          p.mode(), p.kdfSalt(), p.kdfMemoryKib(), p.kdfIterations(), p.kdfParallelism(), p.verifier(), p.updatedAt());
      for (SecretRows.Row row : rows) {
        if (sql.update("UPDATE secrets SET value = ?, updated_at = ? WHERE name = ?", row.value(), row.updatedAt(),
            row.name()) != 1) {
          throw new java.sql.SQLException("secret " + row.name() + " disappeared during the rewrite");
        }
      }
      return null;
    });
  }
}
