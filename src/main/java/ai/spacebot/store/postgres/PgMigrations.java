package ai.spacebot.store.postgres;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned Postgres schema migrations from {@code db/postgres/}, listed in its {@code index.txt} (a jar
 * cannot be listed portably). Each applied file's checksum is kept; a landed migration that was edited
 * afterwards stops start-up, because the database would no longer match the code. Nodes of a cluster
 * start together, so the whole run holds a session advisory lock: the second node waits, then finds
 * everything applied.
 */
public final class PgMigrations {
  private static final Logger log = LoggerFactory.getLogger(PgMigrations.class);
  private static final String DIR = "db/postgres/";
  /** "Spacebot" in ASCII: one fixed key, shared by every node that migrates this database. */
  static final long LOCK_KEY = 0x5370616365626f74L;

  /** Reads a migration file (or {@code index.txt}) by name. */
  @FunctionalInterface
  public interface Source {
    String read(String name);
  }

  private record Migration(int version, String name, String sql, String checksum) {}

  private final Pool pool;
  private final Source source;

  public PgMigrations(Pool pool, Source source) {
    this.pool = pool;
    this.source = source;
  }

  /** The migrations bundled with the application. */
  public static PgMigrations bundled(Pool pool) {
    return new PgMigrations(pool, name -> resource(DIR + name));
  }

  /** Applies what is pending; returns how many migrations ran. */
  public Future<Integer> apply() {
    List<Migration> all;
    try {
      all = load();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
        .compose(locked -> applyLocked(conn, all)
            .eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY)))));
  }

  private Future<Integer> applyLocked(SqlConnection conn, List<Migration> all) {
    return conn.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)""")
        .execute()
        .compose(v -> conn.query("SELECT version, checksum FROM schema_migrations").execute())
        .compose(rows -> {
          Map<Integer, String> applied = new HashMap<>();
          for (Row r : rows) {
            applied.put(r.getInteger("version"), r.getString("checksum"));
          }
          List<Migration> pending = new ArrayList<>();
          for (Migration m : all) {
            String known = applied.get(m.version());
            if (known == null) {
              pending.add(m);
            } else if (!known.equals(m.checksum())) {
              return Future.failedFuture(new IllegalStateException(
                  "Postgres migration " + m.name() + " was changed after it was applied; add a new migration instead"));
            }
          }
          Future<Void> chain = Future.succeededFuture();
          for (Migration m : pending) {
            chain = chain.compose(v -> run(conn, m));
          }
          return chain.map(pending.size());
        });
  }

  /** One migration is one transaction (Postgres DDL is transactional): all of it lands, or none. */
  private Future<Void> run(SqlConnection conn, Migration m) {
    log.info("Applying Postgres migration {}", m.name());
    return conn.begin().compose(tx -> conn.query(m.sql()).execute() // simple protocol: the file's statements in one go
        .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(m.version(), m.name(), m.checksum(), System.currentTimeMillis())))
        .compose(v -> tx.commit())
        .recover(err -> tx.rollback().transform(x -> Future.failedFuture(
            new IllegalStateException("Postgres migration " + m.name() + " failed: " + err.getMessage() + hint(err))))));
  }

  /** The one failure an operator meets on a fresh server: pgvector is not trusted, so the role may not create it. */
  private static String hint(Throwable err) {
    return err instanceof PgException pg && "42501".equals(pg.getSqlState()) && String.valueOf(pg.getMessage()).contains("extension")
        ? "; a superuser must run CREATE EXTENSION vector in this database once (or in template1 before it is created)" : "";
  }

  private List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (String name : source.read("index.txt").split("\\s+")) {
      if (name.isBlank()) {
        continue;
      }
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      String sql = source.read(name);
      out.add(new Migration(version, name, sql, sha256(sql)));
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = PgMigrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
