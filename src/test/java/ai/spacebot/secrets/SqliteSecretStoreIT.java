package ai.spacebot.secrets;

import ai.spacebot.store.Database;
import ai.spacebot.store.SecretRows;
import ai.spacebot.store.SqliteSecretRows;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The secret store on the embedded SQLite database. */
class SqliteSecretStoreIT extends SecretStoreContract {
  private Database db;

  @BeforeEach
  void openDatabase() {
    vertx = Vertx.vertx();
    db = Database.open(vertx, dir.resolve("spacebot.db")).await();
  }

  @AfterEach
  void closeDatabase() {
    db.close().await();
    vertx.close().await();
  }

  @Override
  protected SecretRows rows() {
    return new SqliteSecretRows(db);
  }

  @Override
  protected void failWritesOf(String name) {
    db.write(sql -> {
      sql.execute("CREATE TRIGGER refuse_" + name + " BEFORE UPDATE OF value ON secrets WHEN NEW.name = '" + name
          + "' BEGIN SELECT RAISE(ABORT, 'cannot write " + name + "'); END");
      return null;
    }).await();
  }
}
