package ai.spacebot.app;

import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.StoreConfig;
import ai.spacebot.secrets.KeySource;
import ai.spacebot.secrets.KnownSecrets;
import ai.spacebot.secrets.MasterKey;
import ai.spacebot.secrets.SecretCategory;
import ai.spacebot.secrets.SecretStore;
import ai.spacebot.secrets.SecretStoreException;
import ai.spacebot.store.Database;
import ai.spacebot.store.SqliteSecretRows;
import ai.spacebot.store.postgres.PgDatabase;
import ai.spacebot.store.postgres.PgSecretRows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spacebot secrets ...}: through the running server's API when it runs (its store's state lives there), else
 * on the store directly. Values and passphrases are read from the console or stdin, never from the command line,
 * where every user of the machine could see them in {@code ps}.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Manage the secret store (secret:NAME in config).",
    subcommands = {SecretsCommand.Set.class, SecretsCommand.Get.class, SecretsCommand.ListCmd.class, SecretsCommand.Delete.class,
        SecretsCommand.Encrypt.class, SecretsCommand.Unlock.class, SecretsCommand.Lock.class, SecretsCommand.Rotate.class})
final class SecretsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  private static BufferedReader stdin;

  /** One reader for the whole command: a value and a passphrase may come as two lines of the same stdin. */
  private static synchronized BufferedReader stdin() {
    if (stdin == null) {
      stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return stdin;
  }

  /** Where values and passphrases come from: the console without echo, else one line of stdin. */
  static String readSecret(String prompt) {
    java.io.Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("%s", prompt);
      if (typed == null || typed.length == 0) {
        throw new Main.UserError("nothing was entered", 2);
      }
      return new String(typed);
    }
    try {
      String line = stdin().readLine();
      if (line == null || line.isEmpty()) {
        throw new Main.UserError("expected the value on standard input (one line), got nothing", 2);
      }
      return line;
    } catch (IOException e) {
      throw new Main.UserError("cannot read standard input: " + e.getMessage(), 1);
    }
  }

  static boolean serverRuns(SpacebotConfig config) {
    return new PidFile(config.dataDir()).running().filter(p -> p.pid() != ProcessHandle.current().pid()).isPresent();
  }

  /** Runs {@code work} on the store opened directly (no server), then closes everything. */
  static <T> T direct(SpacebotConfig config, Function<SecretStore, Future<T>> work) {
    Vertx vertx = Vertx.vertx();
    Database[] sqlite = {null};
    PgDatabase[] pg = {null};
    try {
      Future<SecretStore> opened = config.store().kind().equals(StoreConfig.POSTGRES)
          ? PgDatabase.open(vertx, config.store().postgresUrl()).compose(db -> {
            pg[0] = db;
            return SecretStore.open(vertx, new PgSecretRows(db.pool()), KnownSecrets.of(vertx));
          })
          : vertx.executeBlocking(() -> Files.createDirectories(config.dataDir()))
              .compose(x -> Database.open(vertx, config.dataDir().resolve("spacebot.db"))).compose(db -> {
                sqlite[0] = db;
                return SecretStore.open(vertx, new SqliteSecretRows(db), KnownSecrets.of(vertx));
              });
      return opened.compose(work).await();
    } catch (SecretStoreException | MasterKey.KeyException e) {
      throw new Main.UserError(e.getMessage(), 2);
    } catch (PgDatabase.StoreUnavailableException e) {
      throw new Main.UserError(e.getMessage(), 1);
    } finally {
      Future<Void> a = sqlite[0] == null ? Future.succeededFuture() : sqlite[0].close();
      Future<Void> b = pg[0] == null ? Future.succeededFuture() : pg[0].close();
      Future.join(a, b).transform(x -> vertx.close()).await();
    }
  }

  /** Unlocks a locked store opened directly: SPACEBOT_SECRETS_PASSPHRASE, secrets.key_file, or a prompt. */
  static Future<SecretStore> readable(SpacebotConfig config, SecretStore store, Path keyFile) {
    if (store.state() != SecretStore.State.LOCKED) {
      return Future.succeededFuture(store);
    }
    return store.unlock(key(config, store, keyFile)).map(store);
  }

  private static KeySource key(SpacebotConfig config, SecretStore store, Path keyFile) {
    if (keyFile != null) {
      return new KeySource.KeyFile(keyFile.toAbsolutePath());
    }
    if (store.status().mode().equals("key_file")) {
      if (config.secrets().keyFile() == null) {
        throw new Main.UserError("the secret store is encrypted with a key file; give it with --key-file FILE", 2);
      }
      return new KeySource.KeyFile(config.secrets().keyFile());
    }
    if (config.secrets().passphrase() != null) {
      return new KeySource.Passphrase(config.secrets().passphrase().toCharArray());
    }
    return new KeySource.Passphrase(readSecret("Passphrase: ").toCharArray());
  }

  /** {@code --key-file FILE} or a passphrase read twice (for a new key). */
  static KeySource newKey(Path keyFile) {
    if (keyFile != null) {
      Path file = keyFile.toAbsolutePath();
      if (!Files.exists(file)) {
        MasterKey.createKeyFile(file);
        System.err.println("Created key file " + file + " (mode 600). Keep a copy: without it the secrets are lost.");
      }
      return new KeySource.KeyFile(file);
    }
    String first = readSecret("New passphrase: ");
    if (System.console() != null && !first.equals(readSecret("Repeat it: "))) {
      throw new Main.UserError("the two passphrases differ", 2);
    }
    return new KeySource.Passphrase(first.toCharArray());
  }

  static String describe(JsonObject status) {
    String state = status.getString("state");
    String mode = status.getString("mode");
    // an unencrypted store has no key mode to name ("unencrypted (unencrypted)" read as a stutter)
    String line = "Secret store: " + state + (mode == null || mode.equals(state) ? "" : " (" + mode + ")") + ", "
        + status.getInteger("count") + " secret(s)";
    return status.getBoolean("encrypted", false) ? line : line + "; values are NOT encrypted (spacebot secrets encrypt)";
  }

  static JsonObject status(SecretStore store) {
    SecretStore.Status s = store.status();
    return new JsonObject().put("state", s.state().wireName()).put("mode", s.mode()).put("count", s.count())
        .put("encrypted", s.state() != SecretStore.State.UNENCRYPTED);
  }

  static JsonObject keyBody(KeySource key) {
    return key instanceof KeySource.Passphrase p ? new JsonObject().put("passphrase", new String(p.value()))
        : new JsonObject().put("key_file", ((KeySource.KeyFile) key).file().toString());
  }

  static void checkName(String name) {
    try {
      SecretStore.checkName(name);
    } catch (SecretStoreException e) {
      throw new Main.UserError(e.getMessage(), 2);
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Store a secret; the value is read from the console or stdin.")
  static final class Set implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Parameters(index = "0", description = "The name, e.g. GITHUB_TOKEN.") String name;
    @Option(names = "--category", defaultValue = "system", description = "system (server only) or tool (workers' shell gets it as $NAME).") String category;
    @Option(names = "--key-file", description = "The key file of a store encrypted with one (when the server is not running).") Path keyFile;

    @Override
    public Integer call() {
      checkName(name);
      SecretCategory cat;
      try {
        cat = SecretCategory.parse(category);
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(e.getMessage(), 2);
      }
      SpacebotConfig config = options.load();
      String value = readSecret("Value of " + name + ": ");
      if (serverRuns(config)) {
        MemoryCommand.api(config, "PUT", "/api/secrets/" + name, new JsonObject().put("value", value).put("category", cat.wireName()));
      } else {
        direct(config, store -> readable(config, store, keyFile).compose(s -> s.set(name, cat, value)));
      }
      System.out.println("Stored " + name + " (" + cat.wireName() + ")");
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a secret's metadata; its value only with --reveal.")
  static final class Get implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Parameters(index = "0") String name;
    @Option(names = "--reveal", description = "Print the value too.") boolean reveal;
    @Option(names = "--key-file") Path keyFile;

    @Override
    public Integer call() {
      checkName(name);
      SpacebotConfig config = options.load();
      JsonObject info;
      String value = null;
      if (serverRuns(config)) {
        info = MemoryCommand.api(config, "GET", "/api/secrets/" + name, null);
        if (reveal) {
          value = MemoryCommand.api(config, "POST", "/api/secrets/" + name + "/reveal", new JsonObject()).getString("value");
        }
      } else {
        JsonObject[] out = {null};
        value = direct(config, store -> store.info(name).compose(i -> {
          out[0] = new JsonObject().put("name", i.name()).put("category", i.category().wireName())
              .put("created_at", i.createdAt()).put("updated_at", i.updatedAt());
          return reveal ? readable(config, store, keyFile).compose(s -> s.reveal(name)) : Future.succeededFuture(null);
        }));
        info = out[0];
      }
      System.out.println(info.getString("name") + "  " + info.getString("category") + "  created "
          + Instant.ofEpochMilli(info.getLong("created_at")) + "  updated " + Instant.ofEpochMilli(info.getLong("updated_at")));
      if (value != null) {
        System.out.println(value);
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the secrets (names and categories, never values).")
  static final class ListCmd implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      JsonObject r = serverRuns(config) ? MemoryCommand.api(config, "GET", "/api/secrets", null)
          : direct(config, store -> store.list().map(list -> {
            JsonArray items = new JsonArray();
            list.forEach(i -> items.add(new JsonObject().put("name", i.name()).put("category", i.category().wireName())
                .put("updated_at", i.updatedAt())));
            return status(store).put("secrets", items);
          }));
      System.out.println(describe(r));
      JsonArray items = r.getJsonArray("secrets");
      for (int i = 0; i < items.size(); i++) {
        JsonObject s = items.getJsonObject(i);
        System.out.printf("%-40s %-7s updated %s%n", s.getString("name"), s.getString("category"),
            Instant.ofEpochMilli(s.getLong("updated_at")));
      }
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
  static final class Delete implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Parameters(index = "0") String name;

    @Override
    public Integer call() {
      checkName(name);
      SpacebotConfig config = options.load();
      if (serverRuns(config)) {
        MemoryCommand.api(config, "DELETE", "/api/secrets/" + name, null);
      } else {
        direct(config, store -> store.delete(name));
      }
      System.out.println("Deleted " + name);
      return 0;
    }
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = "Encrypt the store under a passphrase (asked for) or a key file (--key-file; created with mode 600 if absent).")
  static final class Encrypt implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--key-file") Path keyFile;

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      KeySource key = newKey(keyFile);
      JsonObject r = serverRuns(config) ? MemoryCommand.api(config, "POST", "/api/secrets/encrypt", keyBody(key))
          : direct(config, store -> store.encrypt(key).map(s -> status(store)));
      System.out.println(describe(r));
      return 0;
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Unlock the running server's store.")
  static final class Unlock implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--key-file") Path keyFile;

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      if (!serverRuns(config)) {
        throw new Main.UserError("Spacebot is not running; a store is unlocked at start from SPACEBOT_SECRETS_PASSPHRASE "
            + "or secrets.key_file, or with this command once it runs", Main.EXIT_NOT_RUNNING);
      }
      KeySource key = keyFile != null ? new KeySource.KeyFile(keyFile.toAbsolutePath())
          : new KeySource.Passphrase(readSecret("Passphrase: ").toCharArray());
      System.out.println(describe(MemoryCommand.api(config, "POST", "/api/secrets/unlock", keyBody(key))));
      return 0;
    }
  }

  @Command(name = "lock", mixinStandardHelpOptions = true, description = "Lock the running server's store (forget the key).")
  static final class Lock implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      if (!serverRuns(config)) {
        throw new Main.UserError("Spacebot is not running; a stopped server holds no key", Main.EXIT_NOT_RUNNING);
      }
      System.out.println(describe(MemoryCommand.api(config, "POST", "/api/secrets/lock", new JsonObject())));
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Re-encrypt every value under a new key (a new passphrase, asked for, or --new-key-file), in one transaction.")
  static final class Rotate implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--key-file", description = "The current key file (when the server is not running).") Path keyFile;
    @Option(names = "--new-key-file", description = "The new key file (created with mode 600 if absent).") Path newKeyFile;

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      if (serverRuns(config)) {
        KeySource key = newKey(newKeyFile);
        System.out.println(describe(MemoryCommand.api(config, "POST", "/api/secrets/rotate", keyBody(key))));
        return 0;
      }
      JsonObject r = direct(config, store -> readable(config, store, keyFile)
          .compose(s -> s.rotate(newKey(newKeyFile))).map(s -> status(store)));
      System.out.println(describe(r));
      return 0;
    }
  }
}
