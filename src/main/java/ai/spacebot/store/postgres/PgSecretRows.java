package ai.spacebot.store.postgres;

import ai.spacebot.store.SecretRows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** {@link SecretRows} in Postgres: shared by every node of a cluster. */
public final class PgSecretRows implements SecretRows {
  private final Pool pool;

  public PgSecretRows(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Protection> protection() {
    return pool.query("""
        SELECT mode, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, verifier, updated_at
        FROM secret_store WHERE id = 1""").execute()
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          io.vertx.sqlclient.Row r = rows.iterator().next();
          return new Protection(r.getString("mode"), r.getString("kdf_salt"), intOr0(r.getInteger("kdf_memory_kib")),
              intOr0(r.getInteger("kdf_iterations")), intOr0(r.getInteger("kdf_parallelism")), r.getString("verifier"),
              r.getLong("updated_at"));
        });
  }

  private static int intOr0(Integer v) {
    return v == null ? 0 : v;
  }

  private static SecretRows.Row row(io.vertx.sqlclient.Row r) {
    return new SecretRows.Row(r.getString("name"), r.getString("category"), r.getString("value"), r.getLong("created_at"),
        r.getLong("updated_at"));
  }

  @Override
  public Future<List<SecretRows.Row>> all() {
    return pool.query("SELECT name, category, value, created_at, updated_at FROM secrets ORDER BY name").execute()
        .map(rows -> {
          List<SecretRows.Row> out = new ArrayList<>();
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  @Override
  public Future<SecretRows.Row> get(String name) {
    return pool.preparedQuery("SELECT name, category, value, created_at, updated_at FROM secrets WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  @Override
  public Future<Void> put(SecretRows.Row row) {
    return pool.preparedQuery("""
        INSERT INTO secrets(name, category, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (name) DO UPDATE SET category = excluded.category, value = excluded.value,
          updated_at = excluded.updated_at""")
        .execute(Tuple.of(row.name(), row.category(), row.value(), row.createdAt(), row.updatedAt()))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM secrets WHERE name = $1").execute(Tuple.of(name)).map(r -> r.rowCount() > 0);
  }

  @Override
  public Future<Void> rewrite(Protection p, List<SecretRows.Row> rows) {
    return pool.withTransaction(conn -> {
      Future<Void> chain = conn.preparedQuery("""
          INSERT INTO secret_store(id, mode, kdf_salt, kdf_memory_kib, kdf_iterations, kdf_parallelism, verifier, updated_at)
          VALUES (1, $1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, kdf_salt = excluded.kdf_salt,
            kdf_memory_kib = excluded.kdf_memory_kib, kdf_iterations = excluded.kdf_iterations,
            kdf_parallelism = excluded.kdf_parallelism, verifier = excluded.verifier, updated_at = excluded.updated_at""")
          .execute(Tuple.of(p.mode(), p.kdfSalt(), p.kdfMemoryKib(), p.kdfIterations(), p.kdfParallelism(), p.verifier(),
              p.updatedAt()))
          .mapEmpty();
      for (SecretRows.Row row : rows) {
        chain = chain.compose(v -> conn.preparedQuery("UPDATE secrets SET value = $1, updated_at = $2 WHERE name = $3")
            .execute(Tuple.of(row.value(), row.updatedAt(), row.name()))
            .compose(r -> r.rowCount() == 1 ? Future.<Void>succeededFuture()
                : Future.failedFuture(new IllegalStateException("secret " + row.name() + " disappeared during the rewrite"))));
      }
      return chain;
    });
  }
}
