package ai.spacebot.secrets;

import ai.spacebot.secrets.SecretStoreException.Kind;
import ai.spacebot.store.SecretRows;
import ai.spacebot.store.SecretRows.Protection;
import ai.spacebot.store.SecretRows.Row;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The secret store of this node: named values in the database, in the clear ({@code unencrypted}, the default for a
 * new store) or sealed with AES-256-GCM under a key from a passphrase or a key file ({@code locked} until that key
 * is given, then {@code unlocked}). Every value this node can read is in {@link KnownSecrets} (so the leak scrubber
 * redacts it and the sandbox hands out the tool ones); locking takes them out again.
 *
 * <p>The key derivation and key-file reads run on worker threads; operations that change the store run one after
 * another, so a value set during a rotation is never sealed under the key being replaced.
 */
public final class SecretStore {
  /** Names are environment-variable names, so a tool secret can be handed out under its own name. */
  public static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  /** A value longer than this is refused: secrets are tokens and keys, not files. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  public enum State {
    UNENCRYPTED, LOCKED, UNLOCKED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What may be shown about a secret without revealing it. */
  public record Info(String name, SecretCategory category, long createdAt, long updatedAt) {}

  /**
   * @param mode {@code unencrypted}, {@code passphrase} or {@code key_file}
   * @param kdf the Argon2id settings of a passphrase key, else null
   */
  public record Status(State state, String mode, int count, String kdf) {}

  private final Vertx vertx;
  private final SecretRows rows;
  private final KnownSecrets known;
  /** Every secret's category, readable or not. */
  private final Map<String, SecretCategory> names = new ConcurrentHashMap<>();
  /** The clear values this node holds: all of them unless locked. */
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private volatile Protection protection;
  private volatile SecretCipher cipher;
  private Future<?> tail = Future.succeededFuture();
  private final List<Runnable> unlockListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private SecretStore(Vertx vertx, SecretRows rows, KnownSecrets known) {
    this.vertx = vertx;
    this.rows = rows;
    this.known = known;
  }

  /** Reads the store: an unencrypted one is readable at once, an encrypted one starts locked. */
  public static Future<SecretStore> open(Vertx vertx, SecretRows rows, KnownSecrets known) {
    SecretStore store = new SecretStore(vertx, rows, known);
    return rows.protection().compose(p -> {
      store.protection = p;
      return rows.all();
    }).map(all -> {
      for (Row r : all) {
        SecretCategory category = SecretCategory.parse(r.category());
        store.names.put(r.name(), category);
        if (store.protection == null) {
          store.hold(r.name(), r.value(), category);
        }
      }
      return store;
    });
  }

  /** Called (on the unlocking caller's context) each time the store was unlocked; keep it short. */
  public void onUnlock(Runnable listener) {
    unlockListeners.add(listener);
  }

  public State state() {
    return protection == null ? State.UNENCRYPTED : cipher == null ? State.LOCKED : State.UNLOCKED;
  }

  public Status status() {
    Protection p = protection;
    String kdf = p != null && p.mode().equals("passphrase")
        ? new KdfParams(p.kdfMemoryKib(), p.kdfIterations(), p.kdfParallelism(), new byte[0]).toString() : null;
    return new Status(state(), p == null ? "unencrypted" : p.mode(), names.size(), kdf);
  }

  /** {@code secret:NAME} config values from this store: readable, waiting (locked) or missing. */
  public ai.spacebot.config.SecretLookup lookup() {
    return name -> {
      String value = values.get(name);
      if (value != null) {
        return ai.spacebot.config.SecretLookup.Result.found(value);
      }
      return names.containsKey(name) && state() == State.LOCKED ? ai.spacebot.config.SecretLookup.Result.WAITING
          : ai.spacebot.config.SecretLookup.Result.MISSING;
    };
  }

  /** The value of a secret if this node can read it now (the store is not locked), else null. */
  public String value(String name) {
    return values.get(name);
  }

  /** Whether a secret of this name exists, readable or not. */
  public boolean has(String name) {
    return names.containsKey(name);
  }

  public Future<List<Info>> list() {
    return rows.all().map(all -> all.stream().map(SecretStore::info).toList());
  }

  public Future<Info> info(String name) {
    checkName(name);
    return rows.get(name).map(r -> {
      if (r == null) {
        throw notFound(name);
      }
      return info(r);
    });
  }

  private static Info info(Row r) {
    return new Info(r.name(), SecretCategory.parse(r.category()), r.createdAt(), r.updatedAt());
  }

  /** The clear value; only for an operator who asked to see it. */
  public Future<String> reveal(String name) {
    checkName(name);
    if (!names.containsKey(name)) {
      return Future.failedFuture(notFound(name));
    }
    if (state() == State.LOCKED) {
      return Future.failedFuture(locked("read " + name));
    }
    String value = values.get(name);
    return value != null ? Future.succeededFuture(value) : Future.failedFuture(notFound(name));
  }

  public Future<Info> set(String name, SecretCategory category, String value) {
    checkName(name);
    if (value == null || value.isEmpty()) {
      return Future.failedFuture(new SecretStoreException(Kind.BAD_INPUT, "the value of " + name + " is empty"));
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      return Future.failedFuture(new SecretStoreException(Kind.BAD_INPUT, "the value of " + name + " is longer than "
          + MAX_VALUE_BYTES + " bytes"));
    }
    return serial(() -> {
      if (state() == State.LOCKED) {
        return Future.failedFuture(locked("set " + name));
      }
      long now = System.currentTimeMillis();
      SecretCipher c = cipher;
      String stored = c == null ? value : seal(c, name, value);
      return rows.get(name).compose(old -> {
        Row row = new Row(name, category.wireName(), stored, old == null ? now : old.createdAt(), now);
        return rows.put(row).map(v -> {
          if (old != null && SecretCategory.parse(old.category()) != category) {
            known.remove(name);
          }
          names.put(name, category);
          hold(name, value, category);
          return info(row);
        });
      });
    });
  }

  public Future<Void> delete(String name) {
    checkName(name);
    return serial(() -> rows.delete(name).map(found -> {
      if (!found) {
        throw notFound(name);
      }
      names.remove(name);
      values.remove(name);
      known.remove(name);
      return null;
    }));
  }

  /** Seals every value under a new key, in one transaction; the store is unlocked afterwards. */
  public Future<Status> encrypt(KeySource key) {
    return serial(() -> {
      if (state() != State.UNENCRYPTED) {
        return Future.failedFuture(new SecretStoreException(Kind.CONFLICT,
            "the secret store is encrypted already; use rotate to change its key"));
      }
      return vertx.executeBlocking(() -> NewKey.derive(key), false)
          .compose(next -> rows.all().compose(all -> {
            List<Row> sealed = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Row r : all) {
              sealed.add(new Row(r.name(), r.category(), seal(next.cipher, r.name(), r.value()), r.createdAt(), now));
            }
            return rows.rewrite(next.protection, sealed).map(v -> {
              protection = next.protection;
              cipher = next.cipher;
              return status();
            });
          }));
    });
  }

  /** Derives the key (off the event loop), checks it against the stored verifier and decrypts every value. */
  public Future<Status> unlock(KeySource key) {
    return serial(() -> {
      Protection p = protection;
      if (p == null) {
        return Future.failedFuture(new SecretStoreException(Kind.CONFLICT,
            "the secret store is not encrypted, so there is nothing to unlock; encrypt it first"));
      }
      if (cipher != null) {
        return Future.succeededFuture(status());
      }
      if (!p.mode().equals(key.mode())) {
        return Future.failedFuture(new SecretStoreException(Kind.BAD_INPUT, "the secret store is encrypted with a "
            + (p.mode().equals("passphrase") ? "passphrase" : "key file") + ", not a "
            + (key.mode().equals("passphrase") ? "passphrase" : "key file")));
      }
      return rows.all().compose(all -> vertx.executeBlocking(() -> {
        SecretCipher c = new SecretCipher(keyBytes(key, p));
        if (!c.verifies(Base64.getDecoder().decode(p.verifier()))) {
          throw new SecretStoreException(Kind.WRONG_KEY, key.mode().equals("passphrase")
              ? "wrong passphrase: it does not open this secret store"
              : "the key file does not open this secret store");
        }
        Map<String, String> clear = new HashMap<>();
        for (Row r : all) {
          clear.put(r.name(), open(c, r));
        }
        return new Opened(c, clear);
      }, false).map(opened -> {
        cipher = opened.cipher();
        for (Row r : all) {
          hold(r.name(), opened.clear().get(r.name()), SecretCategory.parse(r.category()));
        }
        unlockListeners.forEach(Runnable::run);
        return status();
      }));
    });
  }

  /** Forgets the key and every clear value (they leave {@link KnownSecrets} too). */
  public Future<Status> lock() {
    return serial(() -> {
      if (protection == null) {
        return Future.failedFuture(new SecretStoreException(Kind.CONFLICT,
            "the secret store is not encrypted, so it cannot be locked; encrypt it first"));
      }
      cipher = null;
      for (String name : List.copyOf(values.keySet())) {
        values.remove(name);
        known.remove(name);
      }
      return Future.succeededFuture(status());
    });
  }

  /**
   * Re-seals every value under a new key (a new salt for a passphrase) in one transaction: if anything fails, the
   * old key still opens everything and the new one opens nothing.
   */
  public Future<Status> rotate(KeySource newKey) {
    return serial(() -> {
      SecretCipher old = cipher;
      if (protection == null) {
        return Future.failedFuture(new SecretStoreException(Kind.CONFLICT,
            "the secret store is not encrypted; use encrypt to give it a key"));
      }
      if (old == null) {
        return Future.failedFuture(locked("rotate its key"));
      }
      return vertx.executeBlocking(() -> NewKey.derive(newKey), false)
          .compose(next -> rows.all().compose(all -> {
            List<Row> sealed = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Row r : all) {
              sealed.add(new Row(r.name(), r.category(), seal(next.cipher, r.name(), open(old, r)), r.createdAt(), now));
            }
            return rows.rewrite(next.protection, sealed).map(v -> {
              protection = next.protection;
              cipher = next.cipher;
              return status();
            });
          }));
    });
  }

  private void hold(String name, String value, SecretCategory category) {
    values.put(name, value);
    known.put(name, value, category);
  }

  private static String seal(SecretCipher c, String name, String value) {
    return Base64.getEncoder().encodeToString(c.encrypt(name, value.getBytes(StandardCharsets.UTF_8)));
  }

  private static String open(SecretCipher c, Row r) {
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(r.value());
    } catch (IllegalArgumentException e) {
      throw new SecretCipher.UnreadableException(r.name());
    }
    return new String(c.decrypt(r.name(), sealed), StandardCharsets.UTF_8);
  }

  /** The key of an existing store (blocking: Argon2id or a file read). */
  private static byte[] keyBytes(KeySource key, Protection p) {
    if (key instanceof KeySource.Passphrase pass) {
      return MasterKey.fromPassphrase(pass.value(), new KdfParams(p.kdfMemoryKib(), p.kdfIterations(),
          p.kdfParallelism(), Base64.getDecoder().decode(p.kdfSalt())));
    }
    return MasterKey.fromKeyFile(((KeySource.KeyFile) key).file());
  }

  private record Opened(SecretCipher cipher, Map<String, String> clear) {}

  /** A new key and the protection row that describes it. */
  private record NewKey(SecretCipher cipher, Protection protection) {
    static NewKey derive(KeySource key) {
      long now = System.currentTimeMillis();
      if (key instanceof KeySource.Passphrase pass) {
        KdfParams params = KdfParams.fresh();
        SecretCipher c = new SecretCipher(MasterKey.fromPassphrase(pass.value(), params));
        return new NewKey(c, new Protection("passphrase", Base64.getEncoder().encodeToString(params.salt()),
            params.memoryKib(), params.iterations(), params.parallelism(), b64(c.verifier()), now));
      }
      SecretCipher c = new SecretCipher(MasterKey.fromKeyFile(((KeySource.KeyFile) key).file()));
      return new NewKey(c, new Protection("key_file", null, 0, 0, 0, b64(c.verifier()), now));
    }

    private static String b64(byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
  }

  /** Runs operations that change the store one after another. */
  private synchronized <T> Future<T> serial(Supplier<Future<T>> op) {
    Future<T> next = tail.transform(x -> {
      try {
        return op.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    tail = next;
    return next;
  }

  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new SecretStoreException(Kind.BAD_INPUT, "a secret name is 1 to 64 upper-case letters, digits and _, "
          + "starting with a letter (like GITHUB_TOKEN), not " + (name == null ? "nothing" : "\"" + printable(name) + "\""));
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 70 ? s.substring(0, 70) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static SecretStoreException notFound(String name) {
    return new SecretStoreException(Kind.NOT_FOUND, "there is no secret named " + name);
  }

  private static SecretStoreException locked(String what) {
    return new SecretStoreException(Kind.CONFLICT, "the secret store is locked; unlock it (spacebot secrets unlock) "
        + "before you " + what);
  }

  /** Overwrites a passphrase once it was used. */
  public static void wipe(char[] passphrase) {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
