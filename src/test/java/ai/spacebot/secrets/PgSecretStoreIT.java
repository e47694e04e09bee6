package ai.spacebot.secrets;

import ai.spacebot.store.SecretRows;
import ai.spacebot.store.postgres.PgMigrations;
import ai.spacebot.store.postgres.PgSecretRows;
import ai.spacebot.testkit.PostgresTestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The secret store on Postgres (a fresh database per test). */
class PgSecretStoreIT extends SecretStoreContract {
  private PostgresTestDatabase database;
  private Pool pool;

  @BeforeEach
  void openDatabase() {
    vertx = Vertx.vertx();
    database = PostgresTestDatabase.create(vertx);
    pool = database.pool();
    PgMigrations.bundled(pool).apply().await();
  }

  @AfterEach
  void closeDatabase() {
    pool.close().await();
    database.close();
    vertx.close().await();
  }

  @Override
  protected SecretRows rows() {
    return new PgSecretRows(pool);
  }

  @Override
  protected void failWritesOf(String name) {
    pool.query("CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'cannot write %', NEW.name; END $$").execute().await();
    pool.query("CREATE TRIGGER refuse_" + name + " BEFORE UPDATE OF value ON secrets FOR EACH ROW WHEN (NEW.name = '"
        + name + "') EXECUTE FUNCTION refuse_write()").execute().await();
  }
}
