package ai.spacebot.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
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
 * Versioned schema migrations from {@code db/migration/}, listed in {@code db/migration/index.txt}
 * (a jar cannot be listed portably). Each applied file's checksum is kept; a landed migration that was
 * edited afterwards stops start-up, because the database would no longer match the code.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final String DIR = "db/migration/";

  private final Database db;

  Migrations(Database db) {
    this.db = db;
  }

  record Migration(int version, String name, String sql, String checksum) {}

  Future<Void> apply() {
    List<Migration> all = load();
    return db.write(sql -> {
          sql.execute("""
              CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)""");
          return null;
        })
        .compose(v -> db.reader().query("SELECT version, name, checksum FROM schema_migrations").execute())
        .compose(rows -> {
          Map<Integer, String> applied = new HashMap<>();
          for (Row r : rows) {
            applied.put(r.getInteger("version"), r.getString("checksum"));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Migration m : all) {
            String known = applied.get(m.version());
            if (known != null) {
              if (!known.equals(m.checksum())) {
                return Future.failedFuture(new IllegalStateException(
                    "migration " + m.name() + " was changed after it was applied; add a new migration instead"));
              }
              continue;
            }
            chain = chain.compose(v -> run(m));
          }
          return chain;
        });
  }

  private Future<Void> run(Migration m) {
    log.info("Applying migration {}", m.name());
    // One migration is one piece of write work: all of it commits, or none.
    return db.write(sql -> {
      for (String statement : statements(m.sql())) {
        sql.execute(statement);
      }
      sql.update("INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
          m.version(), m.name(), m.checksum(), System.currentTimeMillis());
      return null;
    });
  }

  /** Splits on ';' at line ends; migrations keep one statement per ';' and no triggers. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.toString().strip().replaceAll(";$", ""));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (String name : read(DIR + "index.txt").split("\\s+")) {
      if (name.isBlank()) {
        continue;
      }
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      String sql = read(DIR + name);
      out.add(new Migration(version, name, sql, sha256(sql)));
    }
    return out;
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
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
