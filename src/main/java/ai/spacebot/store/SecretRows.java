package ai.spacebot.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * The secret store's rows, as stored: names, categories and opaque value texts (plain or sealed, the store's
 * business), and the one row that says how the values are protected. SQLite ({@link SqliteSecretRows}) and Postgres
 * ({@code postgres.PgSecretRows}) behave the same.
 */
public interface SecretRows {
  /** One secret as stored; {@code value} is plain text or base64 ciphertext, depending on the store's mode. */
  record Row(String name, String category, String value, long createdAt, long updatedAt) {
    @Override
    public String toString() {
      return "Row[name=" + name + ", category=" + category + "]";
    }
  }

  /**
   * How the values are protected.
   *
   * @param mode {@code passphrase} or {@code key_file}
   * @param kdfSalt base64 Argon2id salt (passphrase mode), else null
   * @param verifier base64 of a known block encrypted under the key
   */
  record Protection(String mode, String kdfSalt, int kdfMemoryKib, int kdfIterations, int kdfParallelism,
      String verifier, long updatedAt) {}

  /** The protection row, or null while the store is unencrypted. */
  Future<Protection> protection();

  /** Every secret, by name. */
  Future<List<Row>> all();

  /** One secret, or null. */
  Future<Row> get(String name);

  /** Inserts or replaces a secret; a replaced one keeps its {@code createdAt}. */
  Future<Void> put(Row row);

  /** Whether there was such a secret. */
  Future<Boolean> delete(String name);

  /**
   * In one transaction: sets the protection row and replaces the value of every given secret. Nothing of it is
   * kept if any part fails, so an interrupted encryption or key rotation leaves the old state whole.
   */
  Future<Void> rewrite(Protection protection, List<Row> rows);
}
