package ai.spacebot.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.spacebot.store.SecretRows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret store over a real database; run against SQLite and Postgres by the subclasses. */
abstract class SecretStoreContract {
  protected Vertx vertx;
  @TempDir Path dir;

  /** The rows of a fresh, migrated database. */
  protected abstract SecretRows rows();

  /** Makes every later write of the value of {@code name} fail inside the database (a trigger). */
  protected abstract void failWritesOf(String name);

  private SecretStore open(KnownSecrets known) {
    return SecretStore.open(vertx, rows(), known).await();
  }

  private Path keyFile(String name) {
    Path file = dir.resolve(name);
    MasterKey.createKeyFile(file);
    return file;
  }

  private static SecretStoreException refusal(Future<?> f) {
    Throwable err = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(err).isInstanceOf(SecretStoreException.class);
    return (SecretStoreException) err;
  }

  @Test
  void encryptLockUnlockAndTheKnownSecrets() {
    KnownSecrets known = new KnownSecrets();
    SecretStore store = open(known);
    assertThat(store.state()).isEqualTo(SecretStore.State.UNENCRYPTED);
    store.set("OPENAI_KEY", SecretCategory.SYSTEM, "sk-system-value-1").await();
    store.set("GITHUB_TOKEN", SecretCategory.TOOL, "ghp_tool-value-2").await();
    assertThat(rows().get("OPENAI_KEY").await().value()).isEqualTo("sk-system-value-1");
    assertThat(store.list().await()).extracting(SecretStore.Info::name).containsExactly("GITHUB_TOKEN", "OPENAI_KEY");
    assertThat(known.toolSecrets()).extracting(KnownSecrets.Entry::name).containsExactly("GITHUB_TOKEN");
    assertThat(known.all()).hasSize(2);

    Path k1 = keyFile("k1");
    assertThat(store.encrypt(new KeySource.KeyFile(k1)).await().state()).isEqualTo(SecretStore.State.UNLOCKED);
    String sealed = rows().get("OPENAI_KEY").await().value();
    assertThat(sealed).doesNotContain("sk-system-value-1");
    assertThat(java.util.Base64.getDecoder().decode(sealed)).hasSize(12 + 17 + 16);
    assertThat(store.reveal("OPENAI_KEY").await()).isEqualTo("sk-system-value-1");
    assertThat(refusal(store.encrypt(new KeySource.KeyFile(k1))).getMessage())
        .isEqualTo("the secret store is encrypted already; use rotate to change its key");

    store.lock().await();
    assertThat(store.state()).isEqualTo(SecretStore.State.LOCKED);
    assertThat(known.all()).isEmpty();
    SecretStoreException locked = refusal(store.reveal("OPENAI_KEY"));
    assertThat(locked.kind()).isEqualTo(SecretStoreException.Kind.CONFLICT);
    assertThat(locked.getMessage()).isEqualTo("the secret store is locked; unlock it (spacebot secrets unlock) before you read OPENAI_KEY");
    assertThat(refusal(store.set("NEW_ONE", SecretCategory.SYSTEM, "whatever-value")).kind()).isEqualTo(SecretStoreException.Kind.CONFLICT);
    assertThat(store.list().await()).hasSize(2); // names and dates stay visible while locked

    SecretStoreException wrong = refusal(store.unlock(new KeySource.KeyFile(keyFile("k2"))));
    assertThat(wrong.kind()).isEqualTo(SecretStoreException.Kind.WRONG_KEY);
    assertThat(wrong.getMessage()).isEqualTo("the key file does not open this secret store");
    SecretStoreException mode = refusal(store.unlock(new KeySource.Passphrase("pass".toCharArray())));
    assertThat(mode.kind()).isEqualTo(SecretStoreException.Kind.BAD_INPUT);
    assertThat(mode.getMessage()).isEqualTo("the secret store is encrypted with a key file, not a passphrase");

    // A new process: the store opens locked and the key file opens it again.
    KnownSecrets fresh = new KnownSecrets();
    SecretStore again = open(fresh);
    assertThat(again.state()).isEqualTo(SecretStore.State.LOCKED);
    assertThat(fresh.all()).isEmpty();
    again.unlock(new KeySource.KeyFile(k1)).await();
    assertThat(again.reveal("GITHUB_TOKEN").await()).isEqualTo("ghp_tool-value-2");
    assertThat(fresh.toolSecrets()).containsExactly(new KnownSecrets.Entry("GITHUB_TOKEN", "ghp_tool-value-2", SecretCategory.TOOL));
    assertThat(fresh.all()).hasSize(2);
    again.delete("GITHUB_TOKEN").await();
    assertThat(fresh.toolSecrets()).isEmpty();
    assertThat(refusal(again.delete("GITHUB_TOKEN")).getMessage()).isEqualTo("there is no secret named GITHUB_TOKEN");
  }

  @Test
  void rotationMovesEveryValueToTheNewKeyAndTheOldOneStopsWorking() {
    SecretStore store = open(new KnownSecrets());
    for (int i = 0; i < 5; i++) {
      store.set("S" + i, SecretCategory.SYSTEM, "value-number-" + i).await();
    }
    Path k1 = keyFile("k1");
    store.encrypt(new KeySource.KeyFile(k1)).await();
    Path k2 = keyFile("k2");
    store.rotate(new KeySource.KeyFile(k2)).await();
    assertThat(store.reveal("S3").await()).isEqualTo("value-number-3");

    SecretStore old = open(new KnownSecrets());
    assertThat(refusal(old.unlock(new KeySource.KeyFile(k1))).kind()).isEqualTo(SecretStoreException.Kind.WRONG_KEY);
    old.unlock(new KeySource.KeyFile(k2)).await();
    for (int i = 0; i < 5; i++) {
      assertThat(old.reveal("S" + i).await()).isEqualTo("value-number-" + i);
    }

    // To a passphrase: Argon2id with a fresh salt; a wrong passphrase is a clear refusal, not garbage.
    store.rotate(new KeySource.Passphrase("a long passphrase".toCharArray())).await();
    assertThat(store.status().mode()).isEqualTo("passphrase");
    assertThat(store.status().kdf()).isEqualTo("Argon2id(m=65536 KiB, t=3, p=1)");
    SecretStore next = open(new KnownSecrets());
    SecretStoreException wrong = refusal(next.unlock(new KeySource.Passphrase("not the passphrase".toCharArray())));
    assertThat(wrong.getMessage()).isEqualTo("wrong passphrase: it does not open this secret store");
    next.unlock(new KeySource.Passphrase("a long passphrase".toCharArray())).await();
    assertThat(next.reveal("S0").await()).isEqualTo("value-number-0");
  }

  @Test
  void aRotationThatFailsMidwayLeavesTheOldStateWhole() {
    SecretStore store = open(new KnownSecrets());
    for (String name : List.of("A_FIRST", "B_SECOND", "ZZ_LAST")) {
      store.set(name, SecretCategory.SYSTEM, "value-of-" + name).await();
    }
    Path k1 = keyFile("k1");
    store.encrypt(new KeySource.KeyFile(k1)).await();
    SecretRows.Protection before = rows().protection().await();
    List<SecretRows.Row> rowsBefore = rows().all().await();

    // The rewrite updates A_FIRST and B_SECOND, then the database refuses ZZ_LAST.
    failWritesOf("ZZ_LAST");
    Throwable failed = store.rotate(new KeySource.KeyFile(keyFile("k2"))).transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failed).isNotNull().hasMessageContaining("ZZ_LAST");

    assertThat(rows().protection().await()).isEqualTo(before);
    assertThat(rows().all().await()).isEqualTo(rowsBefore);
    assertThat(store.reveal("B_SECOND").await()).isEqualTo("value-of-B_SECOND");
    SecretStore reopened = open(new KnownSecrets());
    reopened.unlock(new KeySource.KeyFile(k1)).await();
    for (String name : List.of("A_FIRST", "B_SECOND", "ZZ_LAST")) {
      assertThat(reopened.reveal(name).await()).isEqualTo("value-of-" + name);
    }
  }

  @Test
  void badNamesAndValuesAreRefused() {
    SecretStore store = open(new KnownSecrets());
    assertThatThrownBy(() -> store.set("lower", SecretCategory.SYSTEM, "value-value")).isInstanceOf(SecretStoreException.class)
        .hasMessage("a secret name is 1 to 64 upper-case letters, digits and _, starting with a letter (like GITHUB_TOKEN), not \"lower\"");
    assertThat(refusal(store.set("EMPTY", SecretCategory.SYSTEM, "")).getMessage()).isEqualTo("the value of EMPTY is empty");
    assertThat(refusal(store.reveal("NOPE")).kind()).isEqualTo(SecretStoreException.Kind.NOT_FOUND);
    assertThat(refusal(store.lock()).getMessage()).isEqualTo("the secret store is not encrypted, so it cannot be locked; encrypt it first");
    assertThat(Files.exists(dir)).isTrue();
  }
}
